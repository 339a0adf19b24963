"""Incremental builds of the keyed staging tables: recompute only the keys whose raw rows changed.

staging.stg_order_lines keeps, per order, the lines of the order's newest export, whichever
day that export came on (an order re-exported later with a new status replaces the older
lines); staging.stg_inventory keeps, per snapshot day, SKU and location, the newest
export's row. So a table's rows for one key value (order id, snapshot day) derive only
from the raw rows holding that value (and, for order lines, the SKUs' catalog entries).
Recomputing every key the night touched is exact: the result equals a rebuild from
scratch, row for row.

A build (incremental/key_plan.py says which keys):

1. compares each raw export day's fingerprint with the one stored at the last build, and
   the looked-up values (the catalog's is_product per SKU) with the stored ones;
2. takes the keys the changed export days hold now and held at the last build, and the
   keys of raw rows whose looked-up value changed, into the temp table rebuilt_keys;
3. deletes those keys' rows and inserts the model's rows for them (the model reads only
   raw rows where `is_rebuilt_key(key)`), records the days of the rows it wrote for the
   checks (incremental/written.py), and stores the new state, in one transaction.

A full build runs instead when there is no state, when the model, the macros or a setting
the models read changed (the stored `logic` fingerprint), when the table's row count is not
the one the last build left (something else wrote it), or when asked (`full=True`). The
SQL models stay the one place for the logic.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import duckdb

from incremental.build_state import (
    BuildRecord,
    ensure_state,
    last_build,
    logic_fingerprint,
    record_build,
)
from incremental.key_plan import (
    SOURCES,
    KeySource,
    ensure_key_state,
    every_key,
    plan_keys,
    record_key_state,
    snapshot_inputs,
)
from incremental.visitor_plan import full_reason
from incremental.written import record_written_days
from warehouse.frames import scalar
from warehouse.transaction import transaction

REBUILT_ONLY = (
    "create or replace temp macro is_rebuilt_key(value) as value in (select key from rebuilt_keys)"
)
EVERY_KEY = "create or replace temp macro is_rebuilt_key(value) as true"


@dataclass(frozen=True)
class KeyBuild:
    """What one build of a keyed table did (shown as materialization metadata)."""

    table: str
    mode: str  # "full" or "incremental"
    reason: str  # why full, or what changed
    keys: int | None  # keys recomputed (None in a full build: all of them)
    rows_written: int
    changed_days: list[dt.date] = field(default_factory=list)  # changed raw export days


@contextmanager
def rebuilt_keys_only(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Within the block, `is_rebuilt_key(key)` holds for the keys in rebuilt_keys only."""
    con.execute(REBUILT_ONLY)
    try:
        yield
    finally:
        con.execute(EVERY_KEY)


def _write(
    con: duckdb.DuckDBPyConnection, table: str, source: KeySource, model: str, incremental: bool
) -> int:
    """Rebuild `table` in full, or replace the rows of the keys in rebuilt_keys; rows written."""
    if not incremental:
        con.execute(f"create or replace table {table} as {model}")
        return scalar(con, f"select count(*) from {table}")
    con.execute(f'delete from {table} where "{source.key}" in (select key from rebuilt_keys)')
    with rebuilt_keys_only(con):
        return con.execute(f"insert into {table} by name select * from ({model})").fetchall()[0][0]


def _written_days(con: duckdb.DuckDBPyConnection, table: str, source: KeySource) -> list[dt.date]:
    """The day-column values of the rows the incremental write inserted."""
    rows = con.execute(
        f'select distinct "{source.day}" from {table} '
        f'where "{source.key}" in (select key from rebuilt_keys)'
    ).fetchall()
    return [day for (day,) in rows if day is not None]


def _build(
    con: duckdb.DuckDBPyConnection, table: str, model: str, macros: str, full: bool
) -> KeyBuild:
    """The body of build_keyed_table, inside its transaction."""
    source = SOURCES[table]
    logic = logic_fingerprint(con, model, macros)
    last = last_build(con, table)
    reason = "asked for a full rebuild" if full else full_reason(con, table, last, logic)
    snapshot_inputs(con, source)
    incremental = reason is None
    days = plan_keys(con, table, source) if incremental else None
    if not incremental:
        every_key(con, source)
    keys = scalar(con, "select count(*) from rebuilt_keys") if incremental else None
    rows_written = _write(con, table, source, model, incremental)
    # for the checks, which validate only the rows a build wrote (incremental/written.py)
    record_written_days(con, table, _written_days(con, table, source) if incremental else None)
    record_key_state(con, table, source, days)
    build_id = (last.build_id if last else 0) + 1
    mode = "incremental" if incremental else "full"
    changed = len(days) if days is not None else None
    record_build(con, BuildRecord(table, build_id, mode, logic, None, changed, keys, rows_written))
    if days is None:
        return KeyBuild(table, "full", reason or "", None, rows_written)
    return KeyBuild(
        table, "incremental", f"{len(days)} export days changed", keys, rows_written, days
    )


def build_keyed_table(
    con: duckdb.DuckDBPyConnection, table: str, model: str, macros: str, full: bool = False
) -> KeyBuild:
    """Build staging.stg_order_lines or staging.stg_inventory, incrementally when that is exact.

    Args:
        con: a warehouse connection prepared for the SQL models (assets.warehouse.prepare).
        table: one of key_plan.SOURCES.
        model: the table's SQL model (its select statement), the one place of its logic.
        macros: the SQL macros the model calls; with the model and the connection's
            variables they make the fingerprint that forces a full build when logic changes.
        full: rebuild from scratch whatever the state says.

    Returns:
        A KeyBuild: full or incremental, why, and how many keys and rows it recomputed.
        The temp table rebuilt_keys stays on `con` (empty after a full build), for
        queries that describe the build (rebuilt_keys_only).
    """
    if table not in SOURCES:
        choices = ", ".join(SOURCES)
        raise ValueError(f"build_keyed_table: {table} is not keyed; choose from {choices}")
    ensure_state(con)
    ensure_key_state(con)
    with transaction(con):
        return _build(con, table, model, macros, full)
