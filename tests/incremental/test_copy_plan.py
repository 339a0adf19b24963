"""What the nightly analyst copy copies again (incremental/copy_plan.py), from the writes the
builds record (incremental/written.py), on a small real DuckDB warehouse."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from incremental.copy_plan import plan_analyst_copy, record_analyst_copy
from incremental.written import forget_validated, record_written_days, record_written_visitors

JAN_1, JAN_2 = dt.date(2024, 1, 1), dt.date(2024, 1, 2)


@pytest.fixture
def con():
    con = duckdb.connect()
    con.execute("create schema marts; create schema forecasts; create schema staging")
    con.execute(
        "create table marts.daily as select date '2024-01-01' + range::int as day from range(3)"
    )
    con.execute("create table marts.sessions as select 'u' || range as user_id from range(3)")
    con.execute("create table forecasts.demand as select 1 as version")
    con.execute("create table staging.events as select 1 as x")
    yield con
    con.close()


def _selected(con, plan, table: str, column: str) -> list:
    predicate = plan.rows[table]
    return [
        row[0] for row in con.execute(f"select {column} from {table} where {predicate}").fetchall()
    ]


def test_the_copy_reads_the_writes_after_the_one_it_holds_and_the_checks_keep_them(con):
    """Bug caught: the checks, which pass before the copy is made, dropping the lists of
    days and visitors the copy has not read yet (the copy then misses the night's rows), or
    the copy reading writes it already holds."""
    record_written_days(con, "marts.daily", [JAN_1])  # write 1
    record_analyst_copy(con, 1, "file-a")
    record_written_days(con, "marts.daily", [JAN_2])  # write 2
    con.execute("create temp table rebuilt_visitors as select 'u1' as user_id")
    record_written_visitors(con, "marts.sessions")  # write 3
    for table in ("marts.daily", "marts.sessions"):
        forget_validated(con, table, 3)  # every check passed both writes

    plan = plan_analyst_copy(con, "memory", {})
    assert (plan.through, plan.previous) == (3, "file-a")
    assert _selected(con, plan, "marts.daily", "day") == [JAN_2]
    assert _selected(con, plan, "marts.sessions", "user_id") == ["u1"]
    assert plan.rows["forecasts.demand"] is None  # records nothing: rebuilt whole each run
    assert "staging.events" not in plan.rows

    record_analyst_copy(con, 3, "file-b")
    for table in ("marts.daily", "marts.sessions"):
        forget_validated(con, table, 3)
    plan = plan_analyst_copy(con, "memory", {})
    assert plan.rows["marts.daily"] == plan.rows["marts.sessions"] == "false"
    assert con.execute("select count(*) from build_state.written_days").fetchone()[0] == 0


def test_a_whole_rebuild_or_no_recorded_copy_copies_whole(con):
    """Bug caught: a full rebuild since the copy (recorded as whole) copied by its days, or a
    warehouse that never recorded a copy (first run, a reset build_state) updated by rows."""
    record_written_days(con, "marts.daily", [JAN_1])
    assert plan_analyst_copy(con, "memory", {}).previous is None
    record_analyst_copy(con, 1, "file-a")
    record_written_days(con, "marts.daily", None)
    assert plan_analyst_copy(con, "memory", {}).rows["marts.daily"] is None
