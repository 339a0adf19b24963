"""Fit today's reorder recommendations into a purchasing budget, most urgent first.

Priority of an order = stockout probability x value of the lead-time demand (units x unit
cost) x (1 + w x the SKU's share of revenue from high-value customers), w the setting
inventory.budget_customer_weight: the money of sales at risk before an order placed today
can arrive, counted up to 1 + w times when the shop's best customers buy it (a SKU without
a share counts once). Orders are
funded in falling priority (ties: earlier order_by, then sku). An order that does not fit
in what is left of the budget is deferred and the next one is tried, so a small urgent
order is never blocked by a large one above it; a deferred order keeps its row, with
``deferred`` true and the reason saying why. Without a cap nothing is deferred.
"""

from __future__ import annotations

import polars as pl


def apply_budget_cap(
    recommendations: pl.DataFrame, budget_cap: float | None, customer_weight: float = 0.0
) -> pl.DataFrame:
    """Add priority, priority_rank and deferred; defer what the budget cannot fund.

    Args:
        recommendations: reorder recommendations with sku, order_by, order_value,
            stockout_probability, lead_time_demand, unit_cost, reason and (when
            ``customer_weight`` > 0) high_value_revenue_share.
        budget_cap: money available for today's orders; None for no cap.
        customer_weight: w of the module docstring; 0 ranks by stockout risk x value.

    Returns:
        The same rows and order plus priority (Float64), priority_rank (1 = most urgent)
        and deferred (Boolean); the reason of a deferred row ends with the cap it hit.
    """
    if budget_cap is not None and budget_cap < 0:
        raise ValueError(
            f"inventory.budget_cap is {budget_cap}; use a positive amount or leave it out"
        )
    # Weighted only when some SKU's share is known: the reason then names the weighting.
    weighted = customer_weight > 0 and (
        recommendations.get_column("high_value_revenue_share", default=pl.Series([None]))
        .is_not_null()
        .any()
    )
    customers = (
        1 + customer_weight * pl.col("high_value_revenue_share").fill_null(0.0)
        if weighted
        else pl.lit(1.0)
    )
    ranked = (
        recommendations.with_row_index("_row")
        .with_columns(
            (
                pl.col("stockout_probability")
                * pl.col("lead_time_demand")
                * pl.col("unit_cost")
                * customers
            ).alias("priority")
        )
        .sort(["priority", "order_by", "sku"], descending=[True, False, False])
        .with_columns(pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias("priority_rank"))
    )
    funded, deferred = 0.0, []
    for value in ranked["order_value"].to_list():
        fits = budget_cap is None or funded + value <= budget_cap + 1e-9
        funded += value if fits else 0.0
        deferred.append(not fits)
    return (
        ranked.with_columns(pl.Series("deferred", deferred, dtype=pl.Boolean))
        .with_columns(
            pl.when(pl.col("deferred"))
            .then(
                pl.format(
                    "{} Deferred: priority {} by stockout risk x value{}, it does not fit in "
                    "what is left of the {} budget cap.",
                    pl.col("reason"),
                    pl.col("priority_rank"),
                    pl.lit(" x customer value" if weighted else ""),
                    pl.lit(f"{budget_cap:,.2f}" if budget_cap is not None else ""),
                )
            )
            .otherwise(pl.col("reason"))
            .alias("reason")
        )
        .sort("_row")
        .drop("_row")
    )
