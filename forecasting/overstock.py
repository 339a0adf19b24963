"""Overstock and slow movers: capital tied in stock beyond what the forecast needs.

One product in stock on the as-of day (on hand > 0, summed over locations) with a catalog
row (its cost); days are calendar days:

1. daily demand = the SKU's planning demand rate (:mod:`forecasting.demand_rate`): its
   forecast per calendar day where the forecast is worth planning on, else its recent
   level on its own history; the reorder list reads the same rate, and never orders a SKU
   this table lists.
2. cover units = daily demand x ``inventory.overstock_cover_days``, rounded up to whole
   units: the stock kept to sell in those days. excess units = on hand - cover units, at
   least 0; excess value = excess units x unit cost: the capital tied beyond the cover.
3. A SKU is a slow mover (no_recent_sale) when its last sale is ``inventory.slow_mover_days``
   or more days before the as-of day, or it never sold in the data.
4. What freeing the excess would bring back, two ways:
   - returning it: excess value x ``inventory.return_credit_share`` (the share of cost a
     supplier credits; unknown, the setting null: the full unit cost);
   - marking it down: excess units x unit price x (1 - ``inventory.markdown_discount``),
     the cash if the marked-down units sell; empty when the catalog has no unit price.

Money columns are rounded to cents. A SKU is listed when it has excess units or is a slow
mover; the table is sorted by excess value (largest first), then sku.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from config.settings import InventorySettings

OVERSTOCK_SCHEMA: dict[str, pl.DataType] = {
    "sku": pl.String(),
    "description": pl.String(),
    "supplier": pl.String(),
    "on_hand": pl.Int64(),
    "unit_cost": pl.Float64(),
    "unit_price": pl.Float64(),
    "daily_demand": pl.Float64(),
    "demand_basis": pl.String(),  # what daily_demand comes from: forecast or own history
    "days_of_cover": pl.Float64(),
    "cover_units": pl.Int64(),
    "excess_units": pl.Int64(),
    "excess_value": pl.Float64(),
    "last_sale_date": pl.Date(),
    "days_since_last_sale": pl.Int64(),
    "no_recent_sale": pl.Boolean(),
    "return_credit": pl.Float64(),
    "markdown_proceeds": pl.Float64(),
    "as_of": pl.Date(),
}
# Forecast units are floats: a cover that is a whole number of units up to float noise
# (1.1 x 90 = 99.00000000000001) must not round up to one unit more.
_UNIT_TOLERANCE = 1e-9


def stock_status(frame: pl.DataFrame, as_of: dt.date, inventory: InventorySettings) -> pl.DataFrame:
    """Add cover_units, days_of_cover, days_since_last_sale, excess_units and
    no_recent_sale (steps 2 and 3 of the module docstring) to rows of sku, on_hand,
    daily_demand (the planning rate; null counts as 0) and last_sale_date."""
    cover = (
        (pl.col("daily_demand") * inventory.overstock_cover_days - _UNIT_TOLERANCE)
        .ceil()
        .clip(lower_bound=0)
        .cast(pl.Int64)
    )
    return (
        frame.with_columns(pl.col("daily_demand").fill_null(0.0))
        .with_columns(
            cover.alias("cover_units"),
            pl.when(pl.col("daily_demand") > 0)
            .then(pl.col("on_hand") / pl.col("daily_demand"))
            .alias("days_of_cover"),
            (pl.lit(as_of) - pl.col("last_sale_date"))
            .dt.total_days()
            .alias("days_since_last_sale"),
        )
        .with_columns(
            (pl.col("on_hand") - pl.col("cover_units")).clip(lower_bound=0).alias("excess_units"),
            pl.col("days_since_last_sale")
            .ge(inventory.slow_mover_days)
            .fill_null(True)
            .alias("no_recent_sale"),
        )
    )


def is_overstocked() -> pl.Expr:
    """True for a row of :func:`stock_status` this table lists: stock in hand that is
    beyond its cover, or that has not sold in ``slow_mover_days``."""
    return (pl.col("on_hand") > 0) & ((pl.col("excess_units") > 0) | pl.col("no_recent_sale"))


def overstock(
    stock: pl.DataFrame,
    catalog: pl.DataFrame,
    rates: pl.DataFrame,
    last_sales: pl.DataFrame,
    as_of: dt.date,
    inventory: InventorySettings,
) -> pl.DataFrame:
    """Stock beyond ``overstock_cover_days`` of cover and slow movers (module docstring).

    Args:
        stock: sku, on_hand on the as-of day (several rows per SKU are summed).
        catalog: staging.stg_catalog: sku, unit_cost; optional description, supplier,
            unit_price.
        rates: sku, daily_demand: the planning demand rate
            (:func:`forecasting.demand_rate.planning_demand_rate`; a SKU missing sells 0).
        last_sales: sku, last_sale_date (the last day with units sold).
        as_of: the day the stock was counted.
        inventory: overstock_cover_days, slow_mover_days, markdown_discount and
            return_credit_share.

    Returns:
        inventory.overstock: the columns of ``OVERSTOCK_SCHEMA``.
    """
    products = catalog.filter(pl.col("is_product")) if "is_product" in catalog.columns else catalog
    terms = products.select(
        "sku",
        *(
            (pl.col(name) if name in catalog.columns else pl.lit(None)).cast(dtype).alias(name)
            for name, dtype in (
                ("description", pl.String),
                ("supplier", pl.String),
                ("unit_cost", pl.Float64),
                ("unit_price", pl.Float64),
            )
        ),
    )
    credit = 1.0 if inventory.return_credit_share is None else inventory.return_credit_share
    in_stock = (
        stock.group_by("sku")
        .agg(pl.col("on_hand").sum().cast(pl.Int64))
        .filter(pl.col("on_hand") > 0)
        .join(terms, on="sku")  # a product with a catalog row: its cost is known
        .join(rates.select("sku", "daily_demand", "demand_basis"), on="sku", how="left")
        .join(last_sales.select("sku", "last_sale_date"), on="sku", how="left")
    )
    rows = (
        stock_status(in_stock, as_of, inventory)
        .with_columns(
            (pl.col("excess_units") * pl.col("unit_cost")).round(2).alias("excess_value"),
            (pl.col("excess_units") * pl.col("unit_price") * (1 - inventory.markdown_discount))
            .round(2)
            .alias("markdown_proceeds"),
        )
        .with_columns(
            (pl.col("excess_units") * pl.col("unit_cost") * credit).round(2).alias("return_credit"),
            pl.lit(as_of, pl.Date).alias("as_of"),
        )
        .filter(is_overstocked())
    )
    return rows.select(pl.col(name).cast(dtype) for name, dtype in OVERSTOCK_SCHEMA.items()).sort(
        ["excess_value", "sku"], descending=[True, False], nulls_last=True
    )


def with_stock_status(
    plan: pl.DataFrame,
    rates: pl.DataFrame,
    last_sales: pl.DataFrame,
    as_of: dt.date,
    inventory: InventorySettings,
) -> pl.DataFrame:
    """``plan`` (sku, on_hand) with its planning rate (daily_demand, demand_basis), its
    :func:`stock_status` columns and ``overstocked``: whether this table lists the SKU.
    The reorder list reads it, so a SKU is never both ordered and overstocked."""
    status = stock_status(
        plan.select("sku", "on_hand")
        .join(rates.select("sku", "daily_demand", "demand_basis"), on="sku", how="left")
        .join(last_sales.select("sku", "last_sale_date"), on="sku", how="left"),
        as_of,
        inventory,
    ).with_columns(is_overstocked().fill_null(False).alias("overstocked"))
    added = [name for name in status.columns if name not in ("sku", "on_hand")]
    return plan.drop(added, strict=False).join(
        status.select("sku", *added), on="sku", how="left", maintain_order="left"
    )
