"""The asset checks validate the rows the builds wrote (quality/check_scope.py), with a
daily table written day by day through incremental/written.py, as a mart built by
partition does. Each run "builds" some days, then runs the table's checks."""

import datetime as dt

import duckdb
import great_expectations.expectations as gxe
import pytest

from incremental.written import record_written_days
from quality.checks import evaluate
from quality.suites import Suite

TABLE = "marts.daily_rates"
SUITE = Suite(
    key=("day", "shop"),
    not_null=("orders",),
    rules=lambda: [gxe.ExpectColumnValuesToBeBetween(column="rate", min_value=0, max_value=1)],
)
DAY = dt.date(2024, 1, 1)


def day(n: int) -> dt.date:
    return DAY + dt.timedelta(days=n)


@pytest.fixture
def con():
    con = duckdb.connect()
    con.execute("create schema marts")
    con.execute(f"create table {TABLE} (day date, shop varchar, orders bigint, rate double)")
    yield con
    con.close()


def build(con, n: int, rate: float = 0.5, shops=("a", "b"), record: bool = True) -> None:
    """Rewrite day `n` (delete, insert) and record it, as a build by partition does."""
    con.execute(f"delete from {TABLE} where day = ?", [day(n)])
    for shop in shops:
        con.execute(f"insert into {TABLE} values (?, ?, 3, ?)", [day(n), shop, rate])
    if record:
        record_written_days(con, TABLE, [day(n)])


def check(con, full: bool = False, suite: Suite = SUITE) -> dict[str, tuple[bool, int, str]]:
    """Each check's verdict, rows read and scope."""
    results = evaluate(con, TABLE, suite, {"unique_key", "expectations"}, full)
    return {
        r.check_name: (r.passed, r.metadata["rows"].value, r.metadata["scope"].value)
        for r in results
    }


def verdicts(result: dict) -> dict[str, bool]:
    return {name: passed for name, (passed, _, _) in result.items()}


def rows(result: dict) -> dict[str, int]:
    return {name: n for name, (_, n, _) in result.items()}


def test_only_the_new_days_rows_are_validated_after_a_first_full_validation(con):
    """Bug: the checks read the whole table every run (or skip rows a build wrote)."""
    build(con, 0)
    build(con, 1)
    first = check(con)
    assert verdicts(first) == {"unique_key": True, "expectations": True}
    assert rows(first) == {"unique_key": 4, "expectations": 4}
    assert "no earlier passed validation" in first["expectations"][2]
    build(con, 2)
    assert rows(check(con)) == {"unique_key": 2, "expectations": 2}
    assert rows(check(con)) == {"unique_key": 0, "expectations": 0}  # nothing written since


def test_a_bad_row_of_an_old_run_fails_every_run_until_its_day_is_rewritten(con):
    """Bug: a failure is forgotten once the next run writes other days, so what is
    downstream runs on the bad rows."""
    build(con, 0)
    check(con)
    build(con, 1, rate=1.5)  # Monday: a rate above 1
    assert verdicts(check(con)) == {"unique_key": True, "expectations": False}
    build(con, 2)  # Tuesday does not rewrite day 1
    tuesday = check(con)
    assert tuesday["expectations"][:2] == (False, 4)  # day 1 again, with day 2
    assert tuesday["unique_key"][:2] == (True, 2)  # passed on Monday: only day 2
    build(con, 1)  # day 1 re-exported, now clean
    assert verdicts(check(con)) == {"unique_key": True, "expectations": True}
    build(con, 3)
    assert rows(check(con)) == {"unique_key": 2, "expectations": 2}


def test_the_key_check_finds_a_new_rows_key_already_held_by_an_old_day(con):
    """Bug: uniqueness checked among the new rows only misses a duplicate across days."""
    by_shop = Suite(key=("shop",), not_null=SUITE.not_null, rules=SUITE.rules)
    build(con, 0, shops=("a", "b"))
    assert verdicts(check(con, suite=by_shop))["unique_key"]
    build(con, 1, shops=("c", "a"))  # "a" again, a day later
    results = evaluate(con, TABLE, by_shop, {"unique_key"})
    evidence = {k: v.value for k, v in results[0].metadata.items() if k != "examples"}
    assert not results[0].passed
    assert (evidence["rows"], evidence["duplicate_keys"], evidence["duplicate_rows"]) == (2, 1, 2)


def test_the_key_check_finds_a_duplicate_inside_a_new_day_when_the_day_is_in_the_key(con):
    """Bug: with the day in the key only the written days are counted; a key repeated
    inside one of them must still fail."""
    build(con, 0)
    check(con)
    build(con, 1, shops=("a", "a"))
    passed, checked, _ = check(con)["unique_key"]
    assert not passed and checked == 2


def test_the_full_validation_finds_a_bad_row_the_incremental_checks_skip(con):
    """Bug: a row broken outside the builds (here by SQL) is never seen, or is seen once
    by the weekly full validation and then forgotten by the nightly checks."""
    for n in range(3):
        build(con, n)
    check(con)
    con.execute(f"update {TABLE} set rate = 7 where day = ? and shop = 'a'", [day(0)])
    build(con, 3)
    assert verdicts(check(con)) == {"unique_key": True, "expectations": True}  # day 3 only
    full = check(con, full=True)
    assert full["expectations"][:2] == (False, 8)
    build(con, 4)
    after = check(con)  # the next nightly run validates every row until they pass
    assert after["expectations"][:2] == (False, 10)
    assert "last full validation failed" in after["expectations"][2]
    con.execute(f"update {TABLE} set rate = 0.5 where day = ?", [day(0)])
    assert verdicts(check(con)) == {"unique_key": True, "expectations": True}
    build(con, 5)
    assert rows(check(con)) == {"unique_key": 2, "expectations": 2}


def test_a_changed_suite_or_a_whole_rewrite_validates_every_row(con):
    """Bug: rows validated under the old rules are trusted under new ones, or a rebuild
    from scratch (a logic change) is validated only for the days it says changed."""
    for n in range(3):
        build(con, n)
    check(con)
    build(con, 3)
    stricter = Suite(
        key=SUITE.key,
        not_null=SUITE.not_null,
        rules=lambda: [
            gxe.ExpectColumnValuesToBeBetween(column="rate", min_value=0, max_value=0.4)
        ],
    )
    changed = check(con, suite=stricter)
    assert changed["expectations"][:2] == (False, 8)
    assert "suite's rules changed" in changed["expectations"][2]
    assert changed["unique_key"][1] == 2  # the key did not change: only the new day
    record_written_days(con, TABLE, None)  # a rebuild of the whole table
    assert rows(check(con)) == {"unique_key": 8, "expectations": 8}


def test_a_table_whose_build_records_nothing_is_validated_whole_every_run(con):
    """Bug: a table rebuilt by `create or replace` (no record) is taken as unchanged."""
    for n in range(2):
        build(con, n, record=False)
    check(con)
    build(con, 2, record=False)
    result = check(con)
    assert rows(result) == {"unique_key": 6, "expectations": 6}
    assert "records no written rows" in result["expectations"][2]


def test_on_clean_data_incremental_and_full_checks_agree(con):
    """Bug: the incremental checks pass or fail where a full validation would not."""
    for n in range(4):
        build(con, n)
        incremental = verdicts(check(con))
        assert (
            incremental
            == verdicts(check(con, full=True))
            == {
                "unique_key": True,
                "expectations": True,
            }
        )
    build(con, 4, rate=2.0)
    assert verdicts(check(con)) == verdicts(check(con, full=True))


def _written_days(con) -> int:
    return con.execute(
        "select count(*) from build_state.written_days where table_name = ?", [TABLE]
    ).fetchall()[0][0]


def test_the_scope_counts_the_builds_and_validated_writes_are_forgotten(con):
    """Bugs: the scope miscounting the builds it covers ("1 builds", "2 build"), and the
    lists of written days kept after every check of the table passed them (only dropped
    when more states than checks exist, which never happens), so they grow every run."""
    build(con, 0)
    check(con)
    assert _written_days(con) == 0  # both checks passed write 1: its days are dropped
    build(con, 1)
    build(con, 2)
    assert check(con)["expectations"][2].startswith("the rows 2 builds wrote since write 1,")
    build(con, 3)
    assert check(con)["expectations"][2].startswith("the rows 1 build wrote since write 3,")
    assert _written_days(con) == 0


@pytest.mark.parametrize("first_passes", [True, False])
def test_write_one_is_validated_after_checks_made_before_any_recorded_write(con, first_passes):
    """Bug: a first validation made before the warehouse recorded any write remembering
    write 1 (not 0) as validated, whether it passed or failed, so once the table's build
    starts recording, the rows of the first recorded write are skipped and a bad row in
    them passes."""
    build(con, 0, rate=0.5 if first_passes else 2.0, record=False)  # validated whole
    assert verdicts(check(con))["expectations"] is first_passes
    build(con, 0, record=False)
    assert verdicts(check(con)) == {"unique_key": True, "expectations": True}
    build(con, 1, rate=2.0)  # write 1, the first the warehouse records
    result = check(con)
    assert result["expectations"][:2] == (False, 2)
    assert result["expectations"][2].startswith("the rows 1 build wrote since write 0,")


def test_a_failed_full_validation_keeps_the_last_write_the_check_passed(con):
    """Bug: a failed full validation storing something other than the check's last
    validated write (its full-failed flag, read from the wrong field), so while the
    expectations keep failing, a pass of the key check cannot drop the lists of days both
    checks had already passed, and they grow every run until the data is fixed."""
    build(con, 0)  # write 1: both checks pass it
    check(con)
    build(con, 1, shops=("a", "a"))  # write 2 repeats a key: only the expectations pass it
    assert verdicts(check(con)) == {"unique_key": False, "expectations": True}
    build(con, 2, rate=2.0)  # write 3 holds a bad rate
    assert verdicts(check(con, full=True)) == {"unique_key": False, "expectations": False}
    build(con, 1)  # write 4 repairs the key: the key check passes write 4 ...
    assert verdicts(check(con)) == {"unique_key": True, "expectations": False}
    # ... and every check has now passed write 2, so only writes 3 and 4 keep their days.
    assert _written_days(con) == 2


def _listed(con) -> tuple[list, list]:
    return (
        con.execute("select write_id from build_state.written order by 1").fetchall(),
        con.execute("select write_id, day from build_state.written_days order by 1").fetchall(),
    )


def test_what_a_night_leaves_listed_does_not_depend_on_an_earlier_interrupted_copy(con):
    """Bug caught: the lists of written days forgotten only when the checks pass, so a night
    whose earlier (interrupted) run had recorded an analyst copy keeps the writes its own
    copy now holds, while the same night without that copy forgets them: a recovered run's
    build_state differs from a clean one's."""
    from incremental.copy_plan import record_analyst_copy
    from quality.check_scope import forget_done_writes

    def night(con) -> None:
        for n in range(3):
            build(con, n)  # writes 1..3
        assert all(verdicts(check(con)).values())
        record_analyst_copy(con, 3, "file-b")
        forget_done_writes(con, {TABLE: 2})

    night(con)
    clean = _listed(con)
    assert clean == ([(3,)], [])  # the newest write stays: the table still records

    recovered = duckdb.connect()
    recovered.execute("create schema marts")
    recovered.execute(f"create table {TABLE} (day date, shop varchar, orders bigint, rate double)")
    record_analyst_copy(recovered, 0, "file-a")  # the interrupted run's copy, before any write
    night(recovered)
    assert _listed(recovered) == clean


def test_the_copy_of_the_checked_rows_is_dropped_after_the_checks(con):
    """Bug caught: the temp copy of the rows a night's checks validate left in the
    connection after the checks (memory held until the connection closes, and a stale
    copy a later check on the same connection could read)."""
    build(con, 0)
    check(con)
    build(con, 1)
    result = check(con)
    assert rows(result) == {"unique_key": 2, "expectations": 2}  # only day 1: a copy was made
    temp = con.execute("select table_name from duckdb_tables() where temporary").fetchall()
    assert temp == []


def test_the_writes_of_tables_without_checks_are_forgotten_once_copied():
    """Bug caught: a backtest table's whole writes (recorded for the analyst copy, checked
    by nothing) kept forever: they pile up night after night, and a run that a kill made
    redo the backtest keeps one write more than a clean run. A checked table's writes wait
    for its checks."""
    from incremental.copy_plan import record_analyst_copy
    from incremental.written import record_written_days
    from quality.check_scope import forget_unchecked_writes

    con = duckdb.connect()
    for _ in range(3):
        record_written_days(con, "forecasts.demand_backtest", None)  # writes 1..3
    for _ in range(2):
        record_written_days(con, TABLE, None)  # writes 4, 5: a checked table's
    record_written_days(con, "forecasts.model_choice", None)  # write 6, not copied yet
    record_written_days(con, "forecasts.model_choice", None)  # write 7
    record_analyst_copy(con, 5, "file-a")  # the copy holds writes up to 5
    forget_unchecked_writes(con, [TABLE])
    left = "select table_name, write_id from build_state.written order by write_id"
    assert con.execute(left).fetchall() == [
        ("forecasts.demand_backtest", 3),
        (TABLE, 4),
        (TABLE, 5),
        ("forecasts.model_choice", 6),
        ("forecasts.model_choice", 7),
    ]
