"""The recommended policy replayed under a purchasing budget, ranked two ways.

The reorder list funds today's orders by priority when ``inventory.budget_cap`` binds
(:mod:`forecasting.reorder_budget`). The policy backtest shows what that ranking costs
and what weighting it by customer value changes, on past days:

- Budget: an open-to-buy that accrues ``inventory.backtest_budget_share`` x the money the
  uncapped recommended policy spent per replayed day (at the same target), every day;
  what is not spent carries over. So the cap binds, by the same margin at every target.
- Each day the orders the policy wants (position at or below the reorder point) are
  funded in falling priority, ties by SKU row; an order that does not fit in the balance
  is skipped and the next one tried (as on the list). An unfunded SKU asks again the
  next day.
- Priority = P(L-day demand > position) x lead-time demand x unit value
  x (1 + w x share): the list's priority, with the stockout probability over the scaled
  empirical L-day sums of the plan in force (:func:`forecasting.policy_levels.lead_time_exceedance`),
  lead-time demand = level x L, share = the SKU's share of revenue from high-value
  customers. Ranking ``risk`` uses w = 0, ``risk x customer value`` uses
  w = ``inventory.budget_customer_weight``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from forecasting.policy_levels import lead_time_exceedance, recommended_levels
from forecasting.policy_replay import ReplayResult, replay_policy
from forecasting.recommended_policy import RecommendedPolicyRule

RANKINGS = ("risk", "risk x customer value")


@dataclass(frozen=True)
class BudgetedSkus:
    """The replayed SKUs' terms a budget ranks them by (arrays in the replay's row order)."""

    unit_value: np.ndarray
    lead_days: np.ndarray
    high_value_share: np.ndarray  # 0 where unknown


class OpenToBuy:
    """The ``fund`` rule of :func:`forecasting.policy_replay.replay_policy`: a budget that
    accrues every day, spent on the day's orders by priority (module docstring)."""

    def __init__(self, per_day: float, unit_value: np.ndarray, priority):
        self.per_day = per_day
        self.unit_value = unit_value
        self.priority = priority  # priority(day, position, rows) -> one value per row
        self.balance = 0.0

    def __call__(self, day: int, position: np.ndarray, quantity: np.ndarray) -> np.ndarray:
        self.balance += self.per_day
        wanted = np.flatnonzero(quantity > 0)
        funded = np.zeros_like(quantity)
        if not len(wanted):
            return funded
        priority = self.priority(day, position, wanted)
        for row in wanted[np.lexsort((wanted, -priority))]:  # highest first, ties by row
            value = quantity[row] * self.unit_value[row]
            if value <= self.balance + 1e-9:
                funded[row] = quantity[row]
                self.balance -= value
        return funded


def budget_replays(
    replay: np.ndarray,
    reorder_point: np.ndarray,
    order_up_to: np.ndarray,
    histories: list[np.ndarray],
    skus: BudgetedSkus,
    target: float,
    rule: RecommendedPolicyRule,
    every: int,
    uncapped: ReplayResult,
    budget_share: float,
    customer_weight: float,
) -> list[tuple[str, float, ReplayResult]]:
    """Replay the recommended levels of one target under the budget, once per ranking.

    Args:
        replay: the cleansed demand of the replayed days (SKUs x days).
        reorder_point, order_up_to: the recommended levels per SKU and day at ``target``.
        histories: the cleansed history before each plan day (one per ``every`` days).
        skus: unit value, lead time and high-value share per SKU.
        target: the blended service target the levels were planned for.
        rule: the recommended policy's planning rule.
        every: replayed days between plans.
        uncapped: the replay of the same levels without a budget (its spend sets the budget).
        budget_share: ``inventory.backtest_budget_share``.
        customer_weight: ``inventory.budget_customer_weight``.

    Returns:
        (ranking, budget per day, replay result), one per ranking of ``RANKINGS``.
    """
    per_day = budget_share * uncapped.order_value / max(replay.shape[1], 1)
    plans = [
        recommended_levels(
            history[:, -rule.distribution_history_days :],
            rule.level_history_days,
            skus.lead_days,
            target,
            rule.review_days,
            skus.unit_value,
            rule.cycle_weight,
        )
        for history in histories
    ]
    results = []
    for ranking, weight in zip(RANKINGS, (0.0, customer_weight), strict=True):
        value_weight = skus.unit_value * (1 + weight * skus.high_value_share)

        def priority(
            day: int, position: np.ndarray, rows: np.ndarray, value_weight=value_weight
        ) -> np.ndarray:
            plan = day // every
            levels = plans[plan]
            exceed = lead_time_exceedance(
                histories[plan][rows, -rule.distribution_history_days :],
                skus.lead_days[rows],
                levels.scale[rows],
                position[rows],
            )
            lead_time_demand = levels.level[rows] * skus.lead_days[rows]
            return np.nan_to_num(exceed) * lead_time_demand * value_weight[rows]

        fund = OpenToBuy(per_day, skus.unit_value, priority)
        result = replay_policy(
            replay,
            reorder_point,
            order_up_to,
            skus.lead_days,
            skus.unit_value,
            order_up_to[:, 0],
            fund,
        )
        results.append((ranking, per_day, result))
    return results
