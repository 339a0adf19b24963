"""A table suite's two checks (quality/checks.py: unique_key, expectations) driven to fail
by crafted rows, each failure naming the problem and the rows that show it."""

import duckdb
import great_expectations.expectations as gxe
import pytest

from quality.checks import check_names, evaluate, suite_checks
from quality.suites import SUITES, Suite, fix

TABLE = "marts.daily_rates"
SUITE = Suite(
    key=("day", "shop"),
    not_null=("orders",),
    rules=lambda: [gxe.ExpectColumnValuesToBeBetween(column="rate", min_value=0, max_value=1)],
)


@pytest.fixture
def con():
    con = duckdb.connect()
    con.execute("create schema marts")
    con.execute(f"create table {TABLE} (day date, shop varchar, orders bigint, rate double)")
    yield con
    con.close()


def _results(con) -> dict:
    return {r.check_name: r for r in evaluate(con, TABLE, SUITE, {"unique_key", "expectations"})}


def test_clean_rows_pass_both_checks(con):
    """Catches: a check that fails whatever the rows (so a failing one proves nothing)."""
    con.execute(
        f"insert into {TABLE} values ('2024-01-01', 'a', 3, 0.5), ('2024-01-01', 'b', 1, 1)"
    )
    assert {name: r.passed for name, r in _results(con).items()} == {
        "unique_key": True,
        "expectations": True,
    }


def test_a_repeated_and_a_null_key_fail_unique_key_naming_both(con):
    """Catches: a key check that counts distinct rows instead of distinct keys, or ignores
    null key columns."""
    con.execute(
        f"insert into {TABLE} values ('2024-01-01', 'a', 3, 0.5), ('2024-01-01', 'a', 4, 0.5),"
        " ('2024-01-01', null, 1, 0.5), ('2024-01-02', 'a', 2, 0.5)"
    )
    key = _results(con)["unique_key"]
    assert not key.passed
    assert key.description.startswith(
        "key (day, shop): 1 rows with a null key, 1 key values on 2 rows"
    )
    assert {
        name: key.metadata[name].value
        for name in ("rows", "null_key_rows", "duplicate_keys", "duplicate_rows")
    } == {"rows": 4, "null_key_rows": 1, "duplicate_keys": 1, "duplicate_rows": 2}


def test_a_null_and_a_rate_above_one_fail_expectations_naming_column_and_row(con):
    """Catches: expectations that skip the not-null columns or the rules, or report a pass
    with failures inside."""
    con.execute(
        f"insert into {TABLE} values ('2024-01-01', 'a', null, 0.5), ('2024-01-01', 'b', 2, 1.5)"
    )
    check = _results(con)["expectations"]
    assert not check.passed
    assert check.description.startswith(
        "orders null on 1 rows; expect_column_values_to_be_between on rate: 1 bad rows, "
        "e.g. {'rate': '1.5', 'day': '2024-01-01', 'shop': 'b'}. Fix: "
    )
    assert check.metadata["null_rows"].value == {"orders": 1}
    [failure] = check.metadata["failures"].value
    assert (failure["column"], failure["unexpected"]) == ("rate", 1)


def test_a_null_key_alone_fails_unique_key(con):
    """Catches: a key check that only looks for repeated keys (a row with no shop has no
    identity, and GROUP BY lumps all such rows into one key)."""
    con.execute(
        f"insert into {TABLE} values ('2024-01-01', 'a', 3, 0.5), ('2024-01-01', null, 1, 0.5)"
    )
    key = _results(con)["unique_key"]
    assert not key.passed
    assert key.description.startswith("key (day, shop): 1 rows with a null key, 0 key values")


def test_a_pass_says_how_many_expectations_it_evaluated(con):
    """Catches: a passing check that miscounts what it evaluated (not-null columns and value
    rules subtracted, or one of them left out), so "all 0 expectations passed" reads as a
    pass although nothing, or not everything, was checked."""
    con.execute(f"insert into {TABLE} values ('2024-01-01', 'a', 3, 0.5)")
    check = _results(con)["expectations"]
    assert check.passed
    assert check.description == "all 2 expectations passed"  # orders not null, rate in [0, 1]
    assert (check.metadata["expectations"].value, check.metadata["rows"].value) == (2, 1)


def test_every_check_of_every_suite_is_blocking():
    """Catches: a check declared non-blocking (the unique_key one, say), so a table with
    repeated keys still feeds the marts and the reorder list downstream; test_blocking.py
    drives only one feed's expectations through the pipeline."""
    specs = [spec for checks in suite_checks() for spec in checks.check_specs]
    assert {spec.name for spec in specs} == {"unique_key", "expectations"}
    assert [spec.key for spec in specs if not spec.blocking] == []
    assert len(specs) == sum(len(check_names(suite)) for suite in SUITES.values())


def test_each_check_of_a_table_can_run_alone():
    """Catches: a table's two checks made one unsplittable step (`can_subset` off), so
    re-running one failed check from the UI cannot select it alone: the table's other check
    runs (and records a verdict) too."""
    assert [c.node_def.name for c in suite_checks() if not c.can_subset] == []


def test_only_a_failing_key_check_says_how_to_fix_it(con):
    """Catches: the fix sentence added to the wrong verdict (a passing key check telling
    the reader to fix assets/sql/marts/daily_rates.sql, a failing one not saying it)."""
    con.execute(f"insert into {TABLE} values ('2024-01-01', 'a', 3, 0.5)")
    assert "Fix:" not in _results(con)["unique_key"].description
    con.execute(f"insert into {TABLE} values ('2024-01-01', 'a', 4, 0.5)")
    assert _results(con)["unique_key"].description.endswith(f". {fix(TABLE)}")


def test_a_suite_without_value_rules_counts_its_not_null_columns_only(con):
    """Catches: a suite with no value rules (nothing for Great Expectations) counted as if
    it had one more, or one fewer, expectation than its not-null columns."""
    con.execute(f"insert into {TABLE} values ('2024-01-01', 'a', 3, 7.0)")
    suite = Suite(key=("day", "shop"), not_null=("orders", "rate"))
    [check] = evaluate(con, TABLE, suite, {"expectations"})
    assert (check.passed, check.description) == (True, "all 2 expectations passed")


def test_each_tables_check_step_is_named_schema_table_checks():
    """Catches: a check step named from the wrong parts of its table's key, so the step
    names in the Dagster UI and the run log no longer say which table they check (and two
    tables' steps can share one name)."""
    names = sorted(checks.node_def.name for checks in suite_checks())
    assert names == sorted(f"{table.replace('.', '_')}_checks" for table in SUITES)
