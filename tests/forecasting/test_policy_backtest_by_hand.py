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


def test_a_lead_of_one_day_from_the_first_day_the_history_allows():
    """Bugs caught: a lead time of 1 trading day replayed as 2 (the floor of 1 raised),
    a replay starting exactly ``backtest_distribution_days`` (20) days in refused as too
    early, and the table's replay end not the last demand day.

    2 units every day, lead 1, review 3: every plan of both policies has reorder point
    2 x 1 = 2 and order-up-to 2 + 2 x 3 = 8. Over the 30 replayed days (days 20-49) the
    stock opens at 8 and closes 6, 4, 2 (position 2 <= 2: order 6, in the next morning),
    then 6, 4, 2 again: an average of 4 units, nothing lost, an order on days 2, 5, ..., 29
    (10). With a lead of 2 the same demand averages 4.2 (the constant-demand test above)."""
    demand, days = _long(np.full((1, 50), 2.0))
    terms = pl.DataFrame({"sku": ["S0"], "unit_value": [1.0], "lead_days": [1]})
    table = policy_backtest(demand, terms, InventorySettings(**SMALL), 3, days[20], days[-1])
    for policy, row in _by_policy(table).items():
        assert (row["replay_start"], row["replay_end"]) == (days[20], days[-1]), policy
        assert (row["avg_inventory_value"], row["fill_rate"]) == (4.0, 1.0), policy
        assert row["orders_placed"] == 10, policy


def test_the_opening_stock_is_the_first_plans_and_lost_sales_are_counted_at_unit_value():
    """Bugs caught: the replay opening with the last plan's order-up-to level instead of
    the first's, units lost counted as demanded + served, and lost sales valued at units /
    unit value instead of units x unit value.

    2 units a day for 30 days, then 12 on day 30 and 2 on day 31, replayed on days 30-31
    and re-planned every day, lead 2, unit value 2.5. The first plan (from days 0-29) has
    order-up-to 2 x 2 + 2 x 3 = 10 under both policies, so the replay opens with 10 on
    hand: day 30 serves 10 of 12, and day 31 serves none of 2 (the order placed on day 30
    arrives on day 32). 4 of 14 units lost, worth 4 x 2.5 = 10. The second plan has seen
    the 12, so opening with its order-up-to level would lose fewer."""
    demand, days = _long(np.array([[2.0] * 30 + [12.0, 2.0]]))
    terms = pl.DataFrame({"sku": ["S0"], "unit_value": [2.5], "lead_days": [2]})
    settings = InventorySettings(**{**SMALL, "backtest_replan_every_days": 1})
    table = policy_backtest(demand, terms, settings, 3, days[30], days[-1])
    for policy, row in _by_policy(table).items():
        assert (row["units_demanded"], row["units_lost"]) == (14.0, 4.0), policy
        assert row["lost_sales_value"] == 10.0, policy


def test_a_day_exactly_at_the_large_order_threshold_is_no_large_order():
    """Bug caught: history days equal to the large-order threshold taken out of the history
    (>= instead of >), while the replay serves such days from stock. With a multiple of 1,
    a constant 2 a day has threshold max(1 x 2, its 99th percentile 2) = 2: every day sits
    on it, so none is large and the replay is the constant-demand one worked by hand above
    (emptied, the history would plan levels of 0 and lose most sales)."""
    demand, days = _long(np.full((1, 60), 2.0))
    terms = pl.DataFrame({"sku": ["S0"], "unit_value": [1.0], "lead_days": [2]})
    settings = InventorySettings(**{**SMALL, "backtest_large_order_multiple": 1.0})
    table = policy_backtest(demand, terms, settings, 3, days[30], days[-1])
    for policy, row in _by_policy(table).items():
        assert (row["large_orders_flagged"], row["fill_rate"]) == (0, 1.0), policy
        assert row["avg_inventory_value"] == 4.2, policy


def test_a_large_order_before_the_replay_leaves_the_history_as_a_day_without_demand():
    """Bug caught: a large one-off order in the history replaced by 1 or -1 unit instead of
    0 when the levels are planned. 2 units a day and one order of 500 on day 29, the last
    day before the replay: the replay must equal that of the same demand selling nothing on
    day 29 (a large order is made to order, so it is no demand the stock plans for). S1
    sells 1 a day, so day 29 stays a trading day without S0's order."""
    with_order = np.full((2, 60), 2.0)
    with_order[1] = 1.0
    with_order[0, 29] = 500.0
    without = with_order.copy()
    without[0, 29] = 0.0
    terms = pl.DataFrame({"sku": ["S0", "S1"], "unit_value": [1.0, 1.0], "lead_days": [2, 2]})
    tables = []
    for matrix in (with_order, without):
        demand, days = _long(matrix)
        tables.append(
            policy_backtest(demand, terms, InventorySettings(**SMALL), 3, days[30], days[-1])
        )
    assert tables[0]["large_orders_flagged"].to_list() == [0, 0]  # none in the replay
    assert tables[0].equals(tables[1])
