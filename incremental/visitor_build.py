"""Incremental builds of the web-traffic tables: recompute only the visitors whose events changed.

staging.stg_traffic_events and marts.sessions are computed per visitor (user_id): events are
deduplicated by event key (newest export wins), then sessionized with windows over one
visitor's events, then aggregated per session and numbered per visitor. A visitor's rows
therefore depend only on its own raw rows and on the other raw rows that share an event key
with them. Recomputing a set of visitors that is closed under shared event keys is exact: the
result equals a rebuild from scratch, row for row.

A build of staging.stg_traffic_events:

1. compares each raw export day's fingerprint with the one stored at the last build. A day's
   fingerprint is its quality.load_log entries (file, row counts, load time, written by
   ingest.load for every load of a day) and its row count in raw, so a new day, a late file,
   a re-export replacing a day and a day whose file was removed all count as changed;
2. takes the visitors of the changed days, as raw holds them now and as it held them at the
   last build (build_state.traffic_day_visitors: a re-export may drop a visitor's events);
3. adds every visitor sharing an event key with those, in raw or in staging (a dropped row
   may have been the kept copy of an event exported twice), until no visitor is added;
4. deletes those visitors' rows and inserts the model's rows for them (the model reads only
   rows where `is_rebuilt_visitor(user_id)`), and stores the new state, in one transaction,
   with the visitors it wrote (incremental/written.py: the checks validate only their rows;
   an appended visitor's new rows are recorded by their days instead, as its older rows
   did not change).

Steps 2-4 leave out the visitors whose events on new export days simply follow their
staged history: those events are staged alone and appended (incremental/visitor_append.py).

marts.sessions recomputes the visitors staging recomputed since the staging build it last
read: each incremental staging build lists its visitors in build_state.rebuilt_visitors,
which sessions consumes (it is the only reader).

A full build runs instead when there is no state, when the model, the macros or a setting
the models read changed (the stored `logic` fingerprint), when the table's row count is not
the one the last build left (something else wrote it), when the input was rebuilt in full,
or when asked (`full=True`). A full build of a large input runs in visitor buckets
(incremental/visitor_buckets.py). The SQL models stay the one place for the logic.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb

from incremental.build_state import (
    BuildRecord,
    LastBuild,
    ensure_state,
    last_build,
    logic_fingerprint,
    record_build,
)
from incremental.visitor_append import append_rows, appended_days
from incremental.visitor_buckets import BUCKET_ROWS, bucket_count, build_in_buckets
from incremental.visitor_plan import (
    SESSIONS,
    STAGING,
    StagingPlan,
    forget_read_visitors,
    full_reason,
    plan_sessions,
    plan_staging,
    record_staging_state,
    snapshot_traffic_days,
)
from incremental.written import record_written_days, record_written_visitors
from warehouse.frames import scalar
from warehouse.transaction import transaction

INCREMENTAL_TABLES = (STAGING, SESSIONS)

REBUILT_ONLY = (
    "create or replace temp macro is_rebuilt_visitor(visitor) as "
    "visitor in (select user_id from rebuilt_visitors)"
)
EVERY_VISITOR = "create or replace temp macro is_rebuilt_visitor(visitor) as true"


@dataclass(frozen=True)
class VisitorBuild:
    """What one build of an incremental table did (shown as materialization metadata)."""

    table: str
    mode: str  # "full" or "incremental"
    reason: str  # why full, or what changed
    visitors: int | None  # visitors recomputed (None in a full build: all of them)
    rows_written: int
    changed_days: list[dt.date] = field(default_factory=list)
    # of `visitors`, those whose new events were appended to their staged history
    # (incremental/visitor_append.py) rather than their history recomputed
    appended: int = 0


def _write(
    con: duckdb.DuckDBPyConnection,
    table: str,
    sql: str,
    incremental: bool,
    bucket_rows: int,
    new_days: list[dt.date],
) -> int:
    """Rebuild `table` in full (in visitor buckets when its input is large), or replace the
    rows of the visitors in rebuilt_visitors and append the new days' events of those in
    appended_visitors (staging only); rows written."""
    if not incremental:
        source = "raw.traffic_events" if table == STAGING else STAGING
        buckets = bucket_count(con, source, bucket_rows)
        if buckets == 1:
            con.execute(f"create or replace table {table} as {sql}")
            return scalar(con, f"select count(*) from {table}")
        return build_in_buckets(
            con,
            table,
            sql,
            source,
            buckets,
            linked=table == STAGING,
            source_in_visitor_order=table == SESSIONS,
        )
    written = 0
    if scalar(con, "select count(*) from rebuilt_visitors"):
        con.execute(f"delete from {table} where user_id in (select user_id from rebuilt_visitors)")
        con.execute(REBUILT_ONLY)
        try:
            insert = f"insert into {table} by name select * from ({sql})"
            written = con.execute(insert).fetchall()[0][0]
        finally:
            con.execute(EVERY_VISITOR)
    if new_days:
        written += append_rows(con, table, sql, new_days)
    return written


def _plan(
    con: duckdb.DuckDBPyConnection,
    table: str,
    last: LastBuild | None,
    staging: LastBuild | None,
    logic: str,
    full: bool,
) -> tuple[str | None, StagingPlan | None]:
    """Fill rebuilt_visitors (and appended_visitors); returns why the build is full (None:
    incremental) and, for an incremental staging build, the export days that changed."""
    reason = "asked for a full rebuild" if full else full_reason(con, table, last, logic)
    con.execute("create or replace temp table rebuilt_visitors (user_id varchar)")
    if table == STAGING:
        snapshot_traffic_days(con)
        return reason, (plan_staging(con) if reason is None else None)
    if reason is None:
        reason = plan_sessions(con, last, staging)
    return reason, None


def _build(
    con: duckdb.DuckDBPyConnection,
    table: str,
    model: str,
    macros: str,
    full: bool,
    bucket_rows: int,
) -> VisitorBuild:
    """The body of build_visitor_table, inside its transaction."""
    logic = logic_fingerprint(con, model, macros)
    last = last_build(con, table)
    staging = last_build(con, STAGING)
    reason, plan = _plan(con, table, last, staging, logic, full)
    days = plan.days if plan else None
    incremental = reason is None
    new_days = plan.new_days if plan else []
    rows_written = _write(con, table, model, incremental, bucket_rows, new_days)
    # after the write: the appended visitors join rebuilt_visitors there
    visitors = scalar(con, "select count(*) from rebuilt_visitors") if incremental else None
    appended = scalar(con, "select count(*) from appended_visitors") if new_days else 0
    # for the checks and the analyst copy, which read only the rows a build wrote
    # (incremental/written.py): an appended visitor's older rows did not change, so its
    # new rows are recorded by their days
    if incremental and appended:
        record_written_visitors(con, table, except_in="appended_visitors")
        record_written_days(con, table, appended_days(con, new_days))
    elif incremental:
        record_written_visitors(con, table)
    else:
        record_written_days(con, table, None)
    build_id = (last.build_id if last else 0) + 1
    input_build_id = None
    if table == STAGING:
        record_staging_state(con, days, build_id)
    else:
        input_build_id = staging.build_id if staging else None
        forget_read_visitors(con, input_build_id)
    mode = "incremental" if incremental else "full"
    changed = len(days) if days is not None else None
    record_build(
        con,
        BuildRecord(table, build_id, mode, logic, input_build_id, changed, visitors, rows_written),
    )
    if not incremental:
        return VisitorBuild(table, "full", reason, None, rows_written)
    what = f"{len(days)} export days changed" if days is not None else "visitors staging recomputed"
    return VisitorBuild(table, "incremental", what, visitors, rows_written, days or [], appended)


def build_visitor_table(
    con: duckdb.DuckDBPyConnection,
    table: str,
    model: str,
    macros: str,
    full: bool = False,
    bucket_rows: int = BUCKET_ROWS,
) -> VisitorBuild:
    """Build staging.stg_traffic_events or marts.sessions, incrementally when that is exact.

    Args:
        con: a warehouse connection prepared for the SQL models (assets.warehouse.prepare).
        table: one of INCREMENTAL_TABLES.
        model: the table's SQL model (its select statement), the one place of its logic.
        macros: the SQL macros the model calls; with the model and the connection's
            variables they make the fingerprint that forces a full build when logic changes.
        full: rebuild from scratch whatever the state says.
        bucket_rows: input rows per visitor bucket of a full build
            (incremental/visitor_buckets.py).

    Returns:
        A VisitorBuild: full or incremental, why, and how many visitors and rows it recomputed.
    """
    if table not in INCREMENTAL_TABLES:
        choices = ", ".join(INCREMENTAL_TABLES)
        raise ValueError(f"build_visitor_table: {table} is not incremental; choose from {choices}")
    ensure_state(con)
    with transaction(con):
        return _build(con, table, model, macros, full, bucket_rows)
