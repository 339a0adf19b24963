"""The data coverage under each page's heading: the first and last day of its tables."""

from __future__ import annotations

from datetime import date

import duckdb

from reports.inputs import SITE_INPUTS
from reports.site.format import coverage_text
from warehouse.frames import read_row


def coverage(con: duckdb.DuckDBPyConnection, table: str) -> tuple[date | None, date | None]:
    """First and last `day` in one warehouse table (None, None when it is empty)."""
    if table not in SITE_INPUTS:
        raise ValueError(f"dashboard: coverage of unknown table {table}; use one of {SITE_INPUTS}")
    return read_row(con, f"select min(day), max(day) from {table}")


def coverage_lines(con: duckdb.DuckDBPyConnection, *tables: tuple[str, str]) -> list[str]:
    """One "label first to last day" text per (label, table)."""
    return [coverage_text(label, *coverage(con, table)) for label, table in tables]
