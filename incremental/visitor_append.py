"""Appending a new export day's events to visitors' staged histories, where that is exact.

An incremental build of staging.stg_traffic_events recomputes a changed visitor's whole
history (incremental/visitor_build.py): its raw rows are found by a scan of the whole raw
table, and the visitors sharing an event key with it by more scans of raw and staging. On
a night that only adds a new export day, most visitors' new events simply follow their
history, and then nothing already staged changes: every column of a staged event depends
only on the events before it in its visitor's order (the running session count, the
previous event's time and source) or in its session (`event_order`). Such a visitor's
new events can be staged alone and appended, when:

1. they come from export days that are new (no earlier build saw them, so no staged row
   came from those days);
2. none of their event keys is held by any other raw row (no copy of the event elsewhere
   to deduplicate against);
3. they all come after the visitor's last staged event (strictly later `event_at`): a late
   event would change the session count and `event_order` of the events after it;
4. the visitor has no staged events, or every new event carries the export's session id:
   a session built from the timeout rule would need the visitor's running session count,
   which staging does not keep (the key holds it only for sessions without an exported id).

(A session key starts with its visitor's id: the keys of two visitors are taken never to
be equal, as in the recompute of a whole visitor.)

The new events are then staged by the model itself, reading only the new days' raw rows
of these visitors, and each one's `event_order` is moved past the events its session
already holds in staging. Every other changed visitor is recomputed whole, as before; the
set recomputed whole is still closed over shared event keys (a visitor sharing a key with
a recomputed one is recomputed too, which may take a visitor out of the appended set).
The result equals a rebuild from scratch, row for row (tests/incremental/test_visitor_append.py).
"""

from __future__ import annotations

import datetime as dt

import duckdb

from incremental.visitor_buckets import reading
from warehouse.frames import scalar

# The new days' raw rows of the visitors that could be appended (the visitors on changed
# days that a new day alone brought), one row each. The day filter lets DuckDB skip the
# row groups of every other day.
NEW_ROWS = """
create or replace temp table append_new_rows as
select user_id, session_id, event_at, event_key(event_id, _file, _line) as event_key
from raw.traffic_events
where _export_date in (select unnest($new_days::date[]))
  and user_id not in (select user_id from rebuilt_visitors where user_id is not null)
"""

# Keys of new rows held by more than one raw row: one read of the raw keys.
SHARED_NEW_KEYS = """
create or replace temp table append_shared_keys as
select event_key(event_id, _file, _line) as event_key from raw.traffic_events
where event_key(event_id, _file, _line) in (select event_key from append_new_rows)
group by 1 having count(*) > 1
"""

# What staging holds of the candidate visitors, per session: one read of staging.
STAGED = """
create or replace temp table append_staged as
select user_id, session_key, count(*) as events, max(event_at) as last_at
from staging.stg_traffic_events
where user_id in (select user_id from append_new_rows)
group by all
"""

# The candidate visitors that cannot be appended (the contract requires event_at and
# user_id, so neither is null here).
NOT_APPENDABLE = """
with new_by_visitor as (
    select user_id, min(event_at) as first_at, count(*) - count(session_id) as unsessioned,
           count(*) filter (where event_key in (select event_key from append_shared_keys))
               as shared
    from append_new_rows group by user_id
),
history as (select user_id, max(last_at) as last_at from append_staged group by user_id)
select n.user_id from new_by_visitor as n left join history as h using (user_id)
where n.shared > 0 or h.last_at >= n.first_at or (h.user_id is not null and n.unsessioned > 0)
"""


def new_export_days(con: duckdb.DuckDBPyConnection, days: list[dt.date]) -> list[dt.date]:
    """The changed days no earlier build saw (no stored fingerprint)."""
    return [
        day
        for (day,) in con.execute(
            "select unnest($days::date[]) as day except "
            "select export_date from build_state.traffic_days order by day",
            {"days": days},
        ).fetchall()
    ]


def plan_appends(con: duckdb.DuckDBPyConnection, new_days: list[dt.date]) -> None:
    """Split the visitors of the new days between appended and recomputed ones.

    Fills the temp table `appended_visitors` with the visitors whose new events can be
    appended, and adds the others to `rebuilt_visitors` (which must already hold the
    visitors of changed days that are not new). The caller then closes rebuilt_visitors
    over shared event keys and calls `drop_rebuilt_from_appends`.
    """
    con.execute("create or replace temp table appended_visitors (user_id varchar)")
    if not new_days:
        return
    con.execute(NEW_ROWS, {"new_days": new_days})
    con.execute(SHARED_NEW_KEYS)
    con.execute(STAGED)
    con.execute(f"insert into rebuilt_visitors {NOT_APPENDABLE}")
    con.execute(
        "insert into appended_visitors select distinct user_id from append_new_rows "
        "where user_id not in (select user_id from rebuilt_visitors where user_id is not null)"
    )


def drop_rebuilt_from_appends(con: duckdb.DuckDBPyConnection) -> None:
    """Take out of the appended set the visitors the closure over shared keys recomputes."""
    con.execute(
        "delete from appended_visitors where user_id in "
        "(select user_id from rebuilt_visitors where user_id is not null)"
    )


def append_rows(
    con: duckdb.DuckDBPyConnection, table: str, sql: str, new_days: list[dt.date]
) -> int:
    """Stage the new days' events of the appended visitors, append them to `table` (the
    staging table, whose model is `sql`) and count those visitors as rebuilt (for
    marts.sessions, which recomputes their sessions); rows written.

    The model reads only those rows (its input table replaced by the new days' rows, its
    `is_rebuilt_visitor` true for the appended visitors). A session the visitor already
    has in staging continues: its new events are numbered after the ones it holds.
    """
    if not scalar(con, "select count(*) from appended_visitors"):
        return 0
    con.execute("insert into rebuilt_visitors select user_id from appended_visitors")
    new_rows = (
        "(select * from raw.traffic_events "
        "where _export_date in (select unnest($new_days::date[])))"
    )
    model = reading(sql, "raw.traffic_events", new_rows)
    con.execute(
        "create or replace temp macro is_rebuilt_visitor(visitor) as "
        "visitor in (select user_id from appended_visitors)"
    )
    try:
        return con.execute(
            f"insert into {table} by name "
            "select m.* replace (m.event_order + coalesce(s.events, 0) as event_order) "
            f"from ({model}) as m left join append_staged as s using (user_id, session_key)",
            {"new_days": new_days},
        ).fetchall()[0][0]
    finally:
        con.execute("create or replace temp macro is_rebuilt_visitor(visitor) as true")


def appended_days(con: duckdb.DuckDBPyConnection, new_days: list[dt.date]) -> list[dt.date]:
    """The event days of the rows :func:`append_rows` staged (the staging model's
    `event_date`, the day of `event_at`): the rows the checks and the analyst copy need to
    read again, where the appended visitors' older rows did not change."""
    rows = con.execute(
        "select distinct cast(event_at as date) from raw.traffic_events "
        "where _export_date in (select unnest($new_days::date[])) "
        "and user_id in (select user_id from appended_visitors)",
        {"new_days": new_days},
    ).fetchall()
    return [day for (day,) in rows]
