"""Which visitors a build recomputes: the plan of an incremental visitor build.

Each plan fills the temp table `rebuilt_visitors (user_id)` on the build's connection, or
says why the build must be full instead. Staging plans from the raw export days that
changed; sessions plans from what staging recomputed since the build sessions last read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from incremental.build_state import (
    LastBuild,
    export_day_fingerprints,
    full_builds_since,
    table_rows,
)
from incremental.visitor_append import drop_rebuilt_from_appends, new_export_days, plan_appends
from warehouse.frames import scalar

STAGING = "staging.stg_traffic_events"
SESSIONS = "marts.sessions"

TRAFFIC_DAY_FINGERPRINTS = export_day_fingerprints("traffic")


def full_reason(
    con: duckdb.DuckDBPyConnection, table: str, last: LastBuild | None, logic: str
) -> str | None:
    """Why `table` must be rebuilt in full, or None when an incremental build is exact."""
    if last is None:
        return "no earlier build recorded"
    if last.logic != logic:
        return "the model, the macros or a setting changed"
    rows = table_rows(con, table)
    if rows is None:
        return "the table is missing"
    if rows != last.table_rows:
        return f"the table has {rows} rows, the last build left {last.table_rows}"
    return None


def snapshot_traffic_days(con: duckdb.DuckDBPyConnection) -> None:
    """Fingerprint every raw export day now, into the temp table current_traffic_days."""
    con.execute(f"create or replace temp table current_traffic_days as {TRAFFIC_DAY_FINGERPRINTS}")


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


@dataclass(frozen=True)
class StagingPlan:
    """The export days an incremental staging build found changed, and which of them are new."""

    days: list[dt.date]
    new_days: list[dt.date]


def plan_staging(con: duckdb.DuckDBPyConnection) -> StagingPlan:
    """Fill rebuilt_visitors (recomputed whole) and appended_visitors (new events appended,
    incremental/visitor_append.py) for an incremental staging build."""
    days = _changed_traffic_days(con)
    new_days = new_export_days(con, days)
    seen_days = sorted(set(days) - set(new_days))
    con.execute(
        "insert into rebuilt_visitors "
        "select user_id from raw.traffic_events where _export_date in (select unnest($days::date[])) "
        "union select user_id from build_state.traffic_day_visitors "
        "where export_date in (select unnest($days::date[]))",
        {"days": seen_days},
    )
    plan_appends(con, new_days)
    if scalar(con, "select count(*) from rebuilt_visitors"):
        _close_over_shared_events(con)
        drop_rebuilt_from_appends(con)
    return StagingPlan(days, new_days)


def plan_sessions(
    con: duckdb.DuckDBPyConnection, last: LastBuild, staging: LastBuild | None
) -> str | None:
    """Fill rebuilt_visitors for an incremental sessions build, or say why it must be full."""
    if staging is None or last.input_build_id is None:
        return "staging has no recorded build"
    if table_rows(con, STAGING) != staging.table_rows:
        return "staging was written outside its asset"
    if full_builds_since(con, STAGING, last.input_build_id):
        return "staging was rebuilt in full"
    con.execute(
        "insert into rebuilt_visitors select distinct user_id from build_state.rebuilt_visitors where build_id > ?",
        [last.input_build_id],
    )
    return None


def record_staging_state(
    con: duckdb.DuckDBPyConnection, days: list[dt.date] | None, build_id: int
) -> None:
    """Store the raw days' fingerprints and visitors as this build saw them (`days` None: all)."""
    if days is None:
        con.execute("delete from build_state.traffic_days")
        con.execute("delete from build_state.traffic_day_visitors")
        # after a full staging build its reader rebuilds in full too: nothing to hand on
        con.execute("delete from build_state.rebuilt_visitors")
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


def forget_read_visitors(con: duckdb.DuckDBPyConnection, input_build_id: int | None) -> None:
    """Drop the rebuilt-visitor lists sessions has now read (it is their one reader)."""
    con.execute(
        "delete from build_state.rebuilt_visitors where build_id <= ?", [input_build_id or 0]
    )
