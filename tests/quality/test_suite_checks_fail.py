"""A table suite's two checks (quality/checks.py: unique_key, expectations) driven to fail
by crafted rows, each failure naming the problem and the rows that show it."""

import duckdb
import great_expectations.expectations as gxe
import pytest

from quality.checks import evaluate
from quality.suites import Suite

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
