"""The archive of past reorder lists: one CSV file per as-of date, and the previous list.

Every run archives its reorder list as `<folder>/YYYY-MM-DD.csv` (the folder is
`RunPaths.reorder_archive` in config/resources.py). The as-of date is the last day of data
the list was planned from: the day of the stock count, or the last demand day when the shop
sends no stock counts. Naming by it, not by the day the run happened, keeps a backfill or a re-run on
the date its data belong to; a re-run for the same as-of date replaces that day's file
atomically, so the archive never holds two lists for one day.

The files are the archive of record: plain CSV a merchandiser can open, and they live beside
the warehouse, not in it, so deleting and rebuilding the warehouse keeps them.

A list is compared with the *previous* list: the archived one with the latest as-of date
strictly before its own. Never with itself (a re-run of the same day) and never with a list
of a later day (a backfill of an earlier day compares with the day before it).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import polars as pl

from warehouse.safe_csv import restored, write_safe_csv

_ARCHIVE_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})\.csv")


def archive_file(folder: Path, as_of: dt.date) -> Path:
    """The archived list of one as-of date: `<folder>/YYYY-MM-DD.csv`."""
    return folder / f"{as_of.isoformat()}.csv"


def archived_dates(folder: Path) -> list[dt.date]:
    """The as-of dates of the archived lists, oldest first; other files are ignored."""
    if not folder.is_dir():
        return []
    names = (_ARCHIVE_NAME.fullmatch(path.name) for path in folder.iterdir())
    return sorted(dt.date.fromisoformat(match[1]) for match in names if match)


def archive_list(recommendations: pl.DataFrame, folder: Path, as_of: dt.date) -> Path:
    """Write a reorder list as the archived list of its as-of date, replacing it atomically.

    The list goes to a hidden file beside its target first and is renamed over it: a
    reader sees the old list or the new one, never half a file.

    Args:
        recommendations: the list (inventory.reorder_recommendations), its formula-like
            text cells neutralised for spreadsheets (warehouse/safe_csv.py).
        folder: the archive folder, created when missing.
        as_of: the last day of data the list was planned from.

    Returns:
        The archived file.
    """
    folder.mkdir(parents=True, exist_ok=True)
    target = archive_file(folder, as_of)
    incoming = folder / f".{target.name}.incoming-{os.getpid()}"
    try:
        write_safe_csv(recommendations, incoming)
        os.replace(incoming, target)
    finally:
        incoming.unlink(missing_ok=True)
    return target


def read_archived(path: Path) -> pl.DataFrame:
    """An archived list's sku, description and order_qty (empty when nobody was to order).

    Read as text and cast, so a list archived before a column was added still reads; text
    cells get back the characters `write_safe_csv` guarded against spreadsheet formulas.
    """
    listed = pl.read_csv(path, infer_schema=False)
    if listed.is_empty() and not listed.columns:  # an empty file without a header
        listed = pl.DataFrame(schema=["sku", "description", "order_qty"])
    return listed.select(
        restored(pl.col("sku").cast(pl.String)),
        restored(pl.col("description").cast(pl.String)),
        pl.col("order_qty").cast(pl.Int64),
    )


def previous_list(folder: Path, as_of: dt.date) -> tuple[dt.date, pl.DataFrame] | None:
    """The archived list with the latest as-of date before `as_of`, and that date.

    Returns:
        (its as-of date, its sku, description and order_qty), or None when no list before
        `as_of` is archived.
    """
    earlier = [day for day in archived_dates(folder) if day < as_of]
    if not earlier:
        return None
    return earlier[-1], read_archived(archive_file(folder, earlier[-1]))
