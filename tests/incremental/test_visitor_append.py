"""New export days appended to visitors' staged histories (incremental/visitor_append.py).

Each case loads small traffic export files with the real loader, builds both traffic
tables, adds a new export day, builds again, then checks which visitors were appended
(their new events staged alone) and which recomputed whole, and that both tables equal a
rebuild from scratch row for row. The cases are the ones decided at the edge of the new
day: a session continuing across it, an event exactly at the timeout from the previous
day's last event, a visitor whose new events arrive out of order, one seen again after
months, an event exported again.
"""

import datetime as dt

import duckdb
import pytest

from assets.warehouse import SQL_DIR, model_sql, prepare
from config.settings import Settings
from incremental import visitor_build
from incremental.visitor_build import INCREMENTAL_TABLES, STAGING
from incremental.written import pending_writes
from ingest.load import ensure_tables, load_days
from quality.suites import SUITES

HEADER = "event_at,event_name,user_id,event_id,session_id,source\n"


def drop(exports, day: str, *events: str) -> None:
    """Write traffic/<day>.csv; an event is "at,event_name,user_id,event_id[,session_id
    [,source]]", `at` HH:MM on the export day or a full YYYY-MM-DD HH:MM."""
    lines = []
    for text in events:
        at, rest = text.split(",", 1)
        fields = rest.split(",")
        fields += [""] * (5 - len(fields))
        lines.append(f"{at if len(at) > 5 else f'{day} {at}'}:00,{','.join(fields)}\n")
    path = exports / "traffic" / f"{day}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER + "".join(lines))


def build(con, table: str, full: bool = False):
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


def load_and_build(con, exports, *days: str):
    load_days(con, exports, "traffic", [dt.date.fromisoformat(d) for d in days])
    return {table: build(con, table) for table in INCREMENTAL_TABLES}


def appended(con) -> list[str]:
    return [
        u for (u,) in con.execute("select user_id from appended_visitors order by 1").fetchall()
    ]


def assert_equals_full_rebuild(con) -> None:
    def snapshot():
        return {
            t: con.execute(f"select * from {t} order by all").fetchall() for t in INCREMENTAL_TABLES
        }

    incremental = snapshot()
    for table in INCREMENTAL_TABLES:
        assert build(con, table, full=True).mode == "full"
    assert snapshot() == incremental


def events(con, user: str) -> list[tuple]:
    return con.execute(
        "select strftime(event_at, '%m-%d %H:%M'), session_key, event_order "
        "from staging.stg_traffic_events where user_id = ? order by event_at",
        [user],
    ).fetchall()


def test_a_session_continuing_past_midnight_is_appended_and_numbered_on(con, tmp_path):
    """Catches appended events numbered from 1 in a session staging already holds (their
    event_order must follow the session's staged events), and a new session id mistaken
    for an old one."""
    drop(tmp_path, "2024-01-01", "23:50,page_view,u1,e1,A", "23:55,view_item,u1,e2,A")
    load_and_build(con, tmp_path, "2024-01-01")
    drop(tmp_path, "2024-01-02", "00:05,add_to_cart,u1,e3,A", "09:00,page_view,u1,e4,B")
    builds = load_and_build(con, tmp_path, "2024-01-02")
    assert appended(con) == ["u1"]
    assert (builds[STAGING].visitors, builds[STAGING].appended) == (1, 1)
    assert builds[STAGING].rows_written == 2  # only the new day's events were staged
    assert events(con, "u1") == [
        ("01-01 23:50", "u1:A", 1),
        ("01-01 23:55", "u1:A", 2),
        ("01-02 00:05", "u1:A", 3),
        ("01-02 09:00", "u1:B", 1),
    ]
    assert_equals_full_rebuild(con)


def test_an_event_exactly_at_the_timeout_after_the_last_one(con, tmp_path):
    """Catches a session decided at the edge of the new day: 30 minutes after the previous
    day's last event is still the same session (the timeout is a gap of more than 30).
    Without an exported session id the visitor's running session count is needed, so the
    visitor is recomputed whole; a visitor new on the day is appended."""
    drop(tmp_path, "2024-01-01", "23:40,page_view,u1,e1", "23:45,page_view,u2,e2,S")
    load_and_build(con, tmp_path, "2024-01-01")
    drop(
        tmp_path,
        "2024-01-02",
        "00:10,view_item,u1,e3",  # exactly 30 minutes after e1
        "00:15,view_item,u2,e4",  # exactly 30 minutes after e2, no session id
        "00:20,page_view,u3,e5",
        "00:51,page_view,u3,e6",  # 31 minutes: a second session of a new visitor
    )
    load_and_build(con, tmp_path, "2024-01-02")
    assert appended(con) == ["u3"]
    assert [e[1:] for e in events(con, "u1")] == [("u1:s1", 1), ("u1:s1", 2)]
    assert [e[1:] for e in events(con, "u2")] == [("u2:S", 1), ("u2:s1", 1)]
    assert [e[1:] for e in events(con, "u3")] == [("u3:s1", 1), ("u3:s2", 1)]
    assert_equals_full_rebuild(con)


def test_events_arriving_out_of_order_recompute_the_visitor(con, tmp_path):
    """Catches a late event appended after events it precedes: the new day's export holds
    an event of u1 earlier than u1's last staged one (and one at the same minute as u2's
    last, whose order only the file and line decide), so both are recomputed whole."""
    drop(tmp_path, "2024-01-01", "10:00,page_view,u1,e1,A", "10:20,page_view,u1,e2,A")
    drop(tmp_path, "2024-01-02", "12:00,page_view,u2,e3,B")
    load_and_build(con, tmp_path, "2024-01-01", "2024-01-02")
    drop(
        tmp_path,
        "2024-01-03",
        "2024-01-01 10:10,view_item,u1,e4,A",
        "2024-01-02 12:00,view_item,u2,e5,B",
        "09:00,page_view,u4,e6,C",
    )
    builds = load_and_build(con, tmp_path, "2024-01-03")
    assert appended(con) == ["u4"]
    assert (builds[STAGING].visitors, builds[STAGING].appended) == (3, 1)
    assert [e[2] for e in events(con, "u1")] == [1, 2, 3]
    assert_equals_full_rebuild(con)


def test_a_visitor_seen_again_after_months(con, tmp_path):
    """Catches a returning visitor's new events staged without its history: the exported
    session is appended as the visitor's next one; without a session id the visitor's
    sessions are counted from its first, so it is recomputed whole (and its source carried
    from months ago decides nothing here, as the session is new either way)."""
    drop(tmp_path, "2024-01-01", "10:00,page_view,u1,e1,A,google", "10:00,page_view,u2,e2")
    load_and_build(con, tmp_path, "2024-01-01")
    drop(tmp_path, "2024-05-20", "08:00,page_view,u1,e3,Z", "08:00,page_view,u2,e4")
    load_and_build(con, tmp_path, "2024-05-20")
    assert appended(con) == ["u1"]
    assert [e[1:] for e in events(con, "u1")] == [("u1:A", 1), ("u1:Z", 1)]
    assert [e[1:] for e in events(con, "u2")] == [("u2:s1", 1), ("u2:s2", 1)]
    assert_equals_full_rebuild(con)


def test_an_event_exported_again_on_a_new_day_is_not_appended(con, tmp_path):
    """Catches an appended copy of an event staging already holds: the newest export's
    copy must replace the older one, under whichever visitor, so the visitors holding the
    key are recomputed whole (the visitor on the old day included)."""
    drop(tmp_path, "2024-01-01", "10:00,page_view,u1,e1,A", "10:05,view_item,u1,e2,A")
    load_and_build(con, tmp_path, "2024-01-01")
    drop(tmp_path, "2024-01-02", "2024-01-01 10:05,view_item,u2,e2,B", "11:00,page_view,u3,e3,C")
    builds = load_and_build(con, tmp_path, "2024-01-02")
    assert appended(con) == ["u3"]
    assert builds[STAGING].visitors == 3
    owners = "select event_id, user_id from staging.stg_traffic_events order by event_id"
    assert con.execute(owners).fetchall() == [("e1", "u1"), ("e2", "u2"), ("e3", "u3")]
    assert_equals_full_rebuild(con)


def test_a_late_file_and_a_new_day_in_one_build(con, tmp_path):
    """Catches a visitor of a re-exported old day appended from the new day (its rows on
    the old day changed, so it is recomputed whole), and the new day's other visitors
    recomputed for nothing."""
    drop(tmp_path, "2024-01-01", "10:00,page_view,u1,e1,A", "10:00,page_view,u2,e2,B")
    load_and_build(con, tmp_path, "2024-01-01")
    drop(tmp_path, "2024-01-01", "10:00,page_view,u1,e1,A", "10:30,view_item,u1,e7,A")
    drop(tmp_path, "2024-01-02", "10:00,page_view,u1,e3,D", "10:00,page_view,u2,e4,B")
    builds = load_and_build(con, tmp_path, "2024-01-01", "2024-01-02")
    assert appended(con) == []  # u1 and u2 were on the re-exported day (u2 no longer is)
    assert builds[STAGING].visitors == 2
    drop(tmp_path, "2024-01-03", "10:00,page_view,u2,e5,B")
    load_and_build(con, tmp_path, "2024-01-03")
    assert appended(con) == ["u2"]
    assert [e[1:] for e in events(con, "u2")] == [("u2:B", 1), ("u2:B", 2)]
    assert_equals_full_rebuild(con)


def test_a_visitor_linked_to_a_recomputed_one_is_recomputed_not_appended(con, tmp_path):
    """Catches a visitor both recomputed and appended (its new events staged twice): u1's
    new events could be appended, but u1 once held event e1 that u2 holds now, and u2 is
    recomputed (its new event is late), so the closure over shared keys recomputes u1."""
    drop(tmp_path, "2024-01-01", "10:00,page_view,u1,e1,A")
    drop(tmp_path, "2024-01-02", "2024-01-01 10:00,page_view,u2,e1,B", "12:00,page_view,u2,e2,B")
    load_and_build(con, tmp_path, "2024-01-01", "2024-01-02")
    drop(
        tmp_path,
        "2024-01-03",
        "09:00,page_view,u1,e3,C",
        "2024-01-02 11:00,view_item,u2,e4,B",
        "09:00,page_view,u5,e5,D",
    )
    builds = load_and_build(con, tmp_path, "2024-01-03")
    assert appended(con) == ["u5"]
    assert builds[STAGING].visitors == 3
    assert con.execute(
        "select count(*) from staging.stg_traffic_events where event_id = 'e3'"
    ).fetchall() == [(1,)]
    assert_equals_full_rebuild(con)


def test_the_checks_read_an_appended_visitors_new_rows_only(con, tmp_path):
    """Catches an appended visitor recorded whole (the checks and the analyst copy would
    read its whole history again, the cost the append saves) and a recomputed visitor
    recorded only by days (its rewritten older rows would go unchecked)."""
    drop(tmp_path, "2024-01-01", "10:00,page_view,u1,e1,A", "11:00,page_view,u2,e2")
    drop(tmp_path, "2024-01-02", "10:00,page_view,u1,e3,A", "11:00,page_view,u2,e4")
    load_and_build(con, tmp_path, "2024-01-01", "2024-01-02")
    before = pending_writes(con, STAGING, 0).through
    # u1 (exported session ids) is appended; u2 (timeout sessions) is recomputed whole
    drop(tmp_path, "2024-01-03", "00:30,view_item,u1,e5,A", "09:00,page_view,u2,e6")
    load_and_build(con, tmp_path, "2024-01-03")
    assert appended(con) == ["u1"]
    pending = pending_writes(con, STAGING, before)
    where = pending.where(SUITES[STAGING].day_column)
    read = con.execute(f"select event_id from {STAGING} where {where} order by event_id").fetchall()
    assert read == [("e2",), ("e4",), ("e5",), ("e6",)]
