"""Turn wanted order quantities into what the supplier accepts, and say so in words."""

from __future__ import annotations

import polars as pl


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
