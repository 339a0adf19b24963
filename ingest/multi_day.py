"""Multi-day files: which days a file not named by a day holds, and which file gives each day.

A multi-day file (a full-history export, a monthly dump) is split by each row's own date
(`contract.ROW_DAY`). When several files hold one day (a day file and a monthly dump, or
two overlapping history exports), the newest file gives that day's rows and the others'
rows of that day are not loaded: a file replaces, for every day it holds, what earlier
files gave that day. Newest is the latest modification time, ties broken by the later
name. The choice depends only on the folder, so loading it again gives the same rows.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from pathlib import Path

import polars as pl

from ingest.bounds import RowBounds
from ingest.discover import ExportFile, export_files
from ingest.exports_config import read_exports_config
from ingest.read import ExportBatch, read_exports


def days_held(batch: ExportBatch) -> dict[str, set[dt.date]]:
    """{file name: the export days its rows (loaded or quarantined) were routed to}."""
    held: dict[str, set[dt.date]] = {}
    for frame in (batch.rows, batch.quarantine):
        for name, day in frame.select("_file", "_export_date").unique().iter_rows():
            held.setdefault(name, set()).add(day)
    return held


def _newness(file: ExportFile) -> tuple[int, str]:
    return file.path.stat().st_mtime_ns, file.name


def day_owners(
    day_files: Iterable[ExportFile],
    multi_day_files: Iterable[ExportFile],
    held: dict[str, set[dt.date]],
) -> dict[dt.date, str]:
    """{day: name of the file that gives the day's rows}, the newest file holding it.

    Args:
        day_files: files named by their day (each holds its own day).
        multi_day_files: files not named by a day.
        held: `days_held` of the multi-day files.

    Returns:
        One owner per day any of the files holds.
    """
    candidates: dict[dt.date, list[ExportFile]] = {}
    for file in day_files:
        candidates.setdefault(file.export_date, []).append(file)
    for file in multi_day_files:
        for day in held.get(file.name, ()):
            candidates.setdefault(day, []).append(file)
    return {day: max(files, key=_newness).name for day, files in candidates.items()}


def owned_part(batch: ExportBatch, owners: dict[dt.date, str], days: set[dt.date]) -> ExportBatch:
    """The rows, quarantine rows and per-day results of `batch` on `days` whose file owns the day."""
    owned = pl.DataFrame(
        [(day, name) for day, name in owners.items() if day in days],
        schema={"_export_date": pl.Date(), "_file": pl.String()},
        orient="row",
    )
    return ExportBatch(
        batch.kind,
        batch.rows.join(owned, on=["_export_date", "_file"], how="semi", maintain_order="left"),
        batch.quarantine.join(
            owned, on=["_export_date", "_file"], how="semi", maintain_order="left"
        ),
        [f for f in batch.files if f.export_date in days and owners.get(f.export_date) == f.file],
    )


@functools.lru_cache(maxsize=256)
def _held_by_version(
    exports_dir: str, kind: str, name: str, size: int, mtime_ns: int, bounds: RowBounds
) -> frozenset:
    file = next(f for f in export_files(exports_dir, kind) if f.name == name)
    batch = read_exports([file], kind, read_exports_config(exports_dir), bounds=bounds)
    return frozenset(days_held(batch).get(name, ()))


def export_days(
    exports_dir: str | Path, files: Iterable[ExportFile], bounds: RowBounds | None = None
) -> list[dt.date]:
    """Every export day the files hold: day files' days and the days in multi-day files.

    A multi-day file is read to know its days; the answer is kept per file version (size
    and modification time), so a sensor asking every minute reads a file once.

    Args:
        exports_dir: the exports folder.
        files: export files (`discover_exports`).
        bounds: the run's plausibility bounds (None: the settings' defaults): a row dated
            outside them gives no day, as when the file is loaded.

    Returns:
        The days, sorted.
    """
    bounds = bounds or RowBounds.from_settings()
    days: set[dt.date] = set()
    for file in files:
        if file.is_day_file:
            days.add(file.export_date)
            continue
        stat = file.path.stat()
        days |= _held_by_version(
            str(exports_dir), file.kind, file.name, stat.st_size, stat.st_mtime_ns, bounds
        )
    return sorted(days)
