"""What changed between two reorder lists: SKUs new on the list, dropped from it, and whose
order quantity went up, down or stayed the same.

Quantities are compared only when both lists give one. A shop without stock counts gets
reorder levels and no quantities, so its SKUs are new, dropped or unchanged (on both lists).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

NEW, DROPPED, UP, DOWN, UNCHANGED = "new", "dropped", "quantity up", "quantity down", "unchanged"
# The order the kinds are listed in: what needs attention first.
CHANGE_KINDS = (NEW, DROPPED, UP, DOWN, UNCHANGED)
CHANGES_SCHEMA: dict[str, pl.DataType] = {
    "as_of": pl.Date(),
    "previous_as_of": pl.Date(),  # empty when no earlier list is archived
    "sku": pl.String(),
    "description": pl.String(),
    "change": pl.String(),  # one of CHANGE_KINDS; empty when there is no previous list
    "previous_order_qty": pl.Int64(),
    "order_qty": pl.Int64(),
    "order_qty_change": pl.Int64(),  # order_qty - previous_order_qty, SKUs on both lists
}
_LISTED = {"sku": pl.String(), "description": pl.String(), "order_qty": pl.Int64()}


def list_changes(
    current: pl.DataFrame,
    as_of: dt.date,
    previous: tuple[dt.date, pl.DataFrame] | None,
) -> pl.DataFrame:
    """Compare a reorder list with the previous one, SKU by SKU.

    Args:
        current: the list of `as_of` (sku, description, order_qty; one row per SKU).
        as_of: the last day of data the current list was planned from.
        previous: the previous list's as-of date and its sku, description and order_qty
            (:func:`reports.pages.reorder.archive.previous_list`); None when no earlier list
            is archived.

    Returns:
        inventory.reorder_changes, the columns of ``CHANGES_SCHEMA``: one row per SKU on
        either list, ordered by change kind (new, dropped, quantity up, quantity down,
        unchanged) then sku. Without a previous list every row is a SKU of the current
        list and its change is empty: there is nothing to compare with.
    """
    now = current.select(*_LISTED).cast(_LISTED).with_columns(pl.lit(True).alias("_now"))
    previous_as_of, previous_list = previous or (None, pl.DataFrame(schema=_LISTED))
    before = (
        previous_list.select(*_LISTED)
        .cast(_LISTED)
        .select(
            "sku",
            pl.col("description").alias("_previous_description"),
            pl.col("order_qty").alias("previous_order_qty"),
            pl.lit(True).alias("_before"),
        )
    )
    joined = now.join(before, on="sku", how="full", coalesce=True)
    now_qty, before_qty = pl.col("order_qty"), pl.col("previous_order_qty")
    change = (
        pl.when(pl.col("_before").is_null())
        .then(pl.lit(NEW))
        .when(pl.col("_now").is_null())
        .then(pl.lit(DROPPED))
        .when(now_qty > before_qty)
        .then(pl.lit(UP))
        .when(now_qty < before_qty)
        .then(pl.lit(DOWN))
        .otherwise(pl.lit(UNCHANGED))
    )
    if previous is None:  # nothing to compare with: no kind of change is known
        change = pl.lit(None, pl.String)
    return by_kind(
        joined.with_columns(
            pl.lit(as_of, pl.Date).alias("as_of"),
            pl.lit(previous_as_of, pl.Date).alias("previous_as_of"),
            pl.coalesce("description", "_previous_description").alias("description"),
            change.alias("change"),
            (now_qty - before_qty).alias("order_qty_change"),
        )
        .select(name for name in CHANGES_SCHEMA)
        .cast(CHANGES_SCHEMA)
    )


def by_kind(changes: pl.DataFrame) -> pl.DataFrame:
    """Changes in the order of CHANGE_KINDS (what needs attention first), then by sku."""
    rank = pl.col("change").replace_strict(
        CHANGE_KINDS, range(len(CHANGE_KINDS)), default=len(CHANGE_KINDS)
    )
    return changes.sort(rank, "sku")
