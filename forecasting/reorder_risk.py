"""What the reorder list carries about a SKU besides its stock: whom a stockout hurts and
whether its feedback says to look before ordering more.

- high_value_revenue_share: the SKU's share of revenue from high-value customers
  (:mod:`forecasting.customer_value`); empty when it had no revenue in the window. Under a
  budget cap it raises the SKU's priority (:mod:`forecasting.reorder_budget`).
- review_before_reordering, feedback_evidence: the feedback guard's flag and its numbers
  (:mod:`forecasting.feedback_guard`); false and empty for a SKU the guard could not judge.
"""

from __future__ import annotations

import polars as pl

RISK_SCHEMA: dict[str, pl.DataType] = {
    "high_value_revenue_share": pl.Float64(),
    "review_before_reordering": pl.Boolean(),
    "feedback_evidence": pl.String(),
}


def sku_risk(customer_value: pl.DataFrame, guard: pl.DataFrame) -> pl.DataFrame:
    """One row per SKU in either table: sku and the ``RISK_SCHEMA`` columns.

    Args:
        customer_value: inventory.sku_customer_value (sku, high_value_revenue_share).
        guard: inventory.feedback_guard (sku, review_before_reordering, feedback_evidence).
    """
    return customer_value.select("sku", "high_value_revenue_share").join(
        guard.select("sku", "review_before_reordering", "feedback_evidence"),
        on="sku",
        how="full",
        coalesce=True,
    )


def with_sku_risk(skus: pl.DataFrame, risk: pl.DataFrame | None) -> pl.DataFrame:
    """``skus`` with the ``RISK_SCHEMA`` columns (a SKU without a row: no share, not flagged)."""
    empty = pl.DataFrame(schema={"sku": pl.String(), **RISK_SCHEMA})
    risk = empty if risk is None else risk.select("sku", *RISK_SCHEMA).cast(RISK_SCHEMA)
    return skus.join(risk, on="sku", how="left").with_columns(
        pl.col("review_before_reordering").fill_null(False)
    )
