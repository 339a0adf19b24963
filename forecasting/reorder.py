"""Reorder recommendations: which SKUs to order now, how many, by when, and why.

The reorder point and order-up-to level are those of the policy the backtest validates
(``recommended`` in inventory.policy_backtest), computed by the same function,
:func:`forecasting.policy_levels.recommended_levels`; the demand forecast says when stock
runs out and when to order. One SKU; "days" are calendar days unless said otherwise:

1. History: the SKU's units over the last ``distribution_history_days`` trading days up to
   ``as_of``, large one-off orders removed as in the backtest
   (:func:`forecasting.reorder_inputs.demand_history`); days before a SKU's first sale in
   the mart are unknown, not zero. L = the catalog lead time in trading
   days (calendar days x trading days per week / 7, rounded up), as the backtest counts it.
2. Lead-time demand is empirical: every sum of L consecutive days of that history, scaled by
   the recent level (mean of the last ``classic_history_days`` known days) over the
   window mean. A SKU selling for fewer than L days has no sum: its distribution is the one
   point L x level (and its stockout probability 1 or 0).
   lead_time_demand = level x L, its mean at the recent rate.
3. Reorder point (ROP) = one quantile of that distribution per SKU, chosen so that the SKUs
   of one ABC class together reach the class's target blended service (``cycle_weight`` x
   cycle service + the rest x fill rate, inventory.service_level) at the least stock value
   (unit_cost): cheap fast movers get high service, dear slow ones less. service_level =
   the SKU's planned cycle service, the share of past L-day sums its ROP covers. Safety
   stock = ROP - lead_time_demand (negative when a slow, dear SKU gets a quantile below the
   mean). Order-up-to = ROP + level x review days (``review_period_days`` in trading days).
4. Inventory position = on hand + on order. The SKU is ordered now when its position,
   less the forecast demand until the next review (``as_of + review_period_days``), is at
   or below the ROP: waiting for the next review would let it fall under the ROP.
5. Quantity = order-up-to level - position ("order-up-to" policy), or the economic order
   quantity sqrt(2 * annual demand * order cost / (holding cost rate * unit cost)), annual
   demand from the forecast, but at least enough to lift the position above the ROP ("eoq"
   policy). It is rounded up to whole units, raised to the supplier MOQ, and rounded up to
   whole packs; the ``rounding`` column says which of these happened.
6. order_by is the first day the position less the cumulative forecast reaches the ROP,
   today if it already has. days_of_cover = on hand / mean forecast per day.
   projected_stockout_date is the first day the cumulative forecast exceeds on hand, empty
   when that is beyond the forecast horizon. stockout_probability = the share of the scaled
   L-day sums above the position: the chance of running out before an order placed today
   arrives.

7. With a budget cap (setting inventory.budget_cap) orders are funded by priority =
   stockout_probability x lead-time demand x unit cost; what does not fit is kept but
   marked deferred, its reason saying so (:mod:`forecasting.reorder_budget`).

The reason reads e.g. "On hand 30 + on order 0 covers 3 days; 7-day lead time (7 trading
days) needs 70 units at the recent rate; reorder point 70 covers 100 % of past 7-day demand
(class B target 95 %); 100% chance of running out before an order placed today arrives.
Order 120 by 2024-07-01 (rounded up from 110 to 120: 10 packs of 12)."

Only products are recommended (catalog is_product false is never ordered), and only SKUs
with a catalog row (lead time, cost) and an inventory position (a stock count): without
those there is nothing to compute from. A SKU without an ABC class is treated as class C.
A SKU that sold nothing in the history window gets a reorder point of 0, as in the backtest.
The catalog's lead-time spread (lead_time_std_days) is not used: the backtest replays fixed
lead times, so a rule with it would not be the validated one.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence

import numpy as np
import polars as pl

from forecasting.order_rounding import round_order
from forecasting.policy_backtest import BacktestSetup
from forecasting.policy_levels import lead_time_exceedance, recommended_levels
from forecasting.reorder_budget import apply_budget_cap
from forecasting.reorder_inputs import (
    daily_demand_grid,
    demand_history,
    lead_trading_days,
    orderable_skus,
)

POLICIES = ("order-up-to", "eoq")
BUDGET_COLUMNS = ("priority", "priority_rank", "deferred")  # added by apply_budget_cap
OUTPUT_SCHEMA: dict[str, pl.DataType] = {
    "sku": pl.String(),
    "description": pl.String(),
    "abc_class": pl.String(),
    "demand_pattern": pl.String(),
    "on_hand": pl.Int64(),
    "on_order": pl.Int64(),
    "inventory_position": pl.Int64(),
    "lead_time_days": pl.Float64(),
    "lead_time_demand": pl.Float64(),
    "safety_stock": pl.Float64(),
    "reorder_point": pl.Float64(),
    "order_up_to": pl.Float64(),
    "order_qty": pl.Int64(),
    "rounding": pl.String(),
    "order_by": pl.Date(),
    "days_of_cover": pl.Float64(),
    "projected_stockout_date": pl.Date(),
    "stockout_probability": pl.Float64(),
    "unit_cost": pl.Float64(),
    "order_value": pl.Float64(),
    "service_level": pl.Float64(),
    "reason": pl.String(),
    "priority": pl.Float64(),
    "priority_rank": pl.Int64(),
    "deferred": pl.Boolean(),
}


def reorder_recommendations(
    forecast: pl.DataFrame,
    history: pl.DataFrame,
    catalog: pl.DataFrame,
    inventory_position: pl.DataFrame,
    abc: pl.DataFrame,
    as_of: dt.date,
    service_level_by_class: Mapping[str, float],
    review_period_days: int,
    trading_weekdays: Sequence[int],
    policy: str = "order-up-to",
    holding_cost_rate: float = 0.25,
    order_cost: float = 30.0,
    budget_cap: float | None = None,
    rule: BacktestSetup | None = None,
) -> pl.DataFrame:
    """Recommend what to order today, one row per SKU with an order quantity > 0.

    Args:
        forecast: forecasts.demand_forecast rows: sku, day, forecast, demand_pattern.
        history: marts.sku_demand_daily on trading days: sku, day, units (the demand the
            policy backtest replays).
        catalog: staging.stg_catalog: sku, unit_cost, lead_time_days; optional description,
            lead_time_std_days (default 0), moq (1), pack_size (1), is_product (true).
        inventory_position: sku, on_hand, on_order (NULL = 0) as of ``as_of``; several
            rows per SKU (locations) are summed.
        abc: sku, abc_class (from :func:`forecasting.demand.abc_classes`).
        as_of: the day the stock was counted and the order would be placed.
        service_level_by_class: target blended service per ABC class, e.g. {"A": 0.98}: the
            target of the value-based allocation over the class's SKUs.
        review_period_days: calendar days until the next ordering opportunity.
        trading_weekdays: ISO weekdays the shop trades (1 = Monday), as in the forecast.
        policy: "order-up-to" or "eoq" (see the module docstring).
        holding_cost_rate: yearly holding cost per unit of stock value (eoq only).
        order_cost: fixed cost of one purchase order (eoq only).
        budget_cap: money for today's orders; None for no cap. See
            :func:`forecasting.reorder_budget.apply_budget_cap` for what is deferred.
        rule: the planning windows, cycle weight and large-order rule of the backtest
            (:class:`forecasting.policy_backtest.BacktestSetup`; its replay dates are not
            used). None: the backtest's defaults.

    Returns:
        inventory.reorder_recommendations: the columns of ``OUTPUT_SCHEMA``, sorted by
        order_by then sku.
    """
    if policy not in POLICIES:
        raise ValueError(f"inventory policy {policy!r} is unknown; use one of {POLICIES}")
    skus = orderable_skus(forecast, catalog, inventory_position, abc, service_level_by_class)
    if skus.is_empty():
        return pl.DataFrame(schema=OUTPUT_SCHEMA)
    forecast_skus = forecast.filter(pl.col("day") > as_of)["sku"].unique()
    stale = skus.filter(~pl.col("sku").is_in(forecast_skus.implode()))["sku"]
    if len(stale):
        raise ValueError(
            f"the demand forecast for {len(stale)} SKU(s) (first: {stale[0]!r}) ends on or "
            f"before {as_of}; re-run forecasts.demand_forecast before the reorder step"
        )
    rule = rule or BacktestSetup(replay_start=as_of, replay_end=as_of)
    lead_days = lead_trading_days(skus["lead_time_days"].to_numpy(), trading_weekdays)
    past = demand_history(
        history,
        skus["sku"].to_list(),
        as_of,
        rule.distribution_history_days,
        rule.large_order_multiple,
        rule.large_order_quantile,
    )
    levels = recommended_levels(
        past,
        rule.classic_history_days,
        lead_days,
        skus["class_target"].to_numpy(),
        round(review_period_days * len(trading_weekdays) / 7),
        skus["unit_cost"].to_numpy().astype(float),
        rule.cycle_weight,
    )
    reorder_point, order_up_to = levels.reorder_point, levels.order_up_to
    lead_time_demand = levels.level * lead_days
    safety_stock = reorder_point - lead_time_demand

    through = as_of + dt.timedelta(
        days=int(np.ceil(skus["lead_time_days"].max())) + review_period_days
    )
    days, mean, horizon_end = daily_demand_grid(
        forecast, skus["sku"].to_list(), as_of, through, trading_weekdays
    )
    today = np.datetime64(as_of, "D")
    within = days[None, :] <= horizon_end[:, None]
    daily = (mean * within).sum(1) / (horizon_end - today).astype(int)
    on_hand = skus["on_hand"].to_numpy()
    position = on_hand + skus["on_order"].to_numpy()
    cumulative = mean.cumsum(1)
    to_review = (mean * (days[None, :] <= today + review_period_days)).sum(1)
    if policy == "order-up-to":
        wanted = order_up_to - position
    else:
        unit_cost = skus["unit_cost"].to_numpy()
        if (unit_cost <= 0).any():
            raise ValueError(
                f"catalog: SKU {skus['sku'][int(np.argmax(unit_cost <= 0))]!r} has unit_cost <= 0, "
                "so no EOQ; fix its unit_cost or use policy order-up-to"
            )
        eoq = np.sqrt(2 * daily * 365 * order_cost / (holding_cost_rate * unit_cost))
        wanted = np.maximum(eoq, np.floor(reorder_point - position) + 1)
    order_now = (position - to_review <= reorder_point) & (wanted > 1e-9)
    crossing = (position[:, None] - cumulative) <= reorder_point[:, None]
    stockout = (cumulative > on_hand[:, None]) & within
    below = lead_time_exceedance(past, lead_days, levels.scale, position.astype(float))
    below = np.where(np.isnan(below), (lead_time_demand > position).astype(float), below)

    rows = []
    for i in np.flatnonzero(order_now):
        sku = skus.row(int(i), named=True)
        order_by = (
            as_of
            if position[i] <= reorder_point[i]
            else days[np.argmax(crossing[i])].astype(dt.date)
        )
        quantity, rounding = round_order(float(wanted[i]), int(sku["moq"]), int(sku["pack_size"]))
        rows.append(
            {
                **{
                    k: sku[k]
                    for k in (
                        "sku",
                        "description",
                        "abc_class",
                        "demand_pattern",
                        "on_hand",
                        "on_order",
                        "lead_time_days",
                        "unit_cost",
                    )
                },
                "service_level": float(levels.planned_cycle_service[i]),
                "inventory_position": int(position[i]),
                "lead_time_demand": float(lead_time_demand[i]),
                "safety_stock": float(safety_stock[i]),
                "reorder_point": float(reorder_point[i]),
                "order_up_to": float(order_up_to[i]),
                "order_qty": quantity,
                "rounding": rounding,
                "order_by": order_by,
                "days_of_cover": float(on_hand[i] / daily[i]) if daily[i] > 0 else None,
                "projected_stockout_date": days[np.argmax(stockout[i])].astype(dt.date)
                if stockout[i].any()
                else None,
                "stockout_probability": float(below[i]),
                "order_value": quantity * float(sku["unit_cost"]),
                "reason": _reason(
                    sku,
                    int(position[i]),
                    float(daily[i]),
                    int(lead_days[i]),
                    float(lead_time_demand[i]),
                    float(reorder_point[i]),
                    float(levels.planned_cycle_service[i]),
                    quantity,
                    rounding,
                    float(below[i]),
                    order_by,
                ),
            }
        )
    if not rows:
        return pl.DataFrame(schema=OUTPUT_SCHEMA)
    computed = {k: v for k, v in OUTPUT_SCHEMA.items() if k not in BUDGET_COLUMNS}
    frame = pl.DataFrame(rows, schema=computed).sort("order_by", "sku")
    return apply_budget_cap(frame, budget_cap).select(list(OUTPUT_SCHEMA))


def _reason(
    sku: dict,
    position: int,
    daily: float,
    lead_days: int,
    lead_time_demand: float,
    reorder_point: float,
    planned_service: float,
    quantity: int,
    rounding: str,
    stockout_probability: float,
    order_by: dt.date,
) -> str:
    """The recommendation in the words a merchandiser reads."""
    cover = f"{math.floor(position / daily)} days" if daily > 0 else "indefinitely"

    def units(x: float) -> str:  # slow sellers keep a decimal so "0" never hides real demand
        return f"{x:.1f}" if x < 10 else f"{x:.0f}"

    return (
        f"On hand {sku['on_hand']} + on order {sku['on_order']} covers {cover}; "
        f"{sku['lead_time_days']:g}-day lead time ({lead_days} trading days) needs "
        f"{units(lead_time_demand)} units at the recent rate; reorder point "
        f"{units(reorder_point)} covers {planned_service * 100:.0f} % of past {lead_days}-day "
        f"demand (class {sku['abc_class']} target {sku['class_target'] * 100:g} %); "
        f"{stockout_probability:.0%} chance of running out before an order placed today "
        f"arrives. Order {quantity} by {order_by.isoformat()} ({rounding})."
    )
