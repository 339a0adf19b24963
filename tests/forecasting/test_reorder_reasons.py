"""The reorder list's sentences when a number is zero, missing (None) or not a number (NaN).

Each case names the sentence a merchandiser would have read before: "missed weekly demand
by 0.0 units, forecasting zero by 0.0", "minimum order of None", or a crash on NaN."""

import datetime as dt
import math

import polars as pl
import pytest

from forecasting.reliability import _reason, _sale_days
from forecasting.reorder_reasons import levels_sentence, order_sentence

AS_OF = dt.date(2024, 7, 1)
ROW = {
    "order_qty": 12,
    "order_by": AS_OF,
    "needed_by": AS_OF,
    "supplier": "Kent Kitchenware",
    "supplier_minimum": None,
    "pulled_forward": False,
    "inventory_position": 3,
    "reorder_point": 10,
    "order_up_to": 15,
    "catalog_assumed": False,
}
VERDICT = {
    "reliable": False,
    "sale_days": 2,
    "windows": 4,
    "abs_error_7d": 6.25,
    "zero_abs_error_7d": 2.0,
    "naive_abs_error_7d": 3.0,
    "naive_model": "SeasonalNaive",
    "beats_zero": False,
}


@pytest.mark.parametrize(
    ("facts", "reason"),
    [
        (
            {},
            "2 days with sales in the last 90 days; over its 4 backtest windows the forecast "
            "missed weekly demand by 6.2 units, forecasting zero by 2.0",
        ),
        (  # nothing sold at all: was "0 days ... missed by 0.0 units, forecasting zero by 0.0"
            {"sale_days": 0, "abs_error_7d": 0.0, "zero_abs_error_7d": 0.0},
            "no sale on an in-stock day in the last 90 days; nothing sold in its 4 backtest windows, so "
            "forecasting zero is exact",
        ),
        (  # nothing sold in the windows, yet the forecast expected sales: it says how many
            {"abs_error_7d": 14.25, "zero_abs_error_7d": 0.0, "windows": 1},
            "2 days with sales in the last 90 days; nothing sold in its 1 backtest window, "
            "where the forecast expected 14.2 units, so forecasting zero is exact",
        ),
        (  # sold in the backtest windows, not lately; one window
            {"sale_days": 0, "windows": 1},
            "no sale on an in-stock day in the last 90 days; over its 1 backtest window the forecast missed "
            "weekly demand by 6.2 units, forecasting zero by 2.0",
        ),
        (  # 1 day, singular
            {"sale_days": 1},
            "1 day with sales in the last 90 days; over its 4 backtest windows the forecast "
            "missed weekly demand by 6.2 units, forecasting zero by 2.0",
        ),
        (  # a sum that is not a number: said, never "nan"
            {"abs_error_7d": math.nan},
            "2 days with sales in the last 90 days; over its 4 backtest windows the forecast "
            "gave no number to score",
        ),
        (  # beat zero, lost to seasonal naive; naive unknown falls back to zero's error
            {"beats_zero": True, "abs_error_7d": 1.0, "naive_abs_error_7d": 0.5},
            "2 days with sales in the last 90 days; over its 4 backtest windows the forecast "
            "missed weekly demand by 1.0 units, seasonal naive by 0.5",
        ),
        (  # seasonal naive could not run: plain Naive is named as the benchmark
            {
                "beats_zero": True,
                "abs_error_7d": 1.0,
                "naive_abs_error_7d": 0.5,
                "naive_model": "Naive",
            },
            "2 days with sales in the last 90 days; over its 4 backtest windows the forecast "
            "missed weekly demand by 1.0 units, naive (last day) by 0.5",
        ),
        (  # no naive benchmark at all: judged on zero alone, and the reason says so
            {"naive_abs_error_7d": None, "naive_model": None},
            "2 days with sales in the last 90 days; over its 4 backtest windows the forecast "
            "missed weekly demand by 6.2 units, forecasting zero by 2.0 (no naive forecast "
            "could be computed: judged on zero alone)",
        ),
        (  # sale days unknown (no row in the recent window) counts as none
            {"sale_days": None, "zero_abs_error_7d": math.nan, "abs_error_7d": 0.0},
            "no sale on an in-stock day in the last 90 days; nothing sold in its 4 backtest windows, so "
            "forecasting zero is exact",
        ),
    ],
)
def test_reliability_reasons_at_zero_none_and_nan(facts, reason):
    assert _reason(VERDICT | facts, 90, "day") == reason
    assert _reason(VERDICT | facts | {"reliable": True}, 90, "day") is None


@pytest.mark.parametrize(
    ("facts", "sentence"),
    [
        (  # stock 0 against a reorder point of 0 is "at", and reads so
            {"inventory_position": 0, "reorder_point": 0},
            "Order 12 by 2024-07-01: stock 0 (on hand + on order) is at its reorder point 0.",
        ),
        (  # a missing reorder point: "unknown", never "nan" or a crash
            {"reorder_point": math.nan},
            "Order 12 by 2024-07-01: stock 3 (on hand + on order) is below its reorder point "
            "unknown.",
        ),
        (  # pulled forward to a supplier minimum that is not known, nor the due day
            {"pulled_forward": True, "needed_by": None},
            "Order 12 by 2024-07-01: pulled forward to reach Kent Kitchenware's minimum order.",
        ),
        (  # no supplier name: the default supplier's words, never "None's"
            {"pulled_forward": True, "supplier": None, "supplier_minimum": "150.00 value"},
            "Order 12 by 2024-07-01: pulled forward to reach the supplier's minimum order of "
            "150.00 value, otherwise due 2024-07-01.",
        ),
        (  # ordered before it is needed: no "late" note; no needed-by: none either
            {"needed_by": None, "inventory_position": 3, "reorder_point": 3},
            "Order 12 by 2024-07-01: stock 3 (on hand + on order) is at its reorder point 3.",
        ),
        (  # min/max with nothing in stock and a min of 0
            {
                "reliability_reason": "no sale in the last 90 days",
                "inventory_position": 0,
                "reorder_point": 0,
            },
            "Order 12 by 2024-07-01: no reliable forecast (no sale in the last 90 days), so "
            "min/max on its own history: stock 0 is at or below its min 0.",
        ),
    ],
)
def test_order_sentences_at_zero_none_and_nan(facts, sentence):
    assert order_sentence(ROW | facts) == sentence
    assert "None" not in sentence and "nan" not in sentence


@pytest.mark.parametrize(
    ("facts", "sentence"),
    [
        (
            {},
            "Stock unknown (no inventory feed): order when on hand + on order is at or below "
            "10, up to 15.",
        ),
        (  # was "order when ... at or below 0, up to 0."
            {"reorder_point": 0.0, "order_up_to": 0.0},
            "Stock unknown (no inventory feed): no recent sales, so nothing to order.",
        ),
        (  # an order-up-to level of 1 unit is a level to order at, not "no recent sales"
            {"reorder_point": 0.0, "order_up_to": 1.0},
            "Stock unknown (no inventory feed): order when on hand + on order is at or below "
            "0, up to 1.",
        ),
        (
            {"reorder_point": math.nan, "order_up_to": None},
            "Stock unknown (no inventory feed): order when on hand + on order is at or below "
            "unknown, up to unknown.",
        ),
    ],
)
def test_levels_sentences_at_zero_none_and_nan(facts, sentence):
    assert levels_sentence(ROW | facts) == sentence


def test_a_day_selling_one_unit_is_a_sale_day():
    """Bug caught: sale days counted from two units up, so a slow mover selling one unit at
    a time read as never selling. Units 1, 0, 2, 1 on four days; the last 3 days hold 2
    sale days, the whole series 3."""
    days = [dt.date(2024, 7, 1) + dt.timedelta(days=n) for n in range(4)]
    series = pl.DataFrame({"unique_id": ["A"] * 4, "ds": days, "y": [1.0, 0.0, 2.0, 1.0]})
    assert _sale_days(series, active_days=3).rows() == [("A", 2)]
    assert _sale_days(series, active_days=10).rows() == [("A", 3)]
