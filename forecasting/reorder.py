"""Reorder recommendations: which SKUs to order now, how many, by when, and why.

The reorder point and order-up-to level are those of the policy the backtest validates
(``recommended`` in inventory.policy_backtest), computed by the same function,
:func:`forecasting.policy_levels.recommended_levels`; the demand forecast says when stock
runs out and when to order. One SKU; "days" are calendar days unless said otherwise:

1. History: the SKU's units over the last ``inventory.backtest_distribution_days`` trading
   days up to ``as_of``, large one-off orders removed as in the backtest
   (:func:`forecasting.reorder_inputs.demand_history`); days before a SKU's first sale in
   the mart are unknown, not zero. L = the catalog lead time in trading
   days (calendar days x trading days per week / 7, rounded up), as the backtest counts it.
2. Lead-time demand is empirical: every sum of L consecutive days of that history, scaled by
   the recent level (mean of the last ``inventory.backtest_history_days`` known days) over the
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
6. needed_by is the first day the position less the cumulative forecast reaches the ROP,
   today if it already has. days_of_cover = on hand / the planning demand rate
   (:mod:`forecasting.demand_rate`: the forecast per day, or the own-history level of a SKU
   without a reliable forecast), the rate inventory.overstock measures cover with too.
   projected_stockout_date is the first day the cumulative forecast exceeds on hand, empty
   when that is beyond the forecast horizon. stockout_probability = the share of the scaled
   L-day sums above the position: the chance of running out before an order placed today
   arrives.
7. A SKU whose forecast did not beat forecasting zero and seasonal naive in the backtest
   (forecasts.demand_forecast.reliability_reason) is planned by a min/max rule on its own
   history alone: the same reorder point (min) and order-up-to level (max), needed today
   when the position is at or below the min and otherwise not at all (never pulled
   forward); no forecast demand until the review, no projected stockout date, and the
   reason says "no reliable forecast (why)". We chose min/max over make-to-order: the
   levels are the history-based ones the policy backtest validates, so a slow SKU keeps
   the small stock its own sales justify.
8. Purchase orders (:mod:`forecasting.purchase_orders`): each line goes on its supplier's
   order day on or before needed_by (order_by), and a supplier's order below its minimum
   pulls the supplier's next SKUs forward (urgency "pulled forward"). Supplier terms are
   settings defaults with catalog overrides (:mod:`forecasting.suppliers`).
9. With a budget cap (setting inventory.budget_cap) orders are funded by priority =
   stockout_probability x lead-time demand x unit cost x (1 + inventory.budget_customer_weight
   x the SKU's share of revenue from high-value customers); what does not fit is kept but
   marked deferred, its reason saying so (:mod:`forecasting.reorder_budget`). A SKU the
   feedback guard flags keeps its order, marked review_before_reordering with the evidence
   (:mod:`forecasting.reorder_risk`), its reason saying "review before reordering".
10. A SKU inventory.overstock lists (stock beyond ``overstock_cover_days`` of the planning
   rate, or no sale in ``slow_mover_days``; :func:`forecasting.overstock.with_stock_status`)
   is never ordered nor pulled forward, whatever its reorder point says.

Quantities are whole units and money is to the cent (:func:`forecasting.order_rounding.in_whole_units`). The reason
is one sentence (:mod:`forecasting.reorder_reasons`), e.g. "Order 120 by 2024-07-01: stock
30 (on hand + on order) is below its reorder point 70."; the numbers behind it are
the row's columns.

Only products are recommended (catalog is_product false is never ordered), and only SKUs
with a catalog row (lead time, cost) and an inventory position (a stock count). A shop
that sends no catalog at all gets assumed terms for every product
(:func:`forecasting.reorder_inputs.assumed_catalog`, settings inventory.assumed_*), each
row flagged ``catalog_assumed`` and its reason saying so. A shop that sends no stock
counts gets every SKU's reorder point and order-up-to level, no quantity, and a reason
that says on-hand stock is unknown. A SKU without an ABC class is treated as class C.
A SKU that sold nothing in the history window gets a reorder point of 0, as in the backtest.
The catalog's lead-time spread (lead_time_std_days) is not used: the backtest replays fixed
lead times, so a rule with it would not be the validated one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import polars as pl

from config.settings import InventorySettings
from forecasting.demand_rate import planning_demand_rate
from forecasting.order_rounding import in_whole_units, rounded_orders
from forecasting.overstock import with_stock_status
from forecasting.policy_levels import lead_time_exceedance, recommended_levels
from forecasting.purchase_orders import schedule_orders
from forecasting.recommended_policy import RecommendedPolicyRule
from forecasting.reliability import min_max_without_forecast
from forecasting.reorder_budget import apply_budget_cap
from forecasting.reorder_inputs import (
    daily_demand_grid,
    demand_history,
    last_sales_in,
    lead_trading_days,
    orderable_skus,
    require_current_forecast,
    review_trading_days,
)
from forecasting.reorder_reasons import levels_sentence, order_sentence, reasons
from forecasting.reorder_risk import RISK_SCHEMA, with_sku_risk
from forecasting.suppliers import supplier_terms, with_supplier

POLICIES = ("order-up-to", "eoq")
BUDGET_COLUMNS = ("priority", "priority_rank", "deferred")  # added by apply_budget_cap
OUTPUT_SCHEMA: dict[str, pl.DataType] = {
    "sku": pl.String(),
    "description": pl.String(),
    "supplier": pl.String(),
    "supplier_assumed": pl.Boolean(),  # the catalog names no supplier: the default one
    "abc_class": pl.String(),
    "demand_pattern": pl.String(),
    "on_hand": pl.Int64(),
    "on_order": pl.Int64(),
    "inventory_position": pl.Int64(),
    "lead_time_days": pl.Float64(),
    "lead_time_demand": pl.Int64(),  # whole units, as every quantity in the list
    "safety_stock": pl.Int64(),
    "reorder_point": pl.Int64(),
    "order_up_to": pl.Int64(),
    "order_qty": pl.Int64(),
    "rounding": pl.String(),
    "order_by": pl.Date(),  # the purchase order's day: one of the supplier's order days
    "needed_by": pl.Date(),  # the day the SKU's stock reaches its reorder point
    "urgency": pl.String(),
    "pulled_forward": pl.Boolean(),
    "supplier_minimum": pl.String(),
    "days_of_cover": pl.Float64(),
    "projected_stockout_date": pl.Date(),
    "stockout_probability": pl.Float64(),
    "unit_cost": pl.Float64(),
    "order_value": pl.Float64(),  # money, to the cent
    "service_level": pl.Float64(),
    "reason": pl.String(),
    "priority": pl.Float64(),
    "priority_rank": pl.Int64(),
    "deferred": pl.Boolean(),
    "catalog_assumed": pl.Boolean(),  # lead time, cost, MOQ and pack size from settings
    **RISK_SCHEMA,  # whom a stockout hurts, the feedback guard's flag
}
URGENCY = ("now", "before next review", "pulled forward")


def reorder_recommendations(
    forecast: pl.DataFrame,
    history: pl.DataFrame,
    catalog: pl.DataFrame,
    inventory_position: pl.DataFrame | None,
    abc: pl.DataFrame,
    as_of: dt.date,
    inventory: InventorySettings,
    trading_weekdays: Sequence[int],
    risk: pl.DataFrame | None = None,
    last_sales: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Recommend what to order today, one row per SKU with an order quantity > 0: the SKUs
    due now and those pulled forward to meet a supplier's minimum, each on a purchase order
    of its supplier (:mod:`forecasting.purchase_orders`).

    Args:
        forecast: forecasts.demand_forecast rows: sku, day, forecast, demand_pattern.
        history: marts.sku_demand_daily on trading days: sku, day, units (the demand the
            policy backtest replays).
        catalog: staging.stg_catalog: sku, unit_cost, lead_time_days; optional description,
            lead_time_std_days (default 0), moq (1), pack_size (1), is_product (true),
            supplier and the supplier_* terms (:mod:`forecasting.suppliers`).
        inventory_position: sku, on_hand, on_order (NULL = 0) as of ``as_of``; several
            rows per SKU (locations) are summed. None when the shop sends no stock
            counts: then every SKU gets a row with its reorder point and order-up-to level
            and no order (see :func:`_levels_without_stock`), never an empty list that
            would read as "nothing to reorder".
        abc: sku, abc_class (from :func:`forecasting.demand.abc_classes`).
        as_of: the day the stock was counted and the order would be placed.
        inventory: the inventory settings: target blended service per ABC class
            (``service_level``, the target of the value-based allocation over the class's
            SKUs), ``review_period_days`` (calendar days until the next ordering
            opportunity), ``policy`` ("order-up-to" or "eoq", see the module docstring),
            ``holding_cost_rate`` and ``order_cost`` (eoq only), ``budget_cap`` (see
            :func:`forecasting.reorder_budget.apply_budget_cap`), ``suppliers`` (who
            supplies a SKU without one, purchase-order terms) and the planning windows
            and large-order rule the policy backtest validates
            (:class:`forecasting.recommended_policy.RecommendedPolicyRule`).
        trading_weekdays: ISO weekdays the shop trades (1 = Monday), as in the forecast.
        risk: sku and the :data:`forecasting.reorder_risk.RISK_SCHEMA` columns (the share
            of revenue from high-value customers, the feedback guard); None: none known.
        last_sales: sku, last_sale_date (the slow movers of inventory.overstock); None:
            the last day with units in ``history``.

    Returns:
        inventory.reorder_recommendations: the columns of ``OUTPUT_SCHEMA``, sorted by
        order_by then sku.
    """
    if inventory.policy not in POLICIES:
        raise ValueError(f"inventory policy {inventory.policy!r} is unknown; use one of {POLICIES}")
    catalog = with_supplier(catalog, inventory.suppliers)
    skus = with_sku_risk(
        orderable_skus(forecast, catalog, inventory_position, abc, inventory.service_level), risk
    )
    if skus.is_empty():
        return pl.DataFrame(schema=OUTPUT_SCHEMA)
    require_current_forecast(forecast, skus, as_of)
    rule = RecommendedPolicyRule.from_settings(
        inventory, review_trading_days(inventory.review_period_days, trading_weekdays)
    )
    plan = _with_levels(skus, history, as_of, rule, trading_weekdays)
    if inventory_position is None:
        return _levels_without_stock(plan)
    plan = min_max_without_forecast(
        _with_forecast_timing(
            plan, forecast, as_of, inventory.review_period_days, trading_weekdays
        ),
        as_of,
    )
    rates = planning_demand_rate(
        forecast, history, plan["sku"].to_list(), as_of, inventory, trading_weekdays
    )
    if last_sales is None:
        last_sales = last_sales_in(history, as_of)
    plan = with_stock_status(plan, rates, last_sales, as_of, inventory).filter(
        ~pl.col("overstocked")
    )
    plan = plan.with_columns(_wanted_quantity(plan, inventory).alias("wanted"))
    is_due = (
        pl.col("inventory_position") - pl.col("demand_to_review") <= pl.col("reorder_point")
    ) & (pl.col("wanted") > 1e-9)
    due = rounded_orders(plan.filter(is_due))
    if due.is_empty():
        return pl.DataFrame(schema=OUTPUT_SCHEMA)
    lines = schedule_orders(
        due,
        _pull_forward_candidates(plan.filter(~is_due), inventory),
        supplier_terms(catalog, inventory.suppliers),
        as_of,
    )
    computed = {k: v for k, v in OUTPUT_SCHEMA.items() if k not in BUDGET_COLUMNS}
    recommendations = (
        in_whole_units(lines)
        .with_columns(
            (pl.col("order_qty") * pl.col("unit_cost")).round(2).alias("order_value"),
            pl.when(pl.col("pulled_forward"))
            .then(pl.lit(URGENCY[2]))
            .when(pl.col("needed_by") <= as_of)
            .then(pl.lit(URGENCY[0]))
            .otherwise(pl.lit(URGENCY[1]))
            .alias("urgency"),
        )
        .pipe(lambda frame: frame.with_columns(reasons(frame, order_sentence)))
        .select(pl.col(name).cast(dtype) for name, dtype in computed.items())
        .sort("order_by", "sku")
    )
    return (
        apply_budget_cap(recommendations, inventory.budget_cap, inventory.budget_customer_weight)
        .with_columns(pl.col("priority").round(2))
        .select(list(OUTPUT_SCHEMA))
    )


def _pull_forward_candidates(plan: pl.DataFrame, inventory: InventorySettings) -> pl.DataFrame:
    """SKUs not due now that reach their reorder point within the forecast, each with the
    order it gets there (the quantity a supplier minimum may pull forward). A SKU whose stock
    outlasts the forecast is never pulled forward: that would only add to stock it has."""
    at_reorder_point = plan.with_columns(
        pl.col("reorder_point").floor().cast(pl.Int64).alias("inventory_position")
    )
    wanted = at_reorder_point.select(_wanted_quantity(at_reorder_point, inventory))
    return rounded_orders(
        plan.with_columns(wanted.to_series().alias("wanted")).filter(
            pl.col("needed_by").is_not_null() & (pl.col("wanted") > 1e-9)
        )
    )


def _levels_without_stock(plan: pl.DataFrame) -> pl.DataFrame:
    """Every SKU's reorder point and order-up-to level when on-hand stock is unknown.

    The merchandiser compares them with their own stock count: no order quantity,
    order-by date, cover or stockout figures, which all need the stock.
    """
    levels = (
        in_whole_units(plan.drop("inventory_position", "stockout_probability"))
        .pipe(lambda frame: frame.with_columns(reasons(frame, levels_sentence)))
        .with_columns(pl.lit(False).alias("deferred"), pl.lit(False).alias("pulled_forward"))
    )
    return levels.select(
        (pl.col(name) if name in levels.columns else pl.lit(None)).cast(dtype).alias(name)
        for name, dtype in OUTPUT_SCHEMA.items()
    ).sort("sku")


def _with_levels(
    skus: pl.DataFrame,
    history: pl.DataFrame,
    as_of: dt.date,
    rule: RecommendedPolicyRule,
    trading_weekdays: Sequence[int],
) -> pl.DataFrame:
    """Add the levels the recommended policy plans (steps 1 to 3 of the module docstring),
    the inventory position and the stockout probability before an order could arrive."""
    lead_days = lead_trading_days(skus["lead_time_days"].to_numpy(), trading_weekdays)
    past = demand_history(history, skus["sku"].to_list(), as_of, rule)
    levels = recommended_levels(
        past,
        rule.level_history_days,
        lead_days,
        skus["class_target"].to_numpy(),
        rule.review_days,
        skus["unit_cost"].to_numpy().astype(float),
        rule.cycle_weight,
    )
    lead_time_demand = levels.level * lead_days
    # Unknown stock (no inventory feed) counts as 0 here; such rows keep only the levels.
    position = (skus["on_hand"].fill_null(0) + skus["on_order"].fill_null(0)).to_numpy()
    below = lead_time_exceedance(past, lead_days, levels.scale, position.astype(float))
    # A SKU without a complete L-day sum: it runs out for sure if the position is short.
    below = np.where(np.isnan(below), (lead_time_demand > position).astype(float), below)
    return skus.with_columns(
        pl.Series("lead_days", lead_days, dtype=pl.Int64),
        pl.Series("inventory_position", position, dtype=pl.Int64),
        pl.Series("lead_time_demand", lead_time_demand, dtype=pl.Float64),
        pl.Series("reorder_point", levels.reorder_point, dtype=pl.Float64),
        pl.Series("order_up_to", levels.order_up_to, dtype=pl.Float64),
        pl.Series("service_level", levels.planned_cycle_service, dtype=pl.Float64),
        pl.Series("stockout_probability", below, dtype=pl.Float64),
    )


def _with_forecast_timing(
    plan: pl.DataFrame,
    forecast: pl.DataFrame,
    as_of: dt.date,
    review_period_days: int,
    trading_weekdays: Sequence[int],
) -> pl.DataFrame:
    """Add what the forecast says about each SKU's days ahead (steps 4 and 6 of the module
    docstring): demand_to_review, needed_by and projected_stockout_date."""
    through = as_of + dt.timedelta(
        days=int(np.ceil(plan["lead_time_days"].max())) + review_period_days
    )
    days, mean, horizon_end = daily_demand_grid(
        forecast, plan["sku"].to_list(), as_of, through, trading_weekdays
    )
    today = np.datetime64(as_of, "D")
    within = days[None, :] <= horizon_end[:, None]
    on_hand = plan["on_hand"].to_numpy()
    position = plan["inventory_position"].to_numpy()
    reorder_point = plan["reorder_point"].to_numpy()
    cumulative = mean.cumsum(1)
    # The first day the position less the cumulative forecast reaches the reorder point;
    # today if it already has, empty if it never does within the forecast days.
    crossing = (position[:, None] - cumulative) <= reorder_point[:, None]
    needed_by = np.where(
        position <= reorder_point,
        today,
        np.where(crossing.any(1), days[np.argmax(crossing, axis=1)], np.datetime64("NaT")),
    )
    stockout = (cumulative > on_hand[:, None]) & within
    stockout_day = np.where(
        stockout.any(1), days[np.argmax(stockout, axis=1)], np.datetime64("NaT")
    )
    return plan.with_columns(
        pl.Series(
            "demand_to_review",
            (mean * (days[None, :] <= today + review_period_days)).sum(1),
            dtype=pl.Float64,
        ),
        pl.Series("needed_by", needed_by, dtype=pl.Date),
        pl.Series("projected_stockout_date", stockout_day, dtype=pl.Date),
    )


def _wanted_quantity(plan: pl.DataFrame, inventory: InventorySettings) -> pl.Expr:
    """Units wanted per SKU before rounding, by the policy (step 5 of the module docstring)."""
    position = pl.col("inventory_position")
    if inventory.policy == "order-up-to":
        return pl.col("order_up_to") - position
    free = plan.filter(pl.col("unit_cost") <= 0)["sku"]
    if len(free):
        raise ValueError(
            f"catalog: SKU {free[0]!r} has unit_cost <= 0, so no EOQ; fix its unit_cost or "
            "use policy order-up-to"
        )
    eoq = (
        2
        * pl.col("daily_demand")
        * 365
        * inventory.order_cost
        / (inventory.holding_cost_rate * pl.col("unit_cost"))
    ).sqrt()
    return pl.max_horizontal(eoq, (pl.col("reorder_point") - position).floor() + 1)
