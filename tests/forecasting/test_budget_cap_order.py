"""Today's orders under a purchasing budget: the ranking's ties and the cap's sign."""

import datetime as dt

import polars as pl
import pytest

from forecasting.reorder_budget import apply_budget_cap

DAY = dt.date(2024, 7, 1)


def _recommendations(skus: list[str]) -> pl.DataFrame:
    """Orders of equal priority (risk 0.5 x 10 units x 2.0) due the same day, 20.0 each."""
    n = len(skus)
    return pl.DataFrame(
        {
            "sku": skus,
            "order_by": [DAY] * n,
            "order_value": [20.0] * n,
            "stockout_probability": [0.5] * n,
            "lead_time_demand": [10.0] * n,
            "unit_cost": [2.0] * n,
            "reason": ["Reorder."] * n,
        }
    )


def test_equal_priorities_due_the_same_day_are_funded_in_sku_order():
    """Bug caught: ties broken by SKU in reverse, so which of two equally urgent orders a
    budget defers changed with the SKU codes' order. A cap of 20 funds B-1, not B-2."""
    capped = apply_budget_cap(_recommendations(["B-2", "B-1"]), budget_cap=20.0)
    rows = {row["sku"]: row for row in capped.iter_rows(named=True)}
    assert (rows["B-1"]["priority_rank"], rows["B-1"]["deferred"]) == (1, False)
    assert (rows["B-2"]["priority_rank"], rows["B-2"]["deferred"]) == (2, True)


def test_a_negative_cap_is_refused():
    """Bug caught: a cap between -1 and 0 (a typo such as -0.5) taken as a budget of
    nothing, deferring every order in silence, instead of naming the setting."""
    with pytest.raises(ValueError, match="inventory.budget_cap"):
        apply_budget_cap(_recommendations(["A"]), budget_cap=-0.5)


def test_the_cap_funds_in_priority_order_and_a_deferred_order_spends_nothing():
    """Bugs caught: the running total of funded orders starting at -1 instead of 0, a
    deferred order counted as spending 1 or -1, and the cap stretched by a whole unit.
    Cap 20; ranked by risk: 15 funded (15), 10 deferred (25 > 20), 5 funded (20), 1
    deferred (21 > 20)."""
    orders = _recommendations(["A", "B", "C", "D"]).with_columns(
        pl.Series("order_value", [15.0, 10.0, 5.0, 1.0]),
        pl.Series("stockout_probability", [0.9, 0.7, 0.5, 0.3]),
    )
    capped = apply_budget_cap(orders, budget_cap=20.0)
    assert capped["deferred"].to_list() == [False, True, False, True]


def test_a_cap_of_zero_defers_every_order_and_earlier_days_go_first():
    """Bugs caught: a cap of 0 (or below 1) refused as negative instead of funding
    nothing, and orders of equal priority ranked latest day first. C is due a day after
    D, both equally urgent: D ranks first."""
    orders = _recommendations(["C", "D"]).with_columns(
        pl.Series("order_by", [DAY + dt.timedelta(days=1), DAY])
    )
    capped = apply_budget_cap(orders, budget_cap=0.0)
    assert capped["deferred"].to_list() == [True, True]
    assert capped["priority_rank"].to_list() == [2, 1]


def test_customer_value_weighs_only_with_a_positive_weight_and_an_unknown_share_is_none():
    """Bugs caught: customer value weighting the priority when no weight is given (a
    default weight of 1) or the weight is 0 (the reason then naming customer value), and
    an unknown share of high-value customers counted as 1 or -1 instead of 0. Risk 0.5 x
    10 units x 2.0 = 10.0 each; weighted by 1, a share of 0.5 makes 15.0, none stays 10.0."""
    orders = _recommendations(["K", "U"]).with_columns(
        pl.Series("high_value_revenue_share", [0.5, None], dtype=pl.Float64)
    )
    for unweighted in (apply_budget_cap(orders, 5.0), apply_budget_cap(orders, 5.0, 0.0)):
        assert unweighted["priority"].to_list() == [10.0, 10.0]
        assert not unweighted["reason"].str.contains("customer value").any()
    weighted = apply_budget_cap(orders, 5.0, customer_weight=1.0)
    assert weighted["priority"].to_list() == [15.0, 10.0]
