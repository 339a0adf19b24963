"""The daily reorder list at its edges, worked by hand: a position exactly at a threshold,
a forecast shorter than lead time plus review, cents and the EOQ's floor.

Unless said otherwise a SKU sells 10 units every day of its history with a 7-day lead
time and 7 review days, so every 7-day sum is 70: reorder point 70, order-up-to level
70 + 10 x 7 = 140, lead-time demand 70 (see tests/forecasting/test_reorder.py).
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from tests.forecasting.test_reorder import (
    AS_OF,
    _catalog,
    _forecast,
    _history,
    _recommend,
    _stock,
)


def _one_class(skus):
    return pl.DataFrame({"sku": skus, "abc_class": ["B"] * len(skus)})


def test_a_short_forecast_counts_its_average_day_up_to_the_review():
    """Bugs caught: the forecast grid ending at as_of - review days (``-`` for ``+``), so a
    3-day forecast counts 30 units until the review instead of 70 and a SKU due now is
    missed; and a stockout on the forecast's last day dropped as beyond the horizon.
    S (position 130): 130 - 70 = 60 is at or below 70, so it is due; its position meets the
    reorder point when 60 units are sold, on day 6 (2024-07-07); it orders 140 - 130 = 10.
    T (on hand 25): the cumulative forecast 10, 20, 30 passes 25 on day 3, the last
    forecast day (2024-07-04)."""
    got = _recommend(
        _forecast(["S", "T"], days=3),
        _catalog([{"sku": "S"}, {"sku": "T"}]),
        _stock([("S", 130, 0), ("T", 25, 0)]),
        abc=_one_class(["S", "T"]),
    )
    rows = {row["sku"]: row for row in got.iter_rows(named=True)}
    assert (rows["S"]["needed_by"], rows["S"]["order_qty"]) == (dt.date(2024, 7, 7), 10)
    assert rows["T"]["projected_stockout_date"] == dt.date(2024, 7, 4)


def test_a_position_exactly_at_a_threshold_orders_by_the_rules_at_or_below():
    """Bugs caught: "at or below" read as "below" twice: a SKU whose position less the
    demand until the review lands exactly on the reorder point is not ordered (D: forecast
    5 a day, position 105: 105 - 35 = 70), and one whose position is the reorder point
    itself is needed tomorrow instead of today (R: position 70). And a SKU wanting nothing
    is listed anyway (FULL: position 140 is its order-up-to level, 140 - 70 = 70 is due,
    but it wants 0 units)."""
    forecast = _forecast(["D"], per_day=5.0).vstack(_forecast(["R", "FULL"]))
    got = _recommend(
        forecast,
        _catalog([{"sku": "D"}, {"sku": "R"}, {"sku": "FULL"}]),
        _stock([("D", 105, 0), ("R", 70, 0), ("FULL", 140, 0)]),
        abc=_one_class(["D", "R", "FULL"]),
    )
    rows = {row["sku"]: row for row in got.iter_rows(named=True)}
    assert sorted(rows) == ["D", "R"]
    assert rows["D"]["order_qty"] == 140 - 105
    assert rows["R"]["needed_by"] == AS_OF


def test_money_and_priority_are_to_the_cent():
    """Bugs caught: order value or priority rounded to 10 cents. A SKU selling 3 a day at
    1.23 a unit, nothing in stock: reorder point 21, order-up-to 21 + 3 x 7 = 42, so it
    orders 42 units worth 42 x 1.23 = 51.66; it runs out surely (probability 1), so its
    priority is 1 x 21 units of lead-time demand x 1.23 = 25.83."""
    row = _recommend(
        _forecast(["C"], per_day=3.0),
        _catalog([{"sku": "C", "unit_cost": 1.23}]),
        _stock([("C", 0, 0)]),
        history=_history({"C": 3.0}),
        abc=_one_class(["C"]),
    ).row(0, named=True)
    assert (row["order_qty"], row["order_value"], row["priority"]) == (42, 51.66, 25.83)


def test_the_eoq_is_raised_to_lift_the_position_above_the_reorder_point():
    """Bug caught: the EOQ policy's floor one short of the reorder point (``- 1`` for
    ``+ 1``). Order cost 0.01: EOQ = sqrt(2 x 3650 x 0.01 / (0.25 x 2)) = 12.1 units, too few
    for a SKU with nothing in stock and a reorder point of 70: it orders 71, the least that
    lifts the position above 70."""
    row = _recommend(
        _forecast(["E"]),
        _catalog([{"sku": "E"}]),
        _stock([("E", 0, 0)]),
        abc=_one_class(["E"]),
        policy="eoq",
        holding_cost_rate=0.25,
        order_cost=0.01,
    ).row(0, named=True)
    assert row["order_qty"] == 71


@pytest.mark.parametrize("free_skus", [["A"], ["A", "B"]])
def test_eoq_refuses_a_free_sku_and_names_the_first(free_skus):
    """Bugs caught: a unit cost of 0 let through to the EOQ (which divides by it), and the
    error naming the last free SKU rather than the first of the list."""
    skus = [*free_skus, "PAID"]
    with pytest.raises(ValueError, match=r"catalog: SKU 'A' has unit_cost <= 0, so no EOQ"):
        _recommend(
            _forecast(skus),
            _catalog([{"sku": sku, "unit_cost": 2.0 if sku == "PAID" else 0.0} for sku in skus]),
            _stock([(sku, 0, 0) for sku in skus]),
            abc=_one_class(skus),
            policy="eoq",
        )


def test_a_sku_wanting_nothing_at_its_reorder_point_is_never_pulled_forward():
    """Bug caught: a SKU that wants no units at its reorder point taken as a pull-forward
    candidate, so a supplier minimum adds its MOQ (1 unit) to the order. QUIET sold 10 a
    day but nothing in the last 5 days, the level window here: level 0, so reorder point
    and order-up-to level 0 and nothing wanted, though its forecast reaches the reorder
    point on day 5. LOW (30 in stock) is due and leaves ACME's 400.00 minimum unmet."""
    history = _history({"LOW": 10.0, "QUIET": [10.0] * 107 + [0.0] * 5})
    skus = ["LOW", "QUIET"]
    got = _recommend(
        _forecast(skus, days=40),
        _catalog([{"sku": sku, "supplier": "ACME"} for sku in skus]),
        _stock([("LOW", 30, 0), ("QUIET", 50, 0)]),
        history=history,
        abc=_one_class(skus),
        backtest_history_days=5,
        suppliers={"by_name": {"ACME": {"min_order_value": 400}}},
    )
    assert got["sku"].to_list() == ["LOW"]
