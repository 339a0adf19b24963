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

When a previous copy exists, the new file starts as a byte copy of it and only the tables
whose contents differ from the warehouse's are copied again: a table is kept when its
columns, row count and the sum of its rows' hashes are the same on both sides (both are
read, so a copy someone changed is caught too). Tables gone from the warehouse are
dropped. With no previous copy, a write-ahead log beside it (someone wrote to it and
crashed) or any error on that path, the copy is made whole from an empty file, as before.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from config.settings import WarehouseSettings
from warehouse.connect import connect

ANALYST_SCHEMAS: tuple[str, ...] = ("marts", "forecasts", "inventory", "quality")
SOURCE = "warehouse"  # the name the warehouse is attached under while it is copied


@dataclass(frozen=True)
class AnalystCopy:
    """What one publication wrote."""

    path: Path
    rows: dict[str, int]  # "schema.table" -> rows in the copy
    bytes: int
    seconds: float
    # "schema.table" written by this publication; the others were kept from the previous
    # copy, equal to the warehouse's
    copied: tuple[str, ...] = ()


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _tables(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """The tables and views of the analyst schemas in the attached warehouse, sorted."""
    placeholders = ", ".join("?" for _ in ANALYST_SCHEMAS)
    return con.execute(
        "select table_schema, table_name from information_schema.tables "
        f"where table_catalog = ? and table_schema in ({placeholders}) order by 1, 2",
        [SOURCE, *ANALYST_SCHEMAS],
    ).fetchall()


def _fingerprint(con: duckdb.DuckDBPyConnection, catalog: str, schema: str, table: str) -> tuple:
    """A table's (or view's) columns and types, row count and sum of row hashes."""
    columns = con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_catalog = ? and table_schema = ? and table_name = ? order by ordinal_position",
        [catalog, schema, table],
    ).fetchall()
    # The alias is the whole row as a struct; an unusual name so no column shadows it.
    count, hashes = con.execute(
        "select count(*), coalesce(sum(hash(copied_row)::hugeint), 0) "
        f'from "{catalog}"."{schema}"."{table}" as copied_row'
    ).fetchall()[0]
    return tuple(columns), count, hashes


def _copy_tables(
    con: duckdb.DuckDBPyConnection, warehouse: Path, reuse: bool
) -> tuple[dict[str, int], list[str]]:
    """Copy the analyst tables into the connection's file; with `reuse`, the file holds
    the previous copy and only the tables that differ are copied. Rows per table, and the
    tables copied."""
    con.execute(f"attach {_sql_string(str(warehouse))} as {SOURCE} (read_only)")
    wanted = _tables(con)
    here = con.execute("select current_database()").fetchone()[0]
    held = set()
    if reuse:
        held = {
            (schema, table)
            for schema, table in con.execute(
                "select table_schema, table_name from information_schema.tables "
                "where table_catalog = ?",
                [here],
            ).fetchall()
        }
        for schema, table in sorted(held - set(wanted)):
            con.execute(f'drop table "{schema}"."{table}"')
    rows, copied = {}, []
    for schema, table in wanted:
        same = (schema, table) in held and _fingerprint(con, here, schema, table) == _fingerprint(
            con, SOURCE, schema, table
        )
        if not same:
            con.execute(f'create schema if not exists "{schema}"')
            # A view is copied as a table of its rows: what it reads (possibly raw or
            # staging) is not in the copy.
            con.execute(
                f'create or replace table "{schema}"."{table}" as '
                f'select * from {SOURCE}."{schema}"."{table}"'
            )
            copied.append(f"{schema}.{table}")
        rows[f"{schema}.{table}"] = con.execute(
            f'select count(*) from "{schema}"."{table}"'
        ).fetchone()[0]
    con.execute(f"detach {SOURCE}")
    # Everything into the file itself, so no write-ahead log travels beside it.
    con.execute("checkpoint")
    return rows, copied


def _write_incoming(
    warehouse: Path, target: Path, incoming: Path, settings: WarehouseSettings | None
) -> tuple[dict[str, int], list[str]]:
    """Write the new copy into `incoming`: from the previous copy when it can be trusted,
    else (or when that fails) from an empty file."""
    wal = incoming.with_name(incoming.name + ".wal")
    if target.exists() and not target.with_name(target.name + ".wal").exists():
        try:
            shutil.copyfile(target, incoming)
            with connect(incoming, settings=settings) as con:
                return _copy_tables(con, warehouse, reuse=True)
        except duckdb.Error:
            pass  # in doubt: the whole copy below (a warehouse error shows there again)
        for leftover in (incoming, wal):
            leftover.unlink(missing_ok=True)
    with connect(incoming, settings=settings) as con:
        return _copy_tables(con, warehouse, reuse=False)


def publish_analyst_copy(
    warehouse: Path, target: Path, settings: WarehouseSettings | None = None
) -> AnalystCopy:
    """Copy the analyst schemas of `warehouse` into a new file and swap it in as `target`
    (from the previous copy, re-copying only the tables that changed, when there is one).

    Run it in the process that writes the warehouse, between its writes (the warehouse is
    opened read-only, so a read-write connection of another process would block it).

    Args:
        warehouse: the warehouse file; only read from.
        target: the analyst copy; replaced as a whole, atomically.
        settings: the `warehouse` section of the run settings (memory limit, spill folder).

    Returns:
        The copy's path, rows per table, size, the seconds it took and the tables copied.
    """
    started = time.perf_counter()
    target = Path(target).absolute()
    target.parent.mkdir(parents=True, exist_ok=True)
    incoming = target.with_name(f".{target.name}.incoming-{os.getpid()}")
    wal = incoming.with_name(incoming.name + ".wal")
    try:
        for leftover in (incoming, wal):  # left by a run of this process id that died
            leftover.unlink(missing_ok=True)
        rows, copied = _write_incoming(warehouse, target, incoming, settings)
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
    return AnalystCopy(target, rows, target.stat().st_size, seconds, tuple(copied))


def _fsync(path: Path) -> None:
    """Flush a file, or a folder's entries, to disk so a crash cannot undo the swap."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
