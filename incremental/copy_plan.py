"""Which rows of the analyst copy a night must copy again: those the builds rewrote since
the last copy (incremental/written.py), so the copy costs what the night changed.

The warehouse keeps one row in `build_state.analyst_copy`: the newest write_id the last
published copy holds, and that file's identity (warehouse/analyst_copy.py `file_identity`:
size and modification time). The next copy starts from that file only when the file
at the copy's path still has that identity (not replaced, not written by an analyst);
then, per table:

- a table whose builds record their writes, none of them whole since the copy: only the
  rows of the days and visitors written since (nothing when no build wrote it, as for the
  backtests' tables on the nights that keep them: incremental/written.py `replace_recorded`);
- any other table (one rebuilt whole every run, a full rebuild, a table new since the
  copy): the whole table.

Lists of written days and visitors are kept until the copy holds them
(`forget_validated`), so the rows a copy needs are always listed.
"""

from __future__ import annotations

from collections.abc import Mapping

import duckdb

from incremental.written import ensure_written, pending_writes
from warehouse.analyst_copy import ANALYST_SCHEMAS, CopyChanges
from warehouse.frames import scalar
from warehouse.transaction import transaction


def _analyst_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    placeholders = ", ".join("?" for _ in ANALYST_SCHEMAS)
    rows = con.execute(
        "select table_schema || '.' || table_name from information_schema.tables "
        f"where table_catalog = current_database() and table_schema in ({placeholders}) "
        "order by 1",
        list(ANALYST_SCHEMAS),
    ).fetchall()
    return [table for (table,) in rows]


def plan_analyst_copy(
    con: duckdb.DuckDBPyConnection, catalog: str, day_columns: Mapping[str, str]
) -> CopyChanges:
    """What the next analyst copy must copy again, as predicates over the warehouse
    attached as `catalog` to the copy (warehouse/analyst_copy.py `publish_analyst_copy`).

    Args:
        con: a read-write warehouse connection.
        catalog: the name the copy attaches the warehouse under.
        day_columns: per table, the column holding the days its builds record (the
            checks' suites); `day` for a table not named.

    Returns:
        CopyChanges: the write the copy will hold, the identity of the file the last copy
        was (None: no copy recorded) and per table a predicate of the rows to copy again,
        or None for the whole table.
    """
    ensure_written(con)
    through = scalar(con, "select coalesce(max(write_id), 0) from build_state.written")
    last = con.execute("select through_write_id, file_id from build_state.analyst_copy").fetchall()
    if len(last) != 1:
        return CopyChanges(through, None, {})
    after, file_id = last[0]
    rows: dict[str, str | None] = {}
    for table in _analyst_tables(con):
        pending = pending_writes(con, table, after)
        whole = not pending.recorded or pending.whole
        rows[table] = None if whole else pending.where(day_columns.get(table, "day"), catalog)
    return CopyChanges(through, file_id, rows)


def record_analyst_copy(con: duckdb.DuckDBPyConnection, through: int, file_id: str) -> None:
    """Record that the copy published as the file `file_id` holds the writes up to `through`.

    Call it after the copy is swapped in: a crash before it leaves the old record, which no
    longer names the file at the copy's path, so the next copy is made whole.
    """
    ensure_written(con)
    with transaction(con):
        con.execute("delete from build_state.analyst_copy")
        con.execute(
            "insert into build_state.analyst_copy values (?, ?, now()::timestamp)",
            [through, file_id],
        )
