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
