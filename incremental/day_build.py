"""Incremental builds of the daily marts: recompute the days from the first changed one on.

A build of a daily mart (incremental/daily_marts.py lists them and their inputs):

1. fingerprints its inputs per day and compares them with what its last build read
   (incremental/day_plan.py): the days whose input rows changed, however they changed;
2. takes the first of them, moved back by the mart's window (a purchase recovering earlier
   carts, a cancellation reversing an earlier sale), as the first recomputed day, or the
   day after the mart's last day if earlier (the spine's new days without input rows);
3. deletes the mart's rows from that day on and inserts the model's rows for those days,
   the model reading the first day through the macro `first_recomputed_day()`, then stores
   the inputs' fingerprints and the build, in one transaction.

Every later day is recomputed too: the days after a change can depend on it (a first order
makes a customer returning later, a first sale starts a SKU's spine, a new last day ends
every spine), and a nightly run's changes are at the end anyway. A re-sent old day
therefore costs the days from it to the end.

A full build runs instead when there is no state, when the model, the macros, a setting the
models read or the mart's inputs changed (the stored `logic` fingerprint), when the table's
row count is not the one the last build left, when a whole-table input changed (the
catalog), when the recomputed days hold another set of a `same_on_every_day` column than
the kept days (a country first seen), or when asked (`full=True`). A full build of a per-SKU
mart over many order lines runs in SKU ranges (incremental/sku_ranges.py). The SQL models
stay the one place for the logic.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from incremental.build_state import (
    BuildRecord,
    LastBuild,
    ensure_state,
    last_build,
    logic_fingerprint,
    record_build,
)
from incremental.daily_marts import DAILY_MARTS, DailyMart
from incremental.day_plan import (
    changed_input_days,
    first_recomputed_day,
    has_stored_inputs,
    record_input_days,
    snapshot_inputs,
)
from incremental.sku_ranges import RANGE_ROWS, build_full
from incremental.visitor_plan import full_reason
from incremental.written import record_written_days
from warehouse.frames import scalar
from warehouse.transaction import transaction

EVERY_DAY = "create or replace temp macro first_recomputed_day() as cast('-infinity' as date)"


@dataclass(frozen=True)
class DayBuild:
    """What one build of a daily mart did (shown as materialization metadata)."""

    table: str
    mode: str  # "full" or "incremental"
    reason: str  # why full, or what changed
    first_day: dt.date | None  # first recomputed day (None: a full build, or nothing changed)
    changed_days: list[dt.date]  # the input days that changed (empty in a full build)
    rows_written: int


def _days_from(con: duckdb.DuckDBPyConnection, table: str, first_day: dt.date) -> set[dt.date]:
    """The days `table` holds rows of from `first_day` on."""
    rows = con.execute(f"select distinct day from {table} where day >= ?", [first_day])
    return {day for (day,) in rows.fetchall()}


def _write_from(
    con: duckdb.DuckDBPyConnection, table: str, model: str, first_day: dt.date
) -> tuple[int, set[dt.date]]:
    """Replace the rows of `table` from `first_day` on with the model's; (rows written, the
    days whose rows were deleted or inserted)."""
    # A macro takes no bind parameters; the date is our own, written as ISO text.
    con.execute(
        "create or replace temp macro first_recomputed_day() as "
        f"cast('{first_day.isoformat()}' as date)"
    )
    try:
        # A day whose rows are deleted and not inserted again was rewritten too (to no
        # rows): the analyst copy must drop its rows.
        deleted = _days_from(con, table, first_day)
        con.execute(f"delete from {table} where day >= ?", [first_day])
        rows = con.execute(f"insert into {table} by name select * from ({model})").fetchall()[0][0]
    finally:
        con.execute(EVERY_DAY)
    return rows, deleted | _days_from(con, table, first_day)


def _differs_from_kept_days(
    con: duckdb.DuckDBPyConnection, mart: DailyMart, first_day: dt.date
) -> str | None:
    """Why the recomputed days disagree with the kept ones on a column every day shares."""
    for column in mart.same_on_every_day:
        recomputed = f"select distinct {column} from {mart.table} where day >= $first"
        kept = f"select distinct {column} from {mart.table} where day < $first"
        parts_and_difference = (
            f"select (select count(*) from ({recomputed})), (select count(*) from ({kept})), "
            f"(select count(*) from (({recomputed} except {kept}) "
            f"union all ({kept} except {recomputed})))"
        )
        recomputed_values, kept_values, differing = con.execute(
            parts_and_difference, {"first": first_day}
        ).fetchall()[0]
        if recomputed_values and kept_values and differing:
            return f"the recomputed days hold other values of {column} than the earlier days"
    return None


def _incremental(
    con: duckdb.DuckDBPyConnection, mart: DailyMart, model: str, changed: list[dt.date]
) -> tuple[str | None, dt.date | None, int, set[dt.date]]:
    """Recompute the days from the first changed one; (why a full build is needed instead,
    the first recomputed day, rows written, the days rewritten)."""
    first_day = first_recomputed_day(con, mart, changed)
    if first_day is None:
        return None, None, 0, set()
    rows, days = _write_from(con, mart.table, model, first_day)
    return _differs_from_kept_days(con, mart, first_day), first_day, rows, days


def _plan(
    con: duckdb.DuckDBPyConnection,
    mart: DailyMart,
    last: LastBuild | None,
    logic: str,
    full: bool,
    run_id: str | None,
) -> tuple[str | None, list[dt.date]]:
    """Why the build must be full (None: incremental), and the input days that changed."""
    snapshot_inputs(con, mart, run_id)
    if full:
        return "asked for a full rebuild", []
    reason = full_reason(con, mart.table, last, logic)
    if reason is None and not has_stored_inputs(con, mart.table):
        reason = "no input fingerprints stored"
    if reason is not None:
        return reason, []
    changed, whole_table = changed_input_days(con, mart.table)
    return ("a whole-table input changed" if whole_table else None), changed


def _build(
    con: duckdb.DuckDBPyConnection,
    mart: DailyMart,
    model: str,
    macros: str,
    full: bool,
    range_rows: int,
    run_id: str | None,
) -> DayBuild:
    """The body of build_daily_mart, inside its transaction."""
    # the inputs' queries are part of the logic: changing them forces a full build
    logic = logic_fingerprint(con, model + repr(mart), macros)
    last = last_build(con, mart.table)
    reason, changed = _plan(con, mart, last, logic, full, run_id)
    first_day, rows, written = None, 0, set()
    if reason is None:
        reason, first_day, rows, written = _incremental(con, mart, model, changed)
    if reason is not None:
        first_day, changed = None, []
        if mart.per_sku:
            rows = build_full(con, mart.table, model, range_rows)
        else:
            con.execute(f"create or replace table {mart.table} as {model}")
            rows = scalar(con, f"select count(*) from {mart.table}")
    record_input_days(con, mart.table)
    mode = "full" if reason is not None else "incremental"
    build_id = (last.build_id if last else 0) + 1
    days = len(changed) if mode == "incremental" else None
    record_build(con, BuildRecord(mart.table, build_id, mode, logic, None, days, None, rows))
    if mode == "full":
        record_written_days(con, mart.table, None)
        return DayBuild(mart.table, mode, reason, None, [], rows)
    record_written_days(con, mart.table, written)
    what = f"{len(changed)} input days changed" if changed else "no input day changed"
    return DayBuild(mart.table, mode, what, first_day, changed, rows)


def build_daily_mart(
    con: duckdb.DuckDBPyConnection,
    table: str,
    model: str,
    macros: str,
    full: bool = False,
    range_rows: int = RANGE_ROWS,
    run_id: str | None = None,
) -> DayBuild:
    """Build a daily mart, recomputing only the days from the first whose inputs changed.

    Args:
        con: a warehouse connection prepared for the SQL models (assets.warehouse.prepare).
        table: one of DAILY_MARTS, `schema.table`.
        model: the table's SQL model (its select statement), the one place of its logic.
        macros: the SQL macros the model calls; with the model, the mart's inputs and the
            connection's variables they make the fingerprint that forces a full build.
        full: rebuild from scratch whatever the state says.
        range_rows: order lines per SKU range of a full build of a per-SKU mart
            (incremental/sku_ranges.py).
        run_id: the Dagster run building it, whose marts share their inputs'
            fingerprints (incremental/day_plan.py); None: a build outside a run.

    Returns:
        A DayBuild: full or incremental, why, the first recomputed day and rows written.
    """
    if table not in DAILY_MARTS:
        raise ValueError(
            f"build_daily_mart: {table} is not a daily mart; choose from {', '.join(DAILY_MARTS)}"
        )
    ensure_state(con)
    with transaction(con):
        return _build(con, DAILY_MARTS[table], model, macros, full, range_rows, run_id)
