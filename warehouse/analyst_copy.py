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
"""

from __future__ import annotations

import os
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
    rows: dict[str, int]  # "schema.table" -> rows copied
    bytes: int
    seconds: float


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


def _copy_tables(con: duckdb.DuckDBPyConnection, warehouse: Path) -> dict[str, int]:
    con.execute(f"attach {_sql_string(str(warehouse))} as {SOURCE} (read_only)")
    rows = {}
    for schema, table in _tables(con):
        con.execute(f'create schema if not exists "{schema}"')
        # A view is copied as a table of its rows: what it reads (possibly raw or staging)
        # is not in the copy.
        con.execute(
            f'create table "{schema}"."{table}" as select * from {SOURCE}."{schema}"."{table}"'
        )
        rows[f"{schema}.{table}"] = con.execute(
            f'select count(*) from "{schema}"."{table}"'
        ).fetchone()[0]
    con.execute(f"detach {SOURCE}")
    # Everything into the file itself, so no write-ahead log travels beside it.
    con.execute("checkpoint")
    return rows


def publish_analyst_copy(
    warehouse: Path, target: Path, settings: WarehouseSettings | None = None
) -> AnalystCopy:
    """Copy the analyst schemas of `warehouse` into a new file and swap it in as `target`.

    Run it in the process that writes the warehouse, between its writes (the warehouse is
    opened read-only, so a read-write connection of another process would block it).

    Args:
        warehouse: the warehouse file; only read from.
        target: the analyst copy; replaced as a whole, atomically.
        settings: the `warehouse` section of the run settings (memory limit, spill folder).

    Returns:
        The copy's path, rows per table, size and the seconds it took.
    """
    started = time.perf_counter()
    target = Path(target).absolute()
    target.parent.mkdir(parents=True, exist_ok=True)
    incoming = target.with_name(f".{target.name}.incoming-{os.getpid()}")
    wal = incoming.with_name(incoming.name + ".wal")
    try:
        for leftover in (incoming, wal):  # left by a run of this process id that died
            leftover.unlink(missing_ok=True)
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
    return AnalystCopy(target, rows, target.stat().st_size, time.perf_counter() - started)


def _fsync(path: Path) -> None:
    """Flush a file, or a folder's entries, to disk so a crash cannot undo the swap."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
