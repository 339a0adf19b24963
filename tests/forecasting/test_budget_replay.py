"""The policy backtest under a budget: what ranking by customer value changes."""

import dataclasses

import numpy as np
import polars as pl
import pytest

from config.settings import InventorySettings
from forecasting.budget_replay import RANKINGS, BudgetedSkus, OpenToBuy, budget_replays
from forecasting.policy_backtest import policy_backtest
from forecasting.policy_levels import RecommendedLevels
from forecasting.policy_replay import replay_policy
from forecasting.recommended_policy import RecommendedPolicyRule
from tests.forecasting.test_policy_backtest import _long


def test_open_to_buy_accrues_and_funds_by_priority_first_fit():
    """Bug caught: a budget that forgets what was not spent, or funds in row order."""
    fund = OpenToBuy(
        10.0, np.array([1.0, 2.0, 1.0]), lambda day, position, rows: np.array([1.0, 3.0, 2.0])[rows]
    )
    quantity = np.array([4.0, 4.0, 3.0])
    # day 0: balance 10; SKU1 (priority 3) costs 8: funded; SKU2 (3) does not fit in 2;
    # SKU0 (4) neither
    assert fund(0, np.zeros(3), quantity).tolist() == [0.0, 4.0, 0.0]
    # day 1: balance 2 + 10 = 12: SKU1 8, then SKU2 3 fits in 4, SKU0 4 does not fit in 1
    assert fund(1, np.zeros(3), quantity).tolist() == [0.0, 4.0, 3.0]
    assert fund.balance == pytest.approx(1.0)
    assert fund(2, np.zeros(3), np.zeros(3)).tolist() == [0.0, 0.0, 0.0]
    assert fund.balance == pytest.approx(11.0)


def test_an_order_that_does_not_fit_is_skipped_for_a_cheaper_one_below_it():
    """Bug caught: first fit stopping at the first order that does not fit, so money that
    a cheaper, lower-priority order could use lies idle. Balance 10: the top order (7)
    is funded, the next (5) does not fit in 3, the last (2) does: funded, 1 left."""
    fund = OpenToBuy(10.0, np.ones(3), lambda day, position, rows: np.array([3.0, 2.0, 1.0])[rows])
    assert fund(0, np.zeros(3), np.array([7.0, 5.0, 2.0])).tolist() == [7.0, 0.0, 2.0]
    assert fund.balance == pytest.approx(1.0)


def test_customer_value_ranking_moves_lost_sales_away_from_high_value_customers():
    """Bug caught: the policy-backtest rows under a budget ranked the same with and without
    the customer-value weight, or the weight favouring the wrong SKUs."""
    rng = np.random.default_rng(3)
    matrix = rng.poisson(4.0, size=(20, 70)).astype(float)
    demand, days = _long(matrix)
    # even SKUs: cheaper, bought only by high-value customers; odd: dearer, by nobody high
    even = [i % 2 == 0 for i in range(20)]
    terms = pl.DataFrame(
        {
            "sku": [f"S{i}" for i in range(20)],
            "unit_value": [1.0 if e else 1.2 for e in even],
            "lead_days": [2] * 20,
            "high_value_revenue_share": [1.0 if e else 0.0 for e in even],
        }
    )
    settings = InventorySettings(
        backtest_targets=(0.9,),
        backtest_replan_every_days=10,
        backtest_history_days=10,
        backtest_distribution_days=20,
        backtest_budget_share=0.6,
    )
    table = policy_backtest(demand, terms, settings, 3, days[30], days[-1])
    rows = {row["policy"]: row for row in table.iter_rows(named=True)}
    assert list(rows) == [
        "classic",
        "recommended",
        "recommended, budget: risk",
        "recommended, budget: risk x customer value",
    ]
    uncapped, risk = rows["recommended"], rows["recommended, budget: risk"]
    valued = rows["recommended, budget: risk x customer value"]
    assert uncapped["budget_per_day"] is None
    # 60 % of what the uncapped policy spent per replayed day
    assert risk["budget_per_day"] == valued["budget_per_day"] > 0
    assert risk["fill_rate"] < uncapped["fill_rate"]  # the cap binds
    # risk alone funds the dearer odd SKUs first; with customer value the even ones
    assert valued["high_value_lost_sales_value"] < 0.5 * risk["high_value_lost_sales_value"]
    assert valued["lost_sales_value"] <= risk["lost_sales_value"] * 1.05
    # without the share column the backtest stays the two-policy table
    plain = policy_backtest(
        demand, terms.drop("high_value_revenue_share"), settings, 3, days[30], days[-1]
    )
    assert plain["policy"].to_list() == ["classic", "recommended"]


def test_an_order_costing_exactly_the_balance_left_is_funded_and_one_more_is_not():
    """Bugs caught: the tolerance around the balance turned the wrong way or widened to a
    whole unit of money. Balance 10: the top order (7) is funded, the next (5) does not fit
    in 3, the last (3) fits exactly (a first fit stopping or refusing at ``balance - 1e-9``
    or ``balance - 1`` leaves it). Then, balance 10 again: after 7, an order of 3.5 does not
    fit in 3 (``balance + 1`` would fund it and overdraw), the 1 below it does. A one-unit
    order is an order (``quantity > 1`` would skip it)."""
    fund = OpenToBuy(10.0, np.ones(3), lambda day, position, rows: np.array([3.0, 2.0, 1.0])[rows])
    assert fund(0, np.zeros(3), np.array([7.0, 5.0, 3.0])).tolist() == [7.0, 0.0, 3.0]
    assert fund.balance == pytest.approx(0.0)
    assert fund(1, np.zeros(3), np.array([7.0, 3.5, 1.0])).tolist() == [7.0, 0.0, 1.0]
    assert fund.balance == pytest.approx(2.0)
    assert fund(2, np.zeros(3), np.array([0.0, 1.0, 0.0])).tolist() == [0.0, 1.0, 0.0]


def _funded_by_ranking(lead, unit, share, history, scale, weight, per_day):
    """Two SKUs, four replayed days: both sell 4 of their 6 units on day 0 and ask for 4
    more (position 2 at the reorder point 2); the day's budget pays for one order only,
    and from day 1 on neither orders again (reorder point 1). Each SKU wants 7 on day 3:
    the one funded sells 6 that day, the other 2. Returns each ranking's served units."""
    replay = np.zeros((2, 4))
    replay[:, 0], replay[:, 3] = 4.0, 7.0
    reorder_point = np.array([[2.0, 1.0, 1.0, 1.0]] * 2)
    order_up_to = np.array([[6.0, 1.0, 1.0, 1.0]] * 2)
    ones = np.ones(2)
    plan = RecommendedLevels(ones, ones, ones, np.array(scale), ones)
    rule = RecommendedPolicyRule(
        level_history_days=10,
        distribution_history_days=10,
        review_days=1,
        large_order_multiple=None,
    )
    uncapped = replay_policy(
        replay, reorder_point, order_up_to, np.array(lead), np.array(unit), order_up_to[:, 0]
    )
    uncapped = dataclasses.replace(uncapped, order_value=per_day * 4)
    skus = BudgetedSkus(np.array(unit), np.array(lead), np.array(share))
    results = budget_replays(
        replay,
        reorder_point,
        order_up_to,
        [np.array(history, dtype=float)],
        [plan],
        skus,
        rule,
        4,
        uncapped,
        1.0,
        weight,
    )
    return {ranking: result.served_by_sku.tolist() for ranking, _, result in results}


def test_the_budget_ranks_by_risk_times_lead_time_demand_times_value():
    """Bugs caught in the priority P(L-day demand > position) x level x L x unit value
    x (1 + w x share): the lead time divided instead of multiplied, the exceedance divided
    by the lead-time demand, the L-day sums divided by the scale, the known sums counted
    per day instead of per SKU, the risk ranking weighted by -1 or its 1 + dropped or
    made 2 +; and the replay started from another day's order-up-to level."""
    flat = [[3.0] * 10, [3.0] * 10]
    risk, valued = RANKINGS
    # B's 2-day lead time doubles its lead-time demand: 1 x 2 x 1 beats 1 x 1 x 1.5
    assert _funded_by_ranking([1, 2], [1.5, 1.0], [0, 0], flat, [1, 1], 1.0, 7.0) == {
        risk: [6.0, 10.0],
        valued: [6.0, 10.0],
    }
    # A's sums of 1 a day scaled by 3 exceed its position 2; divided by 3 they would not
    assert _funded_by_ranking(
        [1, 1], [1.5, 1.0], [0, 0], [[1.0] * 10, [3.0] * 10], [3, 1], 1.0, 7.0
    )[risk] == [10.0, 6.0]
    # A exceeds on 8 of its 10 sums: 0.8 x 2 beats B's 1 x 1 (counting only 2 sums, 0)
    assert _funded_by_ranking(
        [1, 1], [2.0, 1.0], [0, 0], [[0, 0] + [5] * 8, [3.0] * 10], [1, 1], 1.0, 9.0
    )[risk] == [10.0, 6.0]
    # risk alone: B (1.5) over A (1), whatever B's share; with w = 1.5 B more so
    assert _funded_by_ranking([1, 1], [1.0, 1.5], [0, 1], flat, [1, 1], 1.5, 7.0) == {
        risk: [6.0, 10.0],
        valued: [6.0, 10.0],
    }
    # risk: A (2) over B (1); valued: B's 1 x 2.5 over A's 2 (with 2 +: A's 4 over 3.5)
    assert _funded_by_ranking([1, 1], [2.0, 1.0], [0, 1], flat, [1, 1], 1.5, 9.0) == {
        risk: [10.0, 6.0],
        valued: [6.0, 10.0],
    }


def test_a_one_day_replay_has_the_whole_days_budget():
    """Bug caught: the spend spread over at least two days, so a replay of one day (the
    replay start on the last demand day, which policy_backtest accepts) gets half its
    budget. Both SKUs sell 4 of their 6 units and reorder 4 at 1 a unit: the uncapped
    replay spends 8, so at a budget share of 1 the day's budget is 8 and funds both orders
    (halved to 4, it would fund one)."""
    replay = np.array([[4.0], [4.0]])
    reorder_point = np.array([[2.0], [2.0]])
    order_up_to = np.array([[6.0], [6.0]])
    ones = np.ones(2)
    uncapped = replay_policy(replay, reorder_point, order_up_to, ones, ones, order_up_to[:, 0])
    assert uncapped.order_value == 8.0
    rule = RecommendedPolicyRule(
        level_history_days=10,
        distribution_history_days=10,
        review_days=1,
        large_order_multiple=None,
    )
    results = budget_replays(
        replay,
        reorder_point,
        order_up_to,
        [np.full((2, 10), 3.0)],
        [RecommendedLevels(ones, ones, ones, ones, ones)],
        BudgetedSkus(ones, ones, np.zeros(2)),
        rule,
        1,
        uncapped,
        1.0,
        1.0,
    )
    for ranking, per_day, capped in results:
        assert per_day == 8.0, ranking
        assert (capped.orders_placed, capped.order_value) == (2, 8.0), ranking
