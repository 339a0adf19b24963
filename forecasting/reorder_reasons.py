"""The one sentence each reorder row says, in the words a merchandiser reads.

Numbers are written as Python's ``format`` writes them (see :func:`_formatted`), so a
reason reads the same whatever engine computed its row.
"""

from __future__ import annotations

import polars as pl

ASSUMED_TERMS = (
    " Lead time, unit cost, MOQ and pack size are assumed (no catalog feed; settings "
    "inventory.assumed_*)."
)


def _formatted(number: pl.Expr, spec: str) -> pl.Expr:
    """Each number as Python's ``format(number, spec)`` writes it. polars has no printf-style
    formatting, and its rounding differs from Python's in rare ties (0.35 to one decimal),
    which would change what a reason says."""
    return number.map_elements(lambda value: format(value, spec), return_dtype=pl.String)


def _units_text(units: pl.Expr) -> pl.Expr:
    """Units with a decimal for slow sellers, so "0" never hides real demand."""
    return pl.when(units < 10).then(_formatted(units, ".1f")).otherwise(_formatted(units, ".0f"))


def _assumed_terms_note() -> pl.Expr:
    """The sentence that flags a row whose supplier terms come from settings, else ""."""
    return pl.when(pl.col("catalog_assumed")).then(pl.lit(ASSUMED_TERMS)).otherwise(pl.lit(""))


def levels_reason() -> pl.Expr:
    """The levels of a SKU whose stock is unknown, in the words a merchandiser reads."""
    lead_days = pl.col("lead_days")
    return pl.format(
        "On-hand stock unknown (no inventory feed): order when on hand + on order is at or "
        "below the reorder point {}, up to the order-up-to level {}. {}-day lead time ({} "
        "trading days) needs {} units at the recent rate; the reorder point covers {} % of "
        "past {}-day demand (class {} target {} %).{}",
        _units_text(pl.col("reorder_point")),
        _units_text(pl.col("order_up_to")),
        _formatted(pl.col("lead_time_days"), "g"),
        lead_days,
        _units_text(pl.col("lead_time_demand")),
        _formatted(pl.col("service_level") * 100, ".0f"),
        lead_days,
        "abc_class",
        _formatted(pl.col("class_target") * 100, "g"),
        _assumed_terms_note(),
    )


def order_reason() -> pl.Expr:
    """The recommendation in the words a merchandiser reads."""
    cover = (
        pl.when(pl.col("daily_demand") > 0)
        .then(
            pl.format(
                "{} days",
                (pl.col("inventory_position") / pl.col("daily_demand")).floor().cast(pl.Int64),
            )
        )
        .otherwise(pl.lit("indefinitely"))
    )
    lead_days = pl.col("lead_days")
    return pl.format(
        "On hand {} + on order {} covers {}; {}-day lead time ({} trading days) needs {} units "
        "at the recent rate; reorder point {} covers {} % of past {}-day demand (class {} "
        "target {} %); {} chance of running out before an order placed today arrives. "
        "Order {} by {} ({}).{}",
        "on_hand",
        "on_order",
        cover,
        _formatted(pl.col("lead_time_days"), "g"),
        lead_days,
        _units_text(pl.col("lead_time_demand")),
        _units_text(pl.col("reorder_point")),
        _formatted(pl.col("service_level") * 100, ".0f"),
        lead_days,
        "abc_class",
        _formatted(pl.col("class_target") * 100, "g"),
        _formatted(pl.col("stockout_probability"), ".0%"),
        "order_qty",
        pl.col("order_by").dt.strftime("%Y-%m-%d"),
        "rounding",
        _assumed_terms_note(),
    )
