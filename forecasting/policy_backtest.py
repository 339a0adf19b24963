"""Policy backtest: replay past days under the classic and the recommended reorder policy.

Setup (all days are trading days: the demand frame holds only those):

- SKUs replayed: those with a first sale at least ``inventory.backtest_history_days``
  before the replay start and a unit value and lead time.
- Every ``inventory.backtest_replan_every_days`` from the replay start the levels are
  planned again from the history before that day only (no peeking); between plans they
  stay fixed. Both policies plan with the windows of
  :class:`forecasting.recommended_policy.RecommendedPolicyRule`.
- Large one-off orders (:func:`forecasting.policy_levels.large_order_thresholds` on the
  trailing distribution window as of the plan day) are served by a separate rule, made to
  order and not from stock, under BOTH policies: they leave the demand the stock must
  serve and the history the levels are planned from, and are counted in the table.
  ``backtest_large_order_multiple=None`` turns this off (every unit is served from stock).
- Each policy starts the replay with its own first order-up-to level on hand and nothing
  on order; then :func:`forecasting.policy_replay.replay_policy` runs the days.
- When the terms carry each SKU's share of revenue from high-value customers, the
  recommended policy is replayed again at each target under a budget, once ranked by
  stockout risk and once by risk x customer value (:mod:`forecasting.budget_replay`): rows
  ``recommended, budget: risk`` and ``recommended, budget: risk x customer value``. Every
  row counts the sales it lost at unit value, and the part of them high-value customers
  would have bought (units lost x unit value x share).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import polars as pl

from config.settings import InventorySettings
from forecasting.budget_replay import BudgetedSkus, budget_replays
from forecasting.policy_levels import (
    RecommendedLevels,
    classic_levels,
    large_order_thresholds,
    recommended_levels,
)
from forecasting.policy_replay import ReplayResult, replay_policy
from forecasting.recommended_policy import RecommendedPolicyRule

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
    "budget_per_day": pl.Float64(),  # empty: no budget
    "lost_sales_value": pl.Float64(),
    "high_value_lost_sales_value": pl.Float64(),
}
SHARE = "high_value_revenue_share"  # the optional column of the terms that adds budget rows


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


@dataclass(frozen=True)
class ReplaySkus:
    """The SKUs a backtest replays: their demand (SKUs x trading days) and terms."""

    matrix: np.ndarray  # all trading days up to the replay end
    unit_value: np.ndarray
    lead_days: np.ndarray
    high_value_share: np.ndarray  # 0 where unknown


def policy_backtest(
    demand: pl.DataFrame,
    sku_terms: pl.DataFrame,
    inventory: InventorySettings,
    review_days: int,
    replay_start: dt.date,
    replay_end: dt.date,
) -> pl.DataFrame:
    """Replay both policies at every target over the replay window.

    Args:
        demand: one row per SKU and trading day with demand: sku, day (Date), units (>= 0).
            Days absent for every SKU are not trading days.
        sku_terms: one row per SKU: sku, unit_value (money per unit held), lead_days
            (trading days from order to delivery, >= 1); optional high_value_revenue_share
            (the budget rows are replayed only when it is there).
        inventory: the targets (``backtest_targets``), the re-planning period and the
            recommended policy's planning rule (:class:`RecommendedPolicyRule`); the
            minimum history of a replayed SKU is ``backtest_history_days``.
        review_days: trading days of demand the order-up-to level adds above the reorder point.
        replay_start: the first replayed day (a trading day in ``demand``).
        replay_end: the last day of demand used.

    Returns:
        inventory.policy_backtest: one row per policy and target (``TABLE_SCHEMA``).
    """
    rule = RecommendedPolicyRule.from_settings(inventory, review_days)
    skus, days, matrix = demand_matrix(demand.filter(pl.col("day") <= replay_end))
    start = int(np.searchsorted(days, np.datetime64(replay_start, "D")))
    if start >= len(days) or start < rule.distribution_history_days:
        span = f"{days[0]}..{days[-1]}" if len(days) else "None..None"
        raise ValueError(
            f"policy backtest: replay start {replay_start} needs "
            f"{rule.distribution_history_days} trading days of history before it and a demand "
            f"day on or after it; the demand covers {span}"
        )
    replayed = _replayed_skus(skus, matrix, sku_terms, start, inventory.backtest_history_days)
    every = inventory.backtest_replan_every_days
    replay = replayed.matrix[:, start:].copy()
    plan_days = range(0, replay.shape[1], every)
    histories, flagged, flagged_units = _cleanse_large_orders(
        replayed.matrix, replay, start, plan_days, every, rule
    )
    shared = {
        "skus": len(replayed.lead_days),
        "replay_start": days[start].astype(dt.date),
        "replay_end": days[-1].astype(dt.date),
        "large_orders_flagged": flagged,
        "large_order_units": flagged_units,
        "large_order_rule": rule.large_order_text(),
    }
    rows = []
    for policy in POLICIES:
        for target in inventory.backtest_targets:
            reorder_point = np.zeros_like(replay)
            order_up_to = np.zeros_like(replay)
            plans = []  # the recommended policy's levels of each plan, for the budget rows
            for plan, history in zip(plan_days, histories, strict=True):
                levels = _planned_levels(policy, history, replayed, target, rule)
                reorder_point[:, plan : plan + every] = levels[0][:, None]
                order_up_to[:, plan : plan + every] = levels[1][:, None]
                plans.append(levels[2])
            result = replay_policy(
                replay,
                reorder_point,
                order_up_to,
                replayed.lead_days,
                replayed.unit_value,
                order_up_to[:, 0],
            )
            rows.append(
                {"policy": policy, "target_service_level": target, **_measures(result, replayed)}
            )
            if policy == "recommended" and SHARE in sku_terms.columns:
                budgeted = budget_replays(
                    replay,
                    reorder_point,
                    order_up_to,
                    histories,
                    plans,
                    BudgetedSkus(
                        replayed.unit_value, replayed.lead_days, replayed.high_value_share
                    ),
                    rule,
                    every,
                    result,
                    inventory.backtest_budget_share,
                    inventory.budget_customer_weight,
                )
                rows += [
                    {
                        "policy": f"recommended, budget: {ranking}",
                        "target_service_level": target,
                        "budget_per_day": per_day,
                        **_measures(capped, replayed),
                    }
                    for ranking, per_day, capped in budgeted
                ]
    return pl.DataFrame([{**row, **shared} for row in rows], schema=TABLE_SCHEMA)


def _replayed_skus(
    skus: list[str], matrix: np.ndarray, sku_terms: pl.DataFrame, start: int, min_history: int
) -> ReplaySkus:
    """The SKUs first sold at least ``min_history`` days before the replay, with terms."""
    first_sale = np.where((matrix > 0).any(axis=1), np.argmax(matrix > 0, axis=1), matrix.shape[1])
    repeated = sku_terms.filter(pl.col("sku").is_duplicated())["sku"]
    if len(repeated):
        raise ValueError(
            f"policy backtest: SKU {repeated[0]!r} has {(repeated == repeated[0]).sum()} rows of "
            "unit value and lead time; pass one row per SKU (e.g. the latest catalog row)"
        )
    terms = pl.DataFrame({"sku": skus}).join(sku_terms, on="sku", how="left", maintain_order="left")
    eligible = (
        (start - first_sale >= min_history)
        & terms["unit_value"].is_not_null().to_numpy()
        & terms["lead_days"].is_not_null().to_numpy()
    )
    share = (
        terms[SHARE].fill_null(0.0).cast(pl.Float64).to_numpy()
        if SHARE in terms.columns
        else np.zeros(terms.height)
    )
    return ReplaySkus(
        matrix=matrix[eligible],
        unit_value=terms["unit_value"].to_numpy()[eligible].astype(float),
        lead_days=np.maximum(terms["lead_days"].to_numpy()[eligible].astype(np.int64), 1),
        high_value_share=share[eligible],
    )


def _cleanse_large_orders(
    matrix: np.ndarray,
    replay: np.ndarray,
    start: int,
    plan_days: range,
    every: int,
    rule: RecommendedPolicyRule,
) -> tuple[list[np.ndarray], int, float]:
    """Take large one-off orders out of ``replay`` (in place) and out of each plan's history.

    Returns:
        (the cleansed history before each plan day, large SKU-days flagged, their units).
    """
    histories, flagged, flagged_units = [], 0, 0.0
    for plan in plan_days:
        history = matrix[:, : start + plan]
        threshold = large_order_thresholds(
            history[:, -rule.distribution_history_days :],
            rule.large_order_multiple or np.inf,
            rule.large_order_quantile,
        )
        segment = replay[:, plan : plan + every]  # a view: cleansed in place
        large = segment > threshold[:, None]
        flagged += int(large.sum())
        flagged_units += float(segment[large].sum())
        segment[large] = 0.0
        histories.append(np.where(history > threshold[:, None], 0.0, history))
    return histories, flagged, flagged_units


def _planned_levels(
    policy: str,
    history: np.ndarray,
    replayed: ReplaySkus,
    target: float,
    rule: RecommendedPolicyRule,
) -> tuple[np.ndarray, np.ndarray, RecommendedLevels | None]:
    """(reorder point, order-up-to level) per SKU that ``policy`` plans from ``history``, and
    the recommended policy's whole plan (None for the classic one)."""
    if policy == "classic":
        classic = classic_levels(
            history[:, -rule.level_history_days :], replayed.lead_days, target, rule.review_days
        )
        return (*classic, None)
    planned = recommended_levels(
        history[:, -rule.distribution_history_days :],
        rule.level_history_days,
        replayed.lead_days,
        target,
        rule.review_days,
        replayed.unit_value,
        rule.cycle_weight,
    )
    return planned.reorder_point, planned.order_up_to, planned


def _measures(result: ReplayResult, replayed: ReplaySkus) -> dict[str, float | int]:
    """The table's measures of one replay."""
    lost_value = (result.demanded_by_sku - result.served_by_sku) * replayed.unit_value
    return {
        "lost_sales_value": float(lost_value.sum()),
        "high_value_lost_sales_value": float(lost_value @ replayed.high_value_share),
        "achieved_cycle_service_level": result.cycle_service_level,
        "fill_rate": result.fill_rate,
        "stockout_days": result.stockout_days,
        "avg_inventory_value": result.avg_inventory_value,
        "replenishment_cycles": result.cycles,
        "orders_placed": result.orders_placed,
        "units_demanded": result.demanded,
        "units_lost": result.demanded - result.served,
    }
