"""The analyst copy: the warehouse's analyst schemas in a file of their own, for readers.

DuckDB's file lock is per process: a reader holding `warehouse.duckdb` open, even
read-only, makes the pipeline's writer in another process fail with `Could not set lock
on file`. Notebooks and analysts therefore read a copy that the run publishes after it
has written the warehouse, and never open the file the writer holds.

The copy holds `ANALYST_SCHEMAS` only. `raw` keeps the exports as sent (customer e-mails,
names, phones and addresses), `staging` keeps every event and order line with hashed
customer keys and free-text feedback, and `build_state` is the incremental builds'
bookkeeping: none of them is for analysts.

Publishing writes a new file beside the copy (`.<name>.incoming-<pid>`) and renames it over
the copy in one `os.replace`: a reader sees the old copy or the new one, never a half-written
file, and a reader that holds the old copy open keeps reading it, unchanged, until it
reconnects. A copy that fails leaves the previous copy in place.

A night rewrites a few days and visitors of the large tables, so the new file normally
starts as a byte copy of the previous copy, in which only the rows the builds rewrote since
are deleted and inserted again from the warehouse, and the tables rebuilt whole are copied
whole (`CopyChanges`, made by incremental/copy_plan.py). It starts empty and copies every
table when there is no previous copy, when the file at the copy's path is not the one the
warehouse recorded (replaced, or opened read-write by an analyst), when the copy holds a
schema or table the analyst schemas do not, or when, after the update, a table's row count
differs from the warehouse's. Either way the result is the same tables with the same rows,
swapped in the same way.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import duckdb

from config.settings import WarehouseSettings
from warehouse.connect import connect
from warehouse.sql_text import sql_literal

ANALYST_SCHEMAS: tuple[str, ...] = ("marts", "forecasts", "inventory", "quality")
SOURCE = "warehouse"  # the name the warehouse is attached under while it is copied


@dataclass(frozen=True)
class CopyChanges:
    """What changed in the warehouse since the previous copy (incremental/copy_plan.py)."""

    through: int  # the newest warehouse write the new copy holds
    previous: str | None  # file_identity of the previous copy; None: copy every table
    # "schema.table" -> a predicate over the warehouse attached as SOURCE selecting the
    # rows rewritten since the previous copy; None, or a table not named: the whole table
    rows: Mapping[str, str | None]


@dataclass(frozen=True)
class AnalystCopy:
    """What one publication wrote."""

    path: Path
    rows: dict[str, int]  # "schema.table" -> rows the copy holds
    bytes: int
    seconds: float
    file_id: str  # file_identity of the published file
    whole: bool  # every table copied (False: the previous copy updated)
    reason: str  # why the copy was made whole, or what was updated


class _InDoubt(Exception):
    """The previous copy cannot be trusted as the start of the new one."""


def file_identity(path: Path) -> str:
    """The file's size and modification time, to the nanosecond: a write to the file, or
    another file put in its place, changes them; moving the data folder (or copying it,
    times kept) does not."""
    stat = path.stat()
    return f"{stat.st_size}:{stat.st_mtime_ns}"


def _tables(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """The tables and views of the analyst schemas in the attached warehouse, sorted."""
    placeholders = ", ".join("?" for _ in ANALYST_SCHEMAS)
    return con.execute(
        "select table_schema, table_name from information_schema.tables "
        f"where table_catalog = ? and table_schema in ({placeholders}) order by 1, 2",
        [SOURCE, *ANALYST_SCHEMAS],
    ).fetchall()


def _copy_table(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> None:
    con.execute(f'create schema if not exists "{schema}"')
    # A view is copied as a table of its rows: what it reads (possibly raw or staging)
    # is not in the copy.
    con.execute(
        f'create or replace table "{schema}"."{table}" as '
        f'select * from {SOURCE}."{schema}"."{table}"'
    )


def _count(con: duckdb.DuckDBPyConnection, catalog: str, schema: str, table: str) -> int:
    return con.execute(f'select count(*) from "{catalog}"."{schema}"."{table}"').fetchone()[0]


def _copy_tables(con: duckdb.DuckDBPyConnection, warehouse: Path) -> dict[str, int]:
    catalog = con.execute("select current_database()").fetchone()[0]
    con.execute(f"attach {sql_literal(str(warehouse))} as {SOURCE} (read_only)")
    rows = {}
    for schema, table in _tables(con):
        _copy_table(con, schema, table)
        rows[f"{schema}.{table}"] = _count(con, catalog, schema, table)
    con.execute(f"detach {SOURCE}")
    # Everything into the file itself, so no write-ahead log travels beside it.
    con.execute("checkpoint")
    return rows


def _columns(con: duckdb.DuckDBPyConnection, catalog: str, schema: str, table: str) -> list:
    return con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_catalog = ? and table_schema = ? and table_name = ? "
        "order by ordinal_position",
        [catalog, schema, table],
    ).fetchall()


def _drop_what_the_warehouse_lacks(
    con: duckdb.DuckDBPyConnection, catalog: str, tables: list[tuple[str, str]]
) -> None:
    """Drop the copy's tables the warehouse no longer has; doubt any other schema."""
    held = con.execute(
        "select table_schema, table_name, table_type from information_schema.tables "
        "where table_catalog = ?",
        [catalog],
    ).fetchall()
    for schema, table, kind in held:
        if schema not in ANALYST_SCHEMAS or kind != "BASE TABLE":
            raise _InDoubt(f"the previous copy holds {schema}.{table}, not an analyst table")
        if (schema, table) not in tables:
            con.execute(f'drop table "{schema}"."{table}"')


def _update_tables(
    con: duckdb.DuckDBPyConnection, warehouse: Path, changes: Mapping[str, str | None]
) -> dict[str, int]:
    """Bring the previous copy open on `con` up to the warehouse: the rows `changes`
    selects, and every table it names no predicate for, deleted and copied again."""
    catalog = con.execute("select current_database()").fetchone()[0]
    con.execute(f"attach {sql_literal(str(warehouse))} as {SOURCE} (read_only)")
    tables = _tables(con)
    _drop_what_the_warehouse_lacks(con, catalog, tables)
    rows = {}
    for schema, table in tables:
        name = f'"{schema}"."{table}"'
        predicate = changes.get(f"{schema}.{table}")
        same = _columns(con, catalog, schema, table) == _columns(con, SOURCE, schema, table)
        if predicate is None or not same:
            _copy_table(con, schema, table)
        elif predicate != "false":
            con.execute(f"delete from {name} where {predicate}")
            con.execute(f"insert into {name} select * from {SOURCE}.{name} where {predicate}")
        rows[f"{schema}.{table}"] = held = _count(con, catalog, schema, table)
        if held != _count(con, SOURCE, schema, table):
            raise _InDoubt(f"{schema}.{table} holds another row count than the warehouse's")
    con.execute(f"detach {SOURCE}")
    con.execute("checkpoint")
    return rows


def _updated_previous(
    warehouse: Path,
    target: Path,
    incoming: Path,
    changes: CopyChanges | None,
    settings: WarehouseSettings | None,
) -> tuple[dict[str, int] | None, str]:
    """The previous copy, byte-copied to `incoming` and updated with `changes`: (rows per
    table, what was updated), or (None, why the copy must be made whole instead; `incoming`
    removed)."""
    if changes is None or changes.previous is None:
        return None, "no previous copy recorded in the warehouse"
    if not target.exists():
        return None, "the previous copy is missing"
    if file_identity(target) != changes.previous:
        return None, "the file at the copy's path is not the copy the warehouse recorded"
    shutil.copyfile(target, incoming)
    try:
        with connect(incoming, settings=settings) as con:
            rows = _update_tables(con, warehouse, changes.rows)
    except (_InDoubt, duckdb.Error) as doubt:
        for leftover in (incoming, incoming.with_name(incoming.name + ".wal")):
            leftover.unlink(missing_ok=True)
        return None, f"the previous copy could not be updated: {doubt}"
    updated = sum(predicate is None for predicate in changes.rows.values())
    return rows, f"previous copy updated: {updated} tables copied whole, the rest by rows written"


def publish_analyst_copy(
    warehouse: Path,
    target: Path,
    settings: WarehouseSettings | None = None,
    changes: CopyChanges | None = None,
) -> AnalystCopy:
    """Copy the analyst schemas of `warehouse` into a new file and swap it in as `target`.

    Run it in the process that writes the warehouse, between its writes (the warehouse is
    opened read-only, so a read-write connection of another process would block it).

    Args:
        warehouse: the warehouse file; only read from.
        target: the analyst copy; replaced as a whole, atomically.
        settings: the `warehouse` section of the run settings (memory limit, spill folder).
        changes: what changed since the previous copy, which the new one then starts
            from; None copies every table.

    Returns:
        The copy's path, rows per table, size, the seconds it took, its file identity and
        whether it was made whole.
    """
    started = time.perf_counter()
    target = Path(target).absolute()
    target.parent.mkdir(parents=True, exist_ok=True)
    incoming = target.with_name(f".{target.name}.incoming-{os.getpid()}")
    wal = incoming.with_name(incoming.name + ".wal")
    try:
        for leftover in (incoming, wal):  # left by a run of this process id that died
            leftover.unlink(missing_ok=True)
        rows, reason = _updated_previous(warehouse, target, incoming, changes, settings)
        whole = rows is None
        if rows is None:
            reason = f"copied whole: {reason}"
            with connect(incoming, settings=settings) as con:
                rows = _copy_tables(con, warehouse)
        _fsync(incoming)
        # A log left beside the old copy (an analyst who opened it read-write and crashed)
        # must not be replayed into the new one.
        target.with_name(target.name + ".wal").unlink(missing_ok=True)
        os.replace(incoming, target)
        _fsync(target.parent)
    except BaseException:
        incoming.unlink(missing_ok=True)
        wal.unlink(missing_ok=True)
        raise
    seconds = time.perf_counter() - started
    size = target.stat().st_size
    return AnalystCopy(target, rows, size, seconds, file_identity(target), whole, reason)


def _fsync(path: Path) -> None:
    """Flush a file, or a folder's entries, to disk so a crash cannot undo the swap."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
