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
   rows where `is_rebuilt_visitor(user_id)`), and stores the new state, in one transaction.

marts.sessions recomputes the visitors staging recomputed since the staging build it last
read: each incremental staging build lists its visitors in build_state.rebuilt_visitors,
which sessions consumes (it is the only reader).

A full build runs instead when there is no state, when the model, the macros or a setting
the models read changed (the stored `logic` fingerprint), when the table's row count is not
the one the last build left (something else wrote it), when the input was rebuilt in full,
or when asked (`full=True`). The SQL models stay the one place for the logic.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

import duckdb

from assets.warehouse import SQL_DIR, model_sql
from warehouse.frames import scalar

STAGING = "staging.stg_traffic_events"
SESSIONS = "marts.sessions"
INCREMENTAL_TABLES = (STAGING, SESSIONS)
# Part of the logic fingerprint: changing how state is kept forces one full build.
STATE_VERSION = "1"

STATE_TABLES = """
create schema if not exists build_state;
create table if not exists build_state.builds (
    table_name varchar, build_id bigint, mode varchar, logic varchar, input_build_id bigint,
    changed_days bigint, visitors bigint, rows_written bigint, table_rows bigint, built_at timestamp
);
create table if not exists build_state.traffic_days (export_date date, fingerprint varchar);
create table if not exists build_state.traffic_day_visitors (export_date date, user_id varchar);
create table if not exists build_state.rebuilt_visitors (build_id bigint, user_id varchar);
"""

# Per raw export day: what the loader logged for it and how many rows raw holds.
TRAFFIC_DAY_FINGERPRINTS = """
with loads as (
    select export_date,
           string_agg(concat_ws('|', file, format, rows_read, rows_loaded, rows_quarantined, loaded_at), ';'
                      order by file) as loads
    from quality.load_log where kind = 'traffic' group by export_date
),
raw_days as (
    select _export_date as export_date, count(*) as raw_rows from raw.traffic_events group by _export_date
)
select export_date, concat_ws('#', coalesce(loads, ''), coalesce(raw_rows, 0)) as fingerprint
from loads full join raw_days using (export_date)
"""

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


@dataclass(frozen=True)
class _LastBuild:
    build_id: int
    mode: str
    logic: str
    input_build_id: int | None
    table_rows: int


def ensure_state(con: duckdb.DuckDBPyConnection) -> None:
    """Create the build_state schema and tables if absent.

    Args:
        con: a read-write warehouse connection.
    """
    con.execute(STATE_TABLES)


def logic_fingerprint(con: duckdb.DuckDBPyConnection, table: str) -> str:
    """sha256 of the model, the macros and every SQL variable (settings and salt) on `con`."""
    schema, name = table.split(".")
    variables = con.execute(
        "select name, cast(value as varchar) from duckdb_variables() order by name"
    ).fetchall()
    text = "\n".join(
        [
            STATE_VERSION,
            model_sql(schema, name),
            (SQL_DIR / "macros.sql").read_text(),
            repr(variables),
        ]
    )
    return hashlib.sha256(text.encode()).hexdigest()


def _last_build(con: duckdb.DuckDBPyConnection, table: str) -> _LastBuild | None:
    rows = con.execute(
        "select build_id, mode, logic, input_build_id, table_rows from build_state.builds "
        "where table_name = ? order by build_id desc limit 1",
        [table],
    ).fetchall()
    return _LastBuild(*rows[0]) if rows else None


def _table_rows(con: duckdb.DuckDBPyConnection, table: str) -> int | None:
    schema, name = table.split(".")
    exists = scalar(
        con,
        "select count(*) from duckdb_tables() where schema_name = ? and table_name = ?",
        [schema, name],
    )
    return scalar(con, f"select count(*) from {table}") if exists else None


def _full_reason(
    con: duckdb.DuckDBPyConnection, table: str, last: _LastBuild | None, logic: str
) -> str | None:
    """Why `table` must be rebuilt in full, or None when an incremental build is exact."""
    if last is None:
        return "no earlier build recorded"
    if last.logic != logic:
        return "the model, the macros or a setting changed"
    rows = _table_rows(con, table)
    if rows is None:
        return "the table is missing"
    if rows != last.table_rows:
        return f"the table has {rows} rows, the last build left {last.table_rows}"
    return None


def _changed_traffic_days(con: duckdb.DuckDBPyConnection) -> list[dt.date]:
    """Export days whose fingerprint (temp table current_traffic_days) differs from the stored one."""
    rows = con.execute(
        "select export_date from current_traffic_days as now "
        "full join build_state.traffic_days as stored using (export_date) "
        "where now.fingerprint is distinct from stored.fingerprint order by export_date"
    ).fetchall()
    return [day for (day,) in rows]


def _close_over_shared_events(con: duckdb.DuckDBPyConnection) -> None:
    """Add to rebuilt_visitors every visitor sharing an event key with one in it, to a fixed point."""
    con.execute(
        "create or replace temp table visitor_frontier as select user_id from rebuilt_visitors"
    )
    while True:
        con.execute(
            "create or replace temp table frontier_events as "
            "select event_key(event_id, _file, _line) as event_key from raw.traffic_events "
            "where user_id in (select user_id from visitor_frontier) "
            "union select event_id from staging.stg_traffic_events "
            "where user_id in (select user_id from visitor_frontier)"
        )
        con.execute(
            "create or replace temp table visitor_frontier as "
            "select distinct user_id from raw.traffic_events "
            "where event_key(event_id, _file, _line) in (select event_key from frontier_events) "
            "and user_id not in (select user_id from rebuilt_visitors)"
        )
        if not scalar(con, "select count(*) from visitor_frontier"):
            return
        con.execute("insert into rebuilt_visitors select user_id from visitor_frontier")


def _plan_staging(con: duckdb.DuckDBPyConnection) -> list[dt.date]:
    """Fill rebuilt_visitors for an incremental staging build; returns the changed days."""
    days = _changed_traffic_days(con)
    con.execute(
        "insert into rebuilt_visitors "
        "select user_id from raw.traffic_events where _export_date in (select unnest($days::date[])) "
        "union select user_id from build_state.traffic_day_visitors "
        "where export_date in (select unnest($days::date[]))",
        {"days": days},
    )
    _close_over_shared_events(con)
    return days


def _plan_sessions(
    con: duckdb.DuckDBPyConnection, last: _LastBuild, staging: _LastBuild | None
) -> str | None:
    """Fill rebuilt_visitors for an incremental sessions build, or say why it must be full."""
    if staging is None or last.input_build_id is None:
        return "staging has no recorded build"
    if _table_rows(con, STAGING) != staging.table_rows:
        return "staging was written outside its asset"
    full_since = scalar(
        con,
        "select count(*) from build_state.builds where table_name = ? and build_id > ? and mode = 'full'",
        [STAGING, last.input_build_id],
    )
    if full_since:
        return "staging was rebuilt in full"
    con.execute(
        "insert into rebuilt_visitors select distinct user_id from build_state.rebuilt_visitors where build_id > ?",
        [last.input_build_id],
    )
    return None


def _record_staging_state(
    con: duckdb.DuckDBPyConnection, days: list[dt.date] | None, build_id: int
) -> None:
    """Store the raw days' fingerprints and visitors as this build saw them (`days` None: all)."""
    if days is None:
        con.execute("delete from build_state.traffic_days")
        con.execute("delete from build_state.traffic_day_visitors")
        con.execute(
            "delete from build_state.rebuilt_visitors"
        )  # readers of the feed rebuild in full
        con.execute("insert into build_state.traffic_days select * from current_traffic_days")
        con.execute(
            "insert into build_state.traffic_day_visitors "
            "select distinct _export_date, user_id from raw.traffic_events"
        )
        return
    params = {"days": days}
    con.execute(
        "delete from build_state.traffic_days where export_date in (select unnest($days::date[]))",
        params,
    )
    con.execute(
        "delete from build_state.traffic_day_visitors where export_date in (select unnest($days::date[]))",
        params,
    )
    con.execute(
        "insert into build_state.traffic_days select * from current_traffic_days "
        "where export_date in (select unnest($days::date[]))",
        params,
    )
    con.execute(
        "insert into build_state.traffic_day_visitors select distinct _export_date, user_id from raw.traffic_events "
        "where _export_date in (select unnest($days::date[]))",
        params,
    )
    con.execute(
        "insert into build_state.rebuilt_visitors select ?, user_id from rebuilt_visitors",
        [build_id],
    )


def _write(con: duckdb.DuckDBPyConnection, table: str, incremental: bool) -> int:
    """Rebuild `table` in full, or replace the rows of the visitors in rebuilt_visitors; rows written."""
    schema, name = table.split(".")
    sql = model_sql(schema, name)
    if not incremental:
        con.execute(f"create or replace table {table} as {sql}")
        return scalar(con, f"select count(*) from {table}")
    con.execute(f"delete from {table} where user_id in (select user_id from rebuilt_visitors)")
    con.execute(REBUILT_ONLY)
    try:
        return con.execute(f"insert into {table} by name select * from ({sql})").fetchall()[0][0]
    finally:
        con.execute(EVERY_VISITOR)


def build_visitor_table(
    con: duckdb.DuckDBPyConnection, table: str, full: bool = False
) -> VisitorBuild:
    """Build staging.stg_traffic_events or marts.sessions, incrementally when that is exact.

    Args:
        con: a warehouse connection prepared for the SQL models (assets.warehouse.prepare).
        table: one of INCREMENTAL_TABLES.
        full: rebuild from scratch whatever the state says.

    Returns:
        A VisitorBuild: full or incremental, why, and how many visitors and rows it recomputed.
    """
    if table not in INCREMENTAL_TABLES:
        choices = ", ".join(INCREMENTAL_TABLES)
        raise ValueError(f"build_visitor_table: {table} is not incremental; choose from {choices}")
    ensure_state(con)
    logic = logic_fingerprint(con, table)
    con.execute("begin transaction")
    try:
        last = _last_build(con, table)
        staging = _last_build(con, STAGING)
        reason = "asked for a full rebuild" if full else _full_reason(con, table, last, logic)
        con.execute("create or replace temp table rebuilt_visitors (user_id varchar)")
        days: list[dt.date] | None = None
        if table == STAGING:
            con.execute(
                f"create or replace temp table current_traffic_days as {TRAFFIC_DAY_FINGERPRINTS}"
            )
            if reason is None:
                days = _plan_staging(con)
        elif reason is None:
            reason = _plan_sessions(con, last, staging)
        incremental = reason is None
        visitors = scalar(con, "select count(*) from rebuilt_visitors") if incremental else None
        rows_written = _write(con, table, incremental)
        build_id = (last.build_id if last else 0) + 1
        if table == STAGING:
            _record_staging_state(con, days, build_id)
            input_build_id = None
        else:
            input_build_id = staging.build_id if staging else None
            # sessions is the feed's one reader: what it has read is not needed again
            con.execute(
                "delete from build_state.rebuilt_visitors where build_id <= ?",
                [input_build_id or 0],
            )
        con.execute(
            "insert into build_state.builds values (?, ?, ?, ?, ?, ?, ?, ?, ?, now()::timestamp)",
            [
                table,
                build_id,
                "incremental" if incremental else "full",
                logic,
                input_build_id,
                len(days) if days is not None else None,
                visitors,
                rows_written,
                _table_rows(con, table),
            ],
        )
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    if incremental:
        what = (
            f"{len(days)} export days changed"
            if days is not None
            else "visitors staging recomputed"
        )
        return VisitorBuild(table, "incremental", what, visitors, rows_written, days or [])
    return VisitorBuild(table, "full", reason, None, rows_written)
