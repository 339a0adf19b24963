"""Which rows each build wrote, kept so that the asset checks can validate only those rows.

A build that rewrites only part of its table says which days, in the build's own
transaction, with `record_written_days(con, table, days)`; `days=None` means the whole
table was rewritten. Every record gets a new `write_id`, increasing across all tables.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import duckdb

from warehouse.frames import scalar

WRITTEN_TABLES = """
create schema if not exists build_state;
create table if not exists build_state.written (
    write_id bigint, table_name varchar, whole boolean, written_at timestamp
);
create table if not exists build_state.written_days (write_id bigint, table_name varchar, day date);
"""


def record_written_days(
    con: duckdb.DuckDBPyConnection, table: str, days: Iterable[dt.date] | None
) -> None:
    """Record that a build rewrote the rows of `days` in `table` (None: the whole table).

    Call it in the build's transaction, after the write, so a rolled-back build records
    nothing.

    Args:
        con: a read-write warehouse connection.
        table: `schema.table`.
        days: the values of the table's day column whose rows were deleted and inserted
            again (an empty iterable: nothing was rewritten), or None for the whole table.
    """
    con.execute(WRITTEN_TABLES)
    write_id = scalar(con, "select coalesce(max(write_id), 0) + 1 from build_state.written")
    con.execute(
        "insert into build_state.written values (?, ?, ?, now()::timestamp)",
        [write_id, table, days is None],
    )
    distinct = sorted(set(days or ()))
    if distinct:
        con.execute(
            "insert into build_state.written_days select ?, ?, unnest(?::date[])",
            [write_id, table, distinct],
        )
