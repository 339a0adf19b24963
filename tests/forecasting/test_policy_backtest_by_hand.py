"""The policy backtest's replay worked by hand on demands whose levels are known exactly."""

import numpy as np
import polars as pl

from config.settings import InventorySettings
from forecasting.policy_backtest import policy_backtest
from tests.forecasting.test_policy_backtest import _long

SMALL = {
    "backtest_targets": (0.9,),
    "backtest_replan_every_days": 10,
    "backtest_history_days": 10,
    "backtest_distribution_days": 20,
}


def _by_policy(table: pl.DataFrame) -> dict[str, dict]:
    return {row["policy"]: row for row in table.iter_rows(named=True)}


def test_a_constant_demand_is_served_in_full_on_every_replan():
    """Bug caught: a replan's reorder point written to no day (e.g. ``plan - every`` as the
    slice's end), so days keep a reorder point of 0 and the policy waits for an empty shelf
    before ordering: in the last 10 days of this replay it stocks out twice.

    2 units every day, lead 2, review 3: every plan of both policies (no spread, so z x sd
    is 0 and every lead-time sum is 4) has reorder point 2 x 2 = 4 and order-up-to
    4 + 2 x 3 = 10. Worked by hand over the 30 replayed days: on hand 10 at the start,
    closing 8, 6, 4 (position 4 <= 4: order 6, due 2 days later), then 2, 6, 4 again and
    again. No sale lost; orders on days 2, 5, ..., 29 (10); deliveries on days 4, 7, ...,
    28 close 9 cycles; average closing stock (8 + 6 + 4 + 9 x (2 + 6 + 4)) / 30 = 4.2."""
    demand, days = _long(np.full((1, 60), 2.0))
    terms = pl.DataFrame({"sku": ["S0"], "unit_value": [1.0], "lead_days": [2]})
    table = policy_backtest(demand, terms, InventorySettings(**SMALL), 3, days[30], days[-1])
    for policy, row in _by_policy(table).items():
        assert row["fill_rate"] == 1.0, policy
        assert row["stockout_days"] == 0, policy
        assert row["orders_placed"] == 10, policy
        assert row["replenishment_cycles"] == 9, policy
        assert row["avg_inventory_value"] == 4.2, policy


def test_a_replay_starts_with_the_first_plans_order_up_to_level_on_hand():
    """Bug caught: the replay's opening stock taken from the second day's levels instead of
    the first plan's. Replayed for its last day only, the constant demand above opens with
    the order-up-to level 10 on hand, sells 2 and closes with 8 (unit value 2.5: 20.0), above
    the reorder point 4, so nothing is ordered."""
    demand, days = _long(np.full((1, 40), 2.0))
    terms = pl.DataFrame({"sku": ["S0"], "unit_value": [2.5], "lead_days": [2]})
    table = policy_backtest(demand, terms, InventorySettings(**SMALL), 3, days[-1], days[-1])
    for policy, row in _by_policy(table).items():
        assert row["avg_inventory_value"] == 20.0, policy
        assert (row["fill_rate"], row["orders_placed"]) == (1.0, 0), policy


def test_an_unknown_high_value_share_counts_no_high_value_lost_sales():
    """Bug caught: a SKU whose share of revenue from high-value customers is unknown (null)
    counted as bought only by them (filled with 1 instead of 0), which inflates the lost
    high-value sales. S0 and S1 sell alike (1 a day, then 10 a day when the replay starts:
    both lose sales) and differ only in the share: unknown for S0, 1 for S1. So exactly
    half of the lost sales value of each uncapped policy is high-value (under a budget the
    two SKUs are funded differently)."""
    matrix = np.concatenate([np.ones((2, 40)), np.full((2, 20), 10.0)], axis=1)
    demand, days = _long(matrix)
    terms = pl.DataFrame(
        {
            "sku": ["S0", "S1"],
            "unit_value": [1.0, 1.0],
            "lead_days": [2, 2],
            "high_value_revenue_share": [None, 1.0],
        },
        schema_overrides={"high_value_revenue_share": pl.Float64},
    )
    table = policy_backtest(demand, terms, InventorySettings(**SMALL), 3, days[40], days[-1])
    assert table.height == 4  # classic, recommended and the two budget rows
    for row in table.filter(pl.col("budget_per_day").is_null()).iter_rows(named=True):
        assert row["lost_sales_value"] > 0, row["policy"]
        assert row["high_value_lost_sales_value"] == row["lost_sales_value"] / 2, row["policy"]
