"""Rules across export kinds, checked at ingest against what the warehouse already holds.

A shipment cannot leave before its order was placed. The shipments export alone cannot
tell (it has no order time), so its rows are compared with the orders already in
raw.orders; the raw shipments asset depends on raw orders, so a run loads orders first.
A shipment whose order is not loaded yet is not judged.
"""

from __future__ import annotations

from dataclasses import replace

import duckdb
import polars as pl

from ingest.cast import QUARANTINE_SCHEMA
from ingest.file_results import FileResult
from ingest.read import ExportBatch

# pl.format placeholders: shipped_at, then the order's ordered_at.
REASON = (
    'shipped_at "{}" is before its order was placed (ordered_at "{}" in raw.orders); '
    "fix shipped_at in the shipments export or the order's ordered_at"
)


def quarantine_shipped_before_ordered(
    con: duckdb.DuckDBPyConnection, batch: ExportBatch
) -> ExportBatch:
    """Move shipment rows shipped before their order was placed to the batch's quarantine.

    Args:
        con: the warehouse, with raw.orders.
        batch: shipments rows read from their files.

    Returns:
        The batch with those rows quarantined (reason naming both times and the fix) and
        the files' loaded and quarantined counts moved accordingly.
    """
    placed = con.sql(
        "select order_id, min(ordered_at) as __ordered_at from raw.orders "
        "where order_id in (select unnest($ids::varchar[])) group by order_id",
        params={"ids": batch.rows["order_id"].unique().to_list()},
    ).pl()
    rows = batch.rows.join(placed, on="order_id", how="left", maintain_order="left")
    early = (pl.col("shipped_at") < pl.col("__ordered_at")).fill_null(False)
    moved = rows.filter(early)
    if moved.is_empty():
        return batch
    shipped = pl.col("shipped_at").dt.strftime("%Y-%m-%d %H:%M:%S")
    ordered = pl.col("__ordered_at").dt.strftime("%Y-%m-%d %H:%M:%S")
    quarantine = moved.select(
        "_file",
        "_export_date",
        pl.col("_line").alias("line"),
        pl.lit("shipped_at").alias("column_name"),
        pl.concat_str([shipped, ordered], separator=" | ").alias("raw_value"),
        pl.format(REASON, shipped, ordered).alias("reason"),
    ).cast(QUARANTINE_SCHEMA)
    lines = moved.group_by("_file", "_export_date").agg(pl.col("_line").n_unique())
    per_day = {(name, day): n for name, day, n in lines.iter_rows()}
    files = [_moved(f, per_day.get((f.file, f.export_date), 0)) for f in batch.files]
    return ExportBatch(
        batch.kind,
        rows.filter(~early).drop("__ordered_at"),
        pl.concat([batch.quarantine, quarantine]).sort("_file", "line"),
        files,
    )


def _moved(result: FileResult, lines: int) -> FileResult:
    return replace(
        result,
        rows_loaded=result.rows_loaded - lines,
        rows_quarantined=result.rows_quarantined + lines,
    )
