"""The reorder list with whom a stockout hurts and the feedback guard: the columns it
carries and how the customer-value share changes what a budget cap funds."""

import polars as pl
import pytest

from forecasting.reorder_risk import sku_risk
from tests.forecasting.test_reorder import _catalog, _forecast, _recommend, _stock

SKUS = ["LOW", "MOQ", "AMPLE"]
# Nothing on hand: stockout probability 1 each, so priority = 70 units of lead-time demand
# x unit cost; order 140 each: values MOQ 420, AMPLE 280, LOW 140.
CATALOG = _catalog(
    [
        {"sku": "LOW", "unit_cost": 1.0},
        {"sku": "MOQ", "unit_cost": 3.0},
        {"sku": "AMPLE", "unit_cost": 2.0},
    ]
)
STOCK = _stock([("LOW", 0, 0), ("MOQ", 0, 0), ("AMPLE", 0, 0)])
CUSTOMER_VALUE = pl.DataFrame(
    {"sku": ["LOW", "MOQ", "AMPLE"], "high_value_revenue_share": [0.5, 0.0, 1.0]}
)
GUARD = pl.DataFrame(
    {
        "sku": ["AMPLE", "LOW"],
        "review_before_reordering": [True, False],
        "feedback_evidence": ["Review before reordering: mean rating 1.9 ...", None],
    }
)
RISK = sku_risk(CUSTOMER_VALUE, GUARD)


def _capped(**settings) -> pl.DataFrame:
    return _recommend(_forecast(SKUS), CATALOG, STOCK, risk=RISK, budget_cap=600.0, **settings)


def _ranked(**settings) -> list[tuple]:
    return _capped(**settings).sort("priority_rank").select("sku", "priority", "deferred").rows()


def test_customer_value_ranking_changes_what_the_budget_funds():
    """Bug caught: the share of revenue from high-value customers shown but not used when
    the budget cap binds (or used when its weight is 0)."""
    # By stockout risk x value alone: MOQ 210, AMPLE 140, LOW 70; 600 funds MOQ (420),
    # cannot fit AMPLE (700), still fits LOW (560).
    assert _ranked(budget_customer_weight=0.0) == [
        ("MOQ", pytest.approx(210.0), False),
        ("AMPLE", pytest.approx(140.0), True),
        ("LOW", pytest.approx(70.0), False),
    ]
    # x (1 + share): AMPLE 280 (bought only by high-value customers), MOQ 210, LOW 105:
    # AMPLE and LOW are funded (420), MOQ is deferred instead.
    assert _ranked(budget_customer_weight=1.0) == [
        ("AMPLE", pytest.approx(280.0), False),
        ("MOQ", pytest.approx(210.0), True),
        ("LOW", pytest.approx(105.0), False),
    ]
    deferred = _capped(budget_customer_weight=1.0).filter(pl.col("deferred"))["reason"][0]
    assert deferred.endswith(
        "Deferred: priority 2 by stockout risk x value x customer value, it "
        "does not fit in what is left of the 600.00 budget cap."
    )


def test_the_list_carries_the_share_and_the_guard_flag():
    """Bug caught: a SKU the feedback guard flags listed without its flag and evidence."""
    listed = _recommend(_forecast(SKUS), CATALOG, STOCK, risk=RISK).sort("sku")
    assert listed.select("sku", "high_value_revenue_share", "review_before_reordering").rows() == [
        ("AMPLE", 1.0, True),
        ("LOW", 0.5, False),
        ("MOQ", 0.0, False),
    ]
    assert listed["feedback_evidence"][0].startswith("Review before reordering")
    assert listed["order_qty"].to_list() == [140, 140, 140]  # flagged, still proposed
    # the flagged row's sentence says so; the evidence stays in its column
    assert "Review before reordering" in listed["reason"][0]
    assert not listed["reason"][1:].str.contains("Review before").any()
    # without risk facts nothing is flagged and no share is known
    bare = _recommend(_forecast(SKUS), CATALOG, STOCK)
    assert not bare["review_before_reordering"].any()
    assert bare["high_value_revenue_share"].is_null().all()
    # the stock-unknown list carries them too
    levels = _recommend(_forecast(SKUS), CATALOG, None, risk=RISK).sort("sku")
    assert levels["review_before_reordering"].to_list() == [True, False, False]


def test_the_share_is_listed_to_a_tenth_of_a_percent():
    """Bug caught: 0.123456789 in the merchandiser's CSV and XLSX instead of 12.3 %."""
    share = pl.DataFrame({"sku": ["LOW"], "high_value_revenue_share": [0.123456789]})
    listed = _recommend(_forecast(SKUS), CATALOG, STOCK, risk=sku_risk(share, GUARD))
    assert listed.filter(pl.col("sku") == "LOW")["high_value_revenue_share"].to_list() == [0.123]


def test_a_sku_in_only_one_of_the_two_tables_keeps_its_row():
    """Bug caught: the full join left uncoalesced, so a SKU the feedback guard flags but no
    customer bought from (or the reverse) lost its SKU, and its "review before reordering"
    never reached the reorder list."""
    value = CUSTOMER_VALUE.filter(pl.col("sku") != "AMPLE")
    got = sku_risk(value, GUARD).sort("sku")
    assert got.columns == [
        "sku",
        "high_value_revenue_share",
        "review_before_reordering",
        "feedback_evidence",
    ]
    assert got.select("sku", "high_value_revenue_share", "review_before_reordering").rows() == [
        ("AMPLE", None, True),
        ("LOW", 0.5, False),
        ("MOQ", 0.0, None),
    ]
