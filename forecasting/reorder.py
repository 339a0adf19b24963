"""Reorder recommendations: which SKUs to order now, how many, by when, and why.

How a recommendation is made (one SKU; all days are calendar days unless said otherwise):

1. Daily demand is the demand forecast, one value per future trading day, with its spread
   sigma_d = (hi_95 - forecast) / 1.96 (the 95 % interval is about ±1.96 standard
   deviations). Beyond the forecast horizon the SKU's average forecast day is assumed.
2. Lead-time demand (LTD) is what sells between ordering today (``as_of``) and the goods
   arriving ``lead_time_days`` later (rounded up to whole days): its mean is the forecast
   summed over the trading days in that span; its variance is L * sigma_d² (summed over
   those L trading days) + mu_d² * sigma_L², where mu_d is the mean demand per calendar
   day over the forecast horizon and sigma_L the supplier's lead-time standard deviation.
3. Safety stock = z * sigma_LTD, z being the normal quantile of the target service level
   of the SKU's ABC class (e.g. 95 % -> z = 1.645). Reorder point (ROP) = mean LTD +
   safety stock. Order-up-to level = ROP + the demand forecast for the review period that
   follows the lead time (the next order can only arrive one review later).
4. Inventory position = on hand + on order. The SKU is ordered now when its position,
   less the forecast demand until the next review (``as_of + review_period_days``), is at
   or below the ROP: waiting for the next review would let it fall under the ROP.
5. Quantity = order-up-to level - position ("order-up-to" policy), or the economic order
   quantity sqrt(2 * annual demand * order cost / (holding cost rate * unit cost)) but at
   least enough to lift the position above the ROP ("eoq" policy). It is rounded up to
   whole units, raised to the supplier MOQ, and rounded up to whole packs; the
   ``rounding`` column says which of these happened.
6. order_by is the first day the projected position (position - cumulative forecast)
   reaches the ROP, today if it already has. days_of_cover = on hand / mu_d.
   projected_stockout_date is the first day the cumulative forecast exceeds on hand, empty
   when that is beyond the forecast horizon. stockout_probability = P(LTD > position) with
   LTD normal (mean LTD, sigma_LTD): the chance of running out before an order placed
   today arrives.

7. With a budget cap (setting inventory.budget_cap) orders are funded by priority =
   stockout_probability x lead-time demand x unit cost; what does not fit is kept but
   marked deferred, its reason saying so (:mod:`forecasting.reorder_budget`).

The reason reads e.g. "On hand 30 + on order 0 covers 3 days; 7-day lead time needs 70 ± 0.0
units; reorder point 70 at 95 % service (class B); 100% chance of running out before an order
placed today arrives. Order 120 by 2024-07-01 (rounded up from 110 to 120: 10 packs of 12)."

Only products are recommended (catalog is_product false is never ordered), and only SKUs
with a catalog row (lead time, cost) and an inventory position (a stock count): without
those there is nothing to compute from. A SKU without an ABC class is treated as class C.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence

import numpy as np
import polars as pl
from scipy.stats import norm

from forecasting.order_rounding import round_order
from forecasting.reorder_budget import apply_budget_cap
from forecasting.reorder_inputs import daily_demand_grid, orderable_skus

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
) -> pl.DataFrame:
    """Recommend what to order today, one row per SKU with an order quantity > 0.

    Args:
        forecast: forecasts.demand_forecast rows: sku, day, forecast, hi_95, demand_pattern.
        catalog: staging.stg_catalog: sku, unit_cost, lead_time_days; optional description,
            lead_time_std_days (default 0), moq (1), pack_size (1), is_product (true).
        inventory_position: sku, on_hand, on_order (NULL = 0) as of ``as_of``; several
            rows per SKU (locations) are summed.
        abc: sku, abc_class (from :func:`forecasting.demand.abc_classes`).
        as_of: the day the stock was counted and the order would be placed.
        service_level_by_class: target cycle service level per ABC class, e.g. {"A": 0.98}.
        review_period_days: calendar days until the next ordering opportunity.
        trading_weekdays: ISO weekdays the shop trades (1 = Monday), as in the forecast.
        policy: "order-up-to" or "eoq" (see the module docstring).
        holding_cost_rate: yearly holding cost per unit of stock value (eoq only).
        order_cost: fixed cost of one purchase order (eoq only).
        budget_cap: money for today's orders; None for no cap. See
            :func:`forecasting.reorder_budget.apply_budget_cap` for what is deferred.

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
    lead_days = np.ceil(skus["lead_time_days"].to_numpy().astype(float)).astype(int)
    through = as_of + dt.timedelta(days=int(lead_days.max()) + review_period_days)
    days, mean, variance, horizon_end = daily_demand_grid(
        forecast, skus["sku"].to_list(), as_of, through, trading_weekdays
    )

    today = np.datetime64(as_of, "D")
    lead_end = today + lead_days
    in_lead = days[None, :] <= lead_end[:, None]
    in_review = (days[None, :] > lead_end[:, None]) & (
        days[None, :] <= (lead_end + review_period_days)[:, None]
    )
    within = days[None, :] <= horizon_end[:, None]
    daily = (mean * within).sum(1) / (horizon_end - today).astype(int)
    lead_time_demand = (mean * in_lead).sum(1)
    sigma_lead = np.sqrt(
        (variance * in_lead).sum(1) + daily**2 * skus["lead_time_std_days"].to_numpy() ** 2
    )
    safety_stock = norm.ppf(skus["service_level"].to_numpy()) * sigma_lead
    reorder_point = lead_time_demand + safety_stock
    order_up_to = reorder_point + (mean * in_review).sum(1)
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
    with np.errstate(divide="ignore", invalid="ignore"):
        below = np.where(
            sigma_lead > 0,
            norm.sf((position - lead_time_demand) / sigma_lead),
            (lead_time_demand > position).astype(float),
        )

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
                        "service_level",
                    )
                },
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
                    float(lead_time_demand[i]),
                    float(sigma_lead[i]),
                    float(reorder_point[i]),
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
    lead_time_demand: float,
    sigma_lead: float,
    reorder_point: float,
    quantity: int,
    rounding: str,
    stockout_probability: float,
    order_by: dt.date,
) -> str:
    """The recommendation in the words a merchandiser reads."""
    cover = f"{math.floor(position / daily)} days" if daily > 0 else "indefinitely"

    def units(x: float) -> str:  # slow sellers keep a decimal so "0 ± 0" never hides real demand
        return f"{x:.1f}" if x < 10 else f"{x:.0f}"

    return (
        f"On hand {sku['on_hand']} + on order {sku['on_order']} covers {cover}; "
        f"{sku['lead_time_days']:g}-day lead time needs "
        f"{units(lead_time_demand)} ± {units(sigma_lead)} units; "
        f"reorder point {units(reorder_point)} at {sku['service_level'] * 100:g} % service "
        f"(class {sku['abc_class']}); {stockout_probability:.0%} chance of running out before "
        f"an order placed today arrives. Order {quantity} by {order_by.isoformat()} ({rounding})."
    )
