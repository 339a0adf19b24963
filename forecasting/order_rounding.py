"""Turn wanted order quantities into what the supplier accepts, say so in words, and round
a reorder list as people read it (whole units, cents, shares to 0.1 %)."""

from __future__ import annotations

import polars as pl

# Decimals kept of the list's shares (0.1 %) and cover (0.1 day); quantities are whole units
# and money is to the cent (see in_whole_units).
ROUNDED = {
    "days_of_cover": 1,
    "stockout_probability": 3,
    "service_level": 3,
    "high_value_revenue_share": 3,
}


def _packs_text(packs: pl.Expr, pack_size: pl.Expr) -> pl.Expr:
    """e.g. "1 pack of 6", "4 packs of 12"."""
    plural = pl.when(packs == 1).then(pl.lit("")).otherwise(pl.lit("s"))
    return pl.format("{} pack{} of {}", packs, plural, pack_size)


def rounded_orders(orders: pl.DataFrame) -> pl.DataFrame:
    """Round each wanted quantity up to whole units, then to the MOQ, then to whole packs.

    Args:
        orders: one row per order with wanted (units > 0, possibly fractional), moq
            (supplier minimum order quantity in units, >= 1) and pack_size (units per case,
            >= 1; orders are whole cases).

    Returns:
        ``orders`` plus order_qty (Int64) and rounding, what happened in words, e.g.
        (48, "rounded up from 37 to 48: 4 packs of 12") or (100, "need 37, raised to the
        MOQ of 100").
    """
    moq, pack_size = pl.col("moq").cast(pl.Int64), pl.col("pack_size").cast(pl.Int64)
    # Rounded first so that 36.0000000001 from float sums is not ordered as 37.
    units = pl.col("wanted").round(6).ceil().cast(pl.Int64)
    packs = (pl.max_horizontal(units, moq) + pack_size - 1) // pack_size
    quantity = packs * pack_size
    packs_text = _packs_text(packs, pack_size)
    raised = pl.format("need {}, raised to the MOQ of {}", units, moq)
    rounding = (
        pl.when((units < moq) & (quantity > moq))
        .then(pl.format("{}, then up to {}: {}", raised, quantity, packs_text))
        .when((units < moq) & (pack_size == 1))
        .then(raised)
        .when(units < moq)
        .then(pl.format("{} ({})", raised, packs_text))
        .when(quantity > units)
        .then(pl.format("rounded up from {} to {}: {}", units, quantity, packs_text))
        .when(pack_size > 1)
        .then(pl.format("no rounding needed: {} is {}", quantity, packs_text))
        .otherwise(pl.lit("no rounding needed"))
    )
    return orders.with_columns(quantity.alias("order_qty"), rounding.alias("rounding"))


def in_whole_units(plan: pl.DataFrame) -> pl.DataFrame:
    """A reorder list's levels in whole units, shares to 0.1 %, cover to 0.1 day, as people read them.

    The reorder point is rounded down and the order-up-to level up: stock is whole units,
    so "order when the position is at or below 69.6" is "at or below 69", and ordering up
    to 140.2 takes 141. Safety stock is then reorder point - lead-time demand, in units.
    """
    reorder_point = (pl.col("reorder_point") + 1e-9).floor().cast(pl.Int64)
    lead_time_demand = pl.col("lead_time_demand").round(0).cast(pl.Int64)
    return plan.with_columns(
        reorder_point.alias("reorder_point"),
        (pl.col("order_up_to") - 1e-6).ceil().cast(pl.Int64).alias("order_up_to"),
        lead_time_demand.alias("lead_time_demand"),
        (reorder_point - lead_time_demand).alias("safety_stock"),
        *(pl.col(name).round(digits) for name, digits in ROUNDED.items() if name in plan.columns),
    )
