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
  empirical L-day sums of the plan in force (as
  :func:`forecasting.policy_levels.lead_time_exceedance` counts them),
  lead-time demand = level x L, share = the SKU's share of revenue from high-value
  customers. Ranking ``risk`` uses w = 0, ``risk x customer value`` uses
  w = ``inventory.budget_customer_weight``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from forecasting.policy_levels import RecommendedLevels, lead_time_demand_sums
from forecasting.policy_replay import ReplayResult, replay_policy
from forecasting.recommended_policy import RecommendedPolicyRule
from forecasting.sorted_rows import share_above

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
        ranked = wanted[np.lexsort((wanted, -priority))]  # highest first, ties by row
        values = quantity[ranked] * self.unit_value[ranked]
        # The orders at the top that fit together are funded at once; then first fit walks
        # down the rest, until even the cheapest one left does not fit.
        top = int(np.searchsorted(np.cumsum(values), self.balance + 1e-9, side="right"))
        funded[ranked[:top]] = quantity[ranked[:top]]
        self.balance -= float(values[:top].sum())
        cheapest_left = np.minimum.accumulate(values[::-1])[::-1]
        for rank in range(top, len(ranked)):
            if cheapest_left[rank] > self.balance + 1e-9:
                break
            if values[rank] <= self.balance + 1e-9:
                funded[ranked[rank]] = quantity[ranked[rank]]
                self.balance -= values[rank]
        return funded


def budget_replays(
    replay: np.ndarray,
    reorder_point: np.ndarray,
    order_up_to: np.ndarray,
    histories: list[np.ndarray],
    plans: list[RecommendedLevels],
    skus: BudgetedSkus,
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
        plans: what the recommended policy planned from each of them.
        skus: unit value, lead time and high-value share per SKU.
        rule: the recommended policy's planning rule.
        every: replayed days between plans.
        uncapped: the replay of the same levels without a budget (its spend sets the budget).
        budget_share: ``inventory.backtest_budget_share``.
        customer_weight: ``inventory.budget_customer_weight``.

    Returns:
        (ranking, budget per day, replay result), one per ranking of ``RANKINGS``.
    """
    per_day = budget_share * uncapped.order_value / max(replay.shape[1], 1)
    window = rule.distribution_history_days
    # Each plan's scaled L-day sums, sorted once per SKU (NaN last): a day's stockout
    # probabilities are then a binary search per SKU, not a pass over every sum.
    sums = [
        np.sort(_scaled_lead_time_sums(history[:, -window:], skus.lead_days, levels.scale))
        for history, levels in zip(histories, plans, strict=True)
    ]
    counts = [(~np.isnan(planned)).sum(axis=1) for planned in sums]
    results = []
    for ranking, weight in zip(RANKINGS, (0.0, customer_weight), strict=True):
        value_weight = skus.unit_value * (1 + weight * skus.high_value_share)

        def priority(
            day: int, position: np.ndarray, rows: np.ndarray, value_weight=value_weight
        ) -> np.ndarray:
            plan = day // every
            exceed = share_above(sums[plan], counts[plan], rows, position[rows])
            lead_time_demand = plans[plan].level[rows] * skus.lead_days[rows]
            return exceed * lead_time_demand * value_weight[rows]

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


def _scaled_lead_time_sums(
    history: np.ndarray, lead_days: np.ndarray, scale: np.ndarray
) -> np.ndarray:
    """Every L-day sum per SKU scaled to its recent level, SKUs x windows, NaN-padded on
    the right where a longer lead time leaves fewer windows."""
    sums = np.full(history.shape, np.nan)
    for lead in np.unique(lead_days):
        group = lead_days == lead
        group_sums = lead_time_demand_sums(history[group], int(lead)) * scale[group, None]
        sums[np.flatnonzero(group), : group_sums.shape[1]] = group_sums
    return sums
