"""Daily SKU demand from raw order lines, cleaned as in the policy backtest's reference setup.

The policy backtest's reference figures were measured on demand cleaned this way:

- only product lines (``is_product``); postage, fees and manual adjustments are no demand;
- cancellations are excluded, not netted: a cancelled line is not demand on any day;
- a sale reversed within 24 h (a cancellation by the same customer of the same SKU and
  quantity up to 24 h after it; each cancellation reverses the latest such sale) is
  excluded too: it was a mistake, not demand;
- stock adjustments (a non-cancelled line with quantity <= 0 or unit price <= 0) are excluded;
- trading days are the days with at least one placed order; ``drop_days`` removes partial
  days (the Online Retail export ends at noon on 2011-12-09).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import polars as pl

REVERSAL_WINDOW = "24h"
LINE_COLUMNS = (
    "ordered_at",
    "sku",
    "quantity",
    "unit_price",
    "customer_id",
    "order_status",
    "is_product",
)


def order_line_demand(
    lines: pl.DataFrame, drop_days: Sequence[dt.date] = ()
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Units per SKU per trading day, and each SKU's median selling price.

    Args:
        lines: canonical order lines (as ``simulator.online_retail.online_retail_to_canonical``
            gives, plus is_product): ordered_at, sku, quantity, unit_price, customer_id,
            order_status ("cancelled" for cancellations), is_product.
        drop_days: days removed entirely (partial days).

    Returns:
        (demand, prices): demand has one row per SKU and trading day with a sale: sku,
        day, units (Float64 > 0); prices one row per SKU: sku, unit_price (median price
        of its kept lines).
    """
    missing = [c for c in LINE_COLUMNS if c not in lines.columns]
    if missing:
        raise ValueError(f"order lines are missing column(s) {missing}; pass canonical order lines")
    numbered = lines.with_row_index("line").with_columns(
        pl.col("ordered_at").dt.date().alias("day")
    )
    numbered = numbered.filter(~pl.col("day").is_in(list(drop_days)))
    trading_days = numbered.filter(pl.col("order_status") != "cancelled").select("day").unique()
    products = numbered.filter(pl.col("is_product"))
    cancelled = products.filter(pl.col("order_status") == "cancelled")
    sales = products.filter(
        (pl.col("order_status") != "cancelled")
        & (pl.col("quantity") > 0)
        & (pl.col("unit_price") > 0)
    )
    keys = ["customer_id", "sku", "quantity"]
    reversals = (
        cancelled.drop_nulls("customer_id")
        .select(
            *keys[:2], (-pl.col("quantity")).alias("quantity"), pl.col("ordered_at").alias("at")
        )
        .sort("at")
        .join_asof(
            sales.drop_nulls("customer_id")
            .select("line", *keys, pl.col("ordered_at").alias("at"))
            .sort("at"),
            on="at",
            by=keys,
            strategy="backward",
            tolerance=REVERSAL_WINDOW,
            check_sortedness=False,
        )
        .drop_nulls("line")
    )
    kept = sales.join(reversals.select("line"), on="line", how="anti").join(
        trading_days, on="day", how="semi"
    )
    demand = (
        kept.group_by("sku", "day")
        .agg(pl.col("quantity").sum().cast(pl.Float64).alias("units"))
        .sort("sku", "day")
    )
    prices = kept.group_by("sku").agg(pl.col("unit_price").median()).sort("sku")
    return demand, prices
