"""What each export file gave, per day: lines read, loaded and quarantined.

A day file (`YYYY-MM-DD.csv`) gives one result; a multi-day file gives one per day its rows
hold, so quality.load_log reconciles rows read = loaded + quarantined for every file and day.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from contract.exports import ROW_DAY
from ingest.discover import ExportFile
from ingest.source import ExportFileError


@dataclass(frozen=True)
class FileResult:
    """What loading one export file gave."""

    file: str  # relative to the exports folder
    kind: str
    export_date: Any  # datetime.date
    format: str
    format_detected: bool  # True when the header decided the format, not exports.yaml
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    notes: tuple[str, ...] = ()


def undated_rows_to_first_day(
    kind: str, files: list[ExportFile], rows: pl.DataFrame, quarantine: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Rows of a multi-day file whose own date is unreadable (quarantined ones, broken
    lines) belong to the file's first day, so reloading that day replaces them too.

    Raises:
        ExportFileError: a multi-day file none of whose rows has a readable date.
    """
    multi_day = [f.name for f in files if not f.is_day_file]
    if not multi_day:
        return rows, quarantine
    dated = pl.concat(
        [rows.select("_file", "_export_date"), quarantine.select("_file", "_export_date")]
    )
    first_days = dict(
        dated.filter(pl.col("_file").is_in(multi_day))
        .group_by("_file")
        .agg(pl.col("_export_date").min())
        .drop_nulls()
        .iter_rows()
    )
    for name in multi_day:
        if name not in first_days:
            raise ExportFileError(
                f"{name} is not named by its export day and no row has a readable "
                f"{ROW_DAY[kind]} to give it one; name the file YYYY-MM-DD.<ext> by the day it "
                f"was exported, or fix the {ROW_DAY[kind]} column"
            )
    first_day = pl.col("_file").replace_strict(first_days, default=None, return_dtype=pl.Date())
    fill = pl.coalesce(pl.col("_export_date"), first_day).alias("_export_date")
    return rows.with_columns(fill), quarantine.with_columns(fill)


def file_results(
    kind: str,
    seen: list[tuple[ExportFile, str, bool, int]],
    rows: pl.DataFrame,
    quarantine: pl.DataFrame,
    notes: dict[str, list[str]],
    one_row_per_line: bool,
) -> list[FileResult]:
    """What each file gave for each of its days: lines read, loaded and quarantined, notes.

    A day file has one day. A multi-day file has one result per day its rows hold, each
    counting that day's lines; its first day also carries any difference between the lines
    the file has and the lines accounted for, so a lost line still fails the reconciliation.
    `one_row_per_line`: no line gave two rows (then rows are counted, not distinct lines).
    """
    # Lines, not rows: a format may turn one line into several rows (see _with_source_tags).
    loaded = lines_per_day(rows, "_line", one_row_per_line)
    quarantined = lines_per_day(quarantine, "line", one_row_per_line)
    days_of: dict[str, set[Any]] = {}
    for file_name, day in loaded | quarantined:
        days_of.setdefault(file_name, set()).add(day)
    results = []
    for file, name, detected, rows_read in seen:
        days = sorted(days_of.get(file.name, ()))
        if file.is_day_file or not days:
            days = [file.export_date]
        counted = {
            d: loaded.get((file.name, d), 0) + quarantined.get((file.name, d), 0) for d in days
        }
        unaccounted = rows_read - sum(counted.values())
        for i, day in enumerate(days):
            results.append(
                FileResult(
                    file.name,
                    kind,
                    day,
                    name,
                    detected,
                    rows_read
                    if file.is_day_file
                    else counted[day] + (unaccounted if i == 0 else 0),
                    loaded.get((file.name, day), 0),
                    quarantined.get((file.name, day), 0),
                    tuple(notes.get(file.name, ())) if i == 0 else (),
                )
            )
    return results


def lines_per_day(
    frame: pl.DataFrame, line: str, one_row_per_line: bool
) -> dict[tuple[str, Any], int]:
    """Distinct lines per (file, export day); rows per (file, export day) when each line
    gave at most one row (the same count, without hashing every line)."""
    lines = pl.len() if one_row_per_line else pl.col(line).n_unique()
    counts = frame.group_by("_file", "_export_date").agg(lines)
    return {(name, day): n for name, day, n in counts.iter_rows()}
