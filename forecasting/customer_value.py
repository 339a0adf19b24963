"""Who a stockout hurts: each SKU's share of revenue from the shop's high-value customers.

1. High-value customers are the top ``inventory.high_value_customer_share`` (default 20 %)
   of identified customers by CLV (marts.customers.clv): ranked by value, largest first,
   ties by customer_key, the first ceil(share x customers ranked) are high-value. When the
   shop's CLV could not be modelled (no customer has a clv) they are ranked by spend
   (marts.customers.revenue) instead, and every row says so (``value_basis`` "spend").
   With a CLV model, a customer without a clv (e.g. no purchase in the data) is not ranked.
2. A SKU's revenue is the money of its sale lines (placed, quantity and price > 0) over
   the window the ABC classes use (``forecasting.history_days`` up to the last order day),
   guests included; high_value_revenue_share = the part of it bought by high-value
   customers. A SKU whose revenue is not positive has no share.

The reorder list shows the share, and under a budget cap ranks orders by stockout risk x
value x (1 + ``inventory.budget_customer_weight`` x share)
(:mod:`forecasting.reorder_budget`): a stockout of what the best customers buy costs more
than its margin on the day.
"""

from __future__ import annotations

import math

import polars as pl

from forecasting.stable_sums import stable_sum

SKU_VALUE_SCHEMA: dict[str, pl.DataType] = {
    "sku": pl.String(),
    "revenue": pl.Float64(),
    "high_value_revenue": pl.Float64(),
    "high_value_revenue_share": pl.Float64(),
    "value_basis": pl.String(),
}
VALUE_BASES = ("clv", "spend")


def high_value_customers(customers: pl.DataFrame, top_share: float) -> tuple[pl.DataFrame, str]:
    """The high-value customers and the measure that ranked them.

    Args:
        customers: marts.customers: customer_key, revenue and (when a model ran) clv.
        top_share: the share of ranked customers that is high-value (0 < share <= 1).

    Returns:
        (customer_key of each high-value customer, "clv" or "spend").
    """
    has_clv = "clv" in customers.columns and customers["clv"].is_not_null().any()
    basis = "clv" if has_clv else "spend"
    value = "clv" if has_clv else "revenue"
    ranked = customers.filter(pl.col(value).is_not_null()).sort(
        [value, "customer_key"], descending=[True, False]
    )
    count = math.ceil(top_share * ranked.height - 1e-9)
    return ranked.head(count).select("customer_key"), basis


def sku_customer_value(
    sales: pl.DataFrame, customers: pl.DataFrame, top_share: float
) -> pl.DataFrame:
    """Each SKU's revenue and the share of it from high-value customers (module docstring).

    Args:
        sales: one row per sale line in the window: sku, customer_key (null for a guest),
            amount (the line's money), plus a unique line key ``line_id`` that fixes the
            order floats are added in.
        customers: marts.customers (see :func:`high_value_customers`).
        top_share: ``inventory.high_value_customer_share``.

    Returns:
        inventory.sku_customer_value: the columns of ``SKU_VALUE_SCHEMA``, by sku.
    """
    high, basis = high_value_customers(customers, top_share)
    flagged = sales.with_columns(
        pl.col("customer_key").is_in(high["customer_key"].implode()).fill_null(False).alias("high")
    )
    by_sku = flagged.group_by("sku").agg(
        stable_sum("amount", by="line_id").alias("revenue"),
        stable_sum(pl.col("amount") * pl.col("high"), by="line_id").alias("high_value_revenue"),
    )
    return (
        by_sku.with_columns(
            pl.when(pl.col("revenue") > 0)
            .then(pl.col("high_value_revenue") / pl.col("revenue"))
            .alias("high_value_revenue_share"),
            pl.lit(basis).alias("value_basis"),
        )
        .select(pl.col(name).cast(dtype) for name, dtype in SKU_VALUE_SCHEMA.items())
        .sort("sku")
    )
