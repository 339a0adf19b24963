"""Trim the warehouse tables that gain rows every run to a retention window.

Three tables only ever append: quality.check_results (one row per check per run),
marts.clv_model (the fitted parameters of every run, for drift) and build_state.builds
(one row per incremental build). Left alone they grow by every nightly run forever. Each
is trimmed by its own timestamp column; build_state.builds always keeps each table's
newest build, which the next incremental build starts from. DuckDB reuses the freed
blocks, so the file stops growing once the window is full.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from warehouse.frames import table_exists
from warehouse.transaction import transaction


@dataclass(frozen=True)
class HistoryTable:
    """An append-only table and the column that says when each row was written."""

    name: str
    timestamp: str
    keep_newest_of: str | None = None  # a column: its newest row per value is always kept


CHECK_RESULTS = HistoryTable("quality.check_results", "checked_at")
CLV_MODEL = HistoryTable("marts.clv_model", "run_at")
BUILDS = HistoryTable("build_state.builds", "built_at", keep_newest_of="table_name")
# Every table that keeps a row per run: two runs that end in the same data differ in these
# by the runs that led there (a killed run's checks, a re-run's fit), by design.
PER_RUN_TABLES = (CHECK_RESULTS, CLV_MODEL, BUILDS)


def trim_table(
    con: duckdb.DuckDBPyConnection, table: HistoryTable, days: int, now: dt.datetime
) -> int:
    """Delete the rows of `table` written more than `days` days before `now`.

    Args:
        con: a read-write warehouse connection.
        table: the table and its timestamp column.
        days: the retention window; 0 keeps every row.
        now: the current time, naive UTC like the tables' timestamps.

    Returns:
        The number of rows deleted (0 when the table does not exist yet).
    """
    if days == 0 or not table_exists(con, table.name):
        return 0
    cutoff = now - dt.timedelta(days=days)
    where = f"{table.timestamp} < ?"
    if table.keep_newest_of is not None:
        group = table.keep_newest_of
        where += (
            f" and ({group}, {table.timestamp}) not in "
            f"(select ({group}, max({table.timestamp})) from {table.name} group by {group})"
        )
    with transaction(con):
        deleted = con.execute(f"delete from {table.name} where {where}", [cutoff]).fetchone()
    return deleted[0] if deleted else 0
