"""Policy backtest: replay past days under the classic and the recommended reorder policy.

Setup (all days are trading days: the demand frame holds only those):

- SKUs replayed: those with a first sale at least ``min_history_days`` before the replay
  start and a unit value and lead time.
- Every ``replan_every_days`` from the replay start the levels are planned again from
  the history before that day only (no peeking); between plans they stay fixed.
- Large one-off orders (:func:`forecasting.policy_levels.large_order_thresholds` on the
  trailing ``distribution_history_days`` as of the plan day) are served by a separate
  rule, made to order and not from stock, under BOTH policies: they leave the demand the
  stock must serve and the history the levels are planned from, and are counted in the
  table. ``large_order_multiple=None`` turns this off (every unit is served from stock).
- Each policy starts the replay with its own first order-up-to level on hand and nothing
  on order; then :func:`forecasting.policy_replay.replay_policy` runs the days.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import polars as pl

from forecasting.policy_levels import classic_levels, large_order_thresholds, recommended_levels
from forecasting.policy_replay import replay_policy

POLICIES = ("classic", "recommended")
TABLE_SCHEMA: dict[str, pl.DataType] = {
    "policy": pl.String(),
    "target_service_level": pl.Float64(),
    "achieved_cycle_service_level": pl.Float64(),
    "fill_rate": pl.Float64(),
    "stockout_days": pl.Int64(),
    "avg_inventory_value": pl.Float64(),
    "skus": pl.Int64(),
    "replay_start": pl.Date(),
    "replay_end": pl.Date(),
    "replenishment_cycles": pl.Int64(),
    "orders_placed": pl.Int64(),
    "units_demanded": pl.Float64(),
    "units_lost": pl.Float64(),
    "large_orders_flagged": pl.Int64(),
    "large_order_units": pl.Float64(),
    "large_order_rule": pl.String(),
}


@dataclass(frozen=True)
class BacktestSetup:
    """How the replay runs; defaults are the reference setup (docs/inventory.md)."""

    replay_start: dt.date
    replay_end: dt.date
    replan_every_days: int = 28
    review_days: int = 7  # demand days the order-up-to level adds above the reorder point
    classic_history_days: int = 56  # the classic mean and sd; also the recommended level
    distribution_history_days: int = 112  # empirical lead-time demand; large-order thresholds
    min_history_days: int = 56
    cycle_weight: float = 0.5  # share of cycle service in the recommended policy's target
    large_order_multiple: float | None = 10.0
    large_order_quantile: float = 0.99

    def large_order_rule(self) -> str:
        if self.large_order_multiple is None:
            return "none flagged: every order is served from stock"
        return (
            f"a SKU-day above {self.large_order_multiple:g}x the SKU's median selling day and its "
            f"{self.large_order_quantile * 100:g}th percentile (trailing "
            f"{self.distribution_history_days} days) is made to order, not served from stock"
        )


def demand_matrix(demand: pl.DataFrame) -> tuple[list[str], np.ndarray, np.ndarray]:
    """SKUs x trading days of units, zero-filled, from a long frame (sku, day, units).

    Returns:
        (skus sorted, days as datetime64[D] sorted, units matrix); every day present in
        the frame is a column, every SKU a row.
    """
    skus = sorted(demand["sku"].unique().to_list())
    days = np.array(sorted(demand["day"].unique().to_list()), dtype="datetime64[D]")
    matrix = np.zeros((len(skus), len(days)))
    row = demand["sku"].replace_strict(skus, list(range(len(skus))), return_dtype=pl.Int64)
    col = np.searchsorted(days, demand["day"].to_numpy().astype("datetime64[D]"))
    np.add.at(matrix, (row.to_numpy(), col), demand["units"].cast(pl.Float64).to_numpy())
    return skus, days, matrix


def policy_backtest(
    demand: pl.DataFrame,
    sku_terms: pl.DataFrame,
    targets: list[float],
    setup: BacktestSetup,
) -> pl.DataFrame:
    """Replay both policies at every target over the replay window.

    Args:
        demand: one row per SKU and trading day with demand: sku, day (Date), units (>= 0).
            Days absent for every SKU are not trading days.
        sku_terms: one row per SKU: sku, unit_value (money per unit held), lead_days
            (trading days from order to delivery, >= 1).
        targets: target service levels, e.g. [0.80, 0.90, 0.95, 0.98].
        setup: replay dates and planning choices (:class:`BacktestSetup`).

    Returns:
        inventory.policy_backtest: one row per policy and target (``TABLE_SCHEMA``).
    """
    skus, days, matrix = demand_matrix(demand.filter(pl.col("day") <= setup.replay_end))
    start = int(np.searchsorted(days, np.datetime64(setup.replay_start, "D")))
    if start >= len(days) or start < setup.distribution_history_days:
        raise ValueError(
            f"policy backtest: replay start {setup.replay_start} needs "
            f"{setup.distribution_history_days} trading days of history before it and a demand day "
            f"on or after it; the demand covers {days[0] if len(days) else None}..{days[-1] if len(days) else None}"
        )
    first_sale = np.where((matrix > 0).any(axis=1), np.argmax(matrix > 0, axis=1), len(days))
    repeated = sku_terms.filter(pl.col("sku").is_duplicated())["sku"]
    if len(repeated):
        raise ValueError(
            f"policy backtest: SKU {repeated[0]!r} has {(repeated == repeated[0]).sum()} rows of "
            "unit value and lead time; pass one row per SKU (e.g. the latest catalog row)"
        )
    terms = pl.DataFrame({"sku": skus}).join(sku_terms, on="sku", how="left", maintain_order="left")
    eligible = (
        (start - first_sale >= setup.min_history_days)
        & terms["unit_value"].is_not_null().to_numpy()
        & terms["lead_days"].is_not_null().to_numpy()
    )
    matrix = matrix[eligible]
    unit_value = terms["unit_value"].to_numpy()[eligible].astype(float)
    lead_days = np.maximum(terms["lead_days"].to_numpy()[eligible].astype(np.int64), 1)

    replay = matrix[:, start:].copy()
    plan_days = range(0, replay.shape[1], setup.replan_every_days)
    histories, flagged, flagged_units = [], 0, 0.0
    for plan in plan_days:
        history = matrix[:, : start + plan]
        threshold = large_order_thresholds(
            history[:, -setup.distribution_history_days :],
            setup.large_order_multiple or np.inf,
            setup.large_order_quantile,
        )
        segment = replay[:, plan : plan + setup.replan_every_days]  # a view: cleansed in place
        large = segment > threshold[:, None]
        flagged += int(large.sum())
        flagged_units += float(segment[large].sum())
        segment[large] = 0.0
        histories.append(np.where(history > threshold[:, None], 0.0, history))

    rows = []
    for policy in POLICIES:
        for target in targets:
            reorder_point = np.zeros_like(replay)
            order_up_to = np.zeros_like(replay)
            for plan, history in zip(plan_days, histories, strict=True):
                if policy == "classic":
                    levels = classic_levels(
                        history[:, -setup.classic_history_days :],
                        lead_days,
                        target,
                        setup.review_days,
                    )
                else:
                    planned = recommended_levels(
                        history[:, -setup.distribution_history_days :],
                        setup.classic_history_days,
                        lead_days,
                        target,
                        setup.review_days,
                        unit_value,
                        setup.cycle_weight,
                    )
                    levels = (planned.reorder_point, planned.order_up_to)
                span = slice(plan, plan + setup.replan_every_days)
                reorder_point[:, span] = levels[0][:, None]
                order_up_to[:, span] = levels[1][:, None]
            result = replay_policy(
                replay, reorder_point, order_up_to, lead_days, unit_value, order_up_to[:, 0]
            )
            rows.append(
                {
                    "policy": policy,
                    "target_service_level": target,
                    "achieved_cycle_service_level": result.cycle_service_level,
                    "fill_rate": result.fill_rate,
                    "stockout_days": result.stockout_days,
                    "avg_inventory_value": result.avg_inventory_value,
                    "skus": int(eligible.sum()),
                    "replay_start": days[start].astype(dt.date),
                    "replay_end": days[-1].astype(dt.date),
                    "replenishment_cycles": result.cycles,
                    "orders_placed": result.orders_placed,
                    "units_demanded": result.demanded,
                    "units_lost": result.demanded - result.served,
                    "large_orders_flagged": flagged,
                    "large_order_units": flagged_units,
                    "large_order_rule": setup.large_order_rule(),
                }
            )
    return pl.DataFrame(rows, schema=TABLE_SCHEMA)
