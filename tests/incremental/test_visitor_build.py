"""Incremental staging.stg_traffic_events and marts.sessions (incremental/visitor_build.py).

Each case loads small traffic export files with the real loader, builds both tables, changes
the exports (a new day, a late file, a re-export, an event exported twice), loads and builds
again, then checks the visitors the build recomputed, the sessions by hand, and that both
tables equal a rebuild from scratch row for row.
"""

import datetime as dt

import duckdb
import pytest

from assets.warehouse import SQL_DIR, model_sql, prepare
from config.settings import Settings, TrafficSettings
from incremental import visitor_build
from incremental.visitor_build import INCREMENTAL_TABLES, SESSIONS, STAGING
from ingest.load import ensure_tables, load_days
from tests.incremental.traffic_exports import drop


def build_visitor_table(con, table: str, full: bool = False):
    """Build one incremental table from its SQL model, as the asset does."""
    return visitor_build.build_visitor_table(
        con, table, model_sql(*table.split(".")), (SQL_DIR / "macros.sql").read_text(), full=full
    )


@pytest.fixture
def con():
    con = duckdb.connect()
    ensure_tables(con)
    prepare(con, Settings(), salt="0" * 64)
    yield con
    con.close()


def load_and_build(con, exports, *days: str) -> dict[str, object]:
    """Load the export days (as the raw asset's partitions do), then build both tables."""
    load_days(con, exports, "traffic", [dt.date.fromisoformat(d) for d in days])
    return {table: build_visitor_table(con, table) for table in INCREMENTAL_TABLES}


def snapshot(con) -> dict[str, list[tuple]]:
    return {
        table: con.execute(f"select * from {table} order by all").fetchall()
        for table in INCREMENTAL_TABLES
    }


def assert_equals_full_rebuild(con) -> None:
    incremental = snapshot(con)
    for table in INCREMENTAL_TABLES:
        assert build_visitor_table(con, table, full=True).mode == "full"
    assert snapshot(con) == incremental


def sessions(con) -> list[tuple]:
    return con.execute(
        "select user_id, strftime(started_at, '%d %H:%M'), strftime(ended_at, '%d %H:%M'), visitor_type "
        "from marts.sessions order by user_id, started_at"
    ).fetchall()


def test_a_new_day_recomputes_its_visitors_and_joins_a_session_across_midnight(con, tmp_path):
    drop(tmp_path, "2024-01-01", "23:50,page_view,u1,e1", "10:00,page_view,u2,e2")
    first = load_and_build(con, tmp_path, "2024-01-01")
    assert [b.mode for b in first.values()] == ["full", "full"]

    drop(tmp_path, "2024-01-02", "00:10,view_item,u1,e3", "10:00,page_view,u3,e4")
    builds = load_and_build(con, tmp_path, "2024-01-02")
    assert [(b.mode, b.visitors) for b in builds.values()] == [
        ("incremental", 2),
        ("incremental", 2),
    ]
    assert [str(d) for d in builds[STAGING].changed_days] == ["2024-01-02"]
    assert builds[STAGING].rows_written == 3  # u1's two events and u3's one; u2 untouched
    assert sessions(con) == [
        ("u1", "01 23:50", "02 00:10", "new"),
        ("u2", "01 10:00", "01 10:00", "new"),
        ("u3", "02 10:00", "02 10:00", "new"),
    ]
    assert_equals_full_rebuild(con)


def test_a_late_file_for_an_old_day_merges_two_sessions(con, tmp_path):
    drop(tmp_path, "2024-01-01", "23:45,page_view,u1,e1", "09:00,page_view,u2,e2")
    drop(tmp_path, "2024-01-03", "2024-01-02 00:35,page_view,u1,e3", "10:00,page_view,u2,e4")
    load_and_build(con, tmp_path, "2024-01-01", "2024-01-03")
    assert [s[:3] for s in sessions(con) if s[0] == "u1"] == [
        ("u1", "01 23:45", "01 23:45"),
        ("u1", "02 00:35", "02 00:35"),
    ]

    drop(
        tmp_path, "2024-01-02", "00:10,page_view,u1,e5"
    )  # the late file: 25 minutes after and before
    builds = load_and_build(con, tmp_path, "2024-01-02")
    assert [str(d) for d in builds[STAGING].changed_days] == ["2024-01-02"]
    assert builds[STAGING].visitors == 1
    assert [s[:3] for s in sessions(con) if s[0] == "u1"] == [("u1", "01 23:45", "02 00:35")]
    assert_equals_full_rebuild(con)


def test_a_re_export_replacing_a_day_removes_the_events_it_no_longer_holds(con, tmp_path):
    drop(tmp_path, "2024-01-01", "10:00,page_view,u1,e1", "11:00,page_view,u2,e2")
    drop(tmp_path, "2024-01-02", "10:00,page_view,u1,e3")
    load_and_build(con, tmp_path, "2024-01-01", "2024-01-02")

    # the same file name and row count: only the load itself tells the day changed
    drop(tmp_path, "2024-01-01", "10:00,page_view,u1,e1", "12:00,page_view,u3,e5")
    builds = load_and_build(con, tmp_path, "2024-01-01")
    assert [str(d) for d in builds[STAGING].changed_days] == ["2024-01-01"]
    assert builds[STAGING].visitors == 3  # u1, u3 now on the day, u2 before
    assert [s[0] for s in sessions(con)] == ["u1", "u1", "u3"]
    assert con.execute(
        "select count(*) from staging.stg_traffic_events where user_id = 'u2'"
    ).fetchall() == [(0,)]
    assert_equals_full_rebuild(con)


def test_an_event_exported_twice_moves_to_the_newest_export_and_back(con, tmp_path):
    drop(tmp_path, "2024-01-01", "10:00,page_view,u1,e1", "10:05,view_item,u1,e2")
    load_and_build(con, tmp_path, "2024-01-01")

    # the next export holds e2 again under another visitor: the newest export wins
    drop(tmp_path, "2024-01-02", "10:05,view_item,u2,e2", "11:00,page_view,u3,e3")
    builds = load_and_build(con, tmp_path, "2024-01-02")
    assert builds[STAGING].visitors == 3  # u2 and u3 on the new day, u1 shares e2 with u2
    owners = "select event_id, user_id from staging.stg_traffic_events order by event_id"
    assert con.execute(owners).fetchall() == [("e1", "u1"), ("e2", "u2"), ("e3", "u3")]
    assert_equals_full_rebuild(con)

    # a re-export of the newer day without e2: the older copy is the one kept again
    drop(tmp_path, "2024-01-02", "11:00,page_view,u3,e3")
    load_and_build(con, tmp_path, "2024-01-02")
    assert con.execute(owners).fetchall() == [("e1", "u1"), ("e2", "u1"), ("e3", "u3")]
    assert_equals_full_rebuild(con)


def test_nothing_new_recomputes_no_visitor(con, tmp_path):
    drop(tmp_path, "2024-01-01", "10:00,page_view,u1,e1")
    load_and_build(con, tmp_path, "2024-01-01")
    builds = {table: build_visitor_table(con, table) for table in INCREMENTAL_TABLES}
    assert [(b.mode, b.visitors, b.rows_written) for b in builds.values()] == [
        ("incremental", 0, 0)
    ] * 2


def test_a_changed_setting_or_an_outside_write_rebuilds_in_full(con, tmp_path):
    drop(tmp_path, "2024-01-01", "10:00,page_view,u1,e1", "10:40,page_view,u1,e2")
    load_and_build(con, tmp_path, "2024-01-01")
    assert len(sessions(con)) == 2

    prepare(con, Settings(traffic=TrafficSettings(session_timeout_minutes=60)), salt="0" * 64)
    builds = {table: build_visitor_table(con, table) for table in INCREMENTAL_TABLES}
    assert [(b.mode, b.reason) for b in builds.values()] == [
        ("full", "the model, the macros or a setting changed"),
        ("full", "the model, the macros or a setting changed"),
    ]
    assert len(sessions(con)) == 1

    con.execute("delete from marts.sessions")
    assert (
        build_visitor_table(con, SESSIONS).reason == "the table has 0 rows, the last build left 1"
    )
    assert build_visitor_table(con, STAGING, full=True).reason == "asked for a full rebuild"
    assert build_visitor_table(con, SESSIONS).reason == "staging was rebuilt in full"
