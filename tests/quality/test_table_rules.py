"""Key, not-null and Great Expectations rules on small exact tables."""

import datetime as dt

import duckdb
import great_expectations.expectations as gxe
import polars as pl
import pytest

from quality.suites import SUITES
from quality.table_rules import key_violations, null_counts
from quality.validate import validate


@pytest.fixture
def con():
    connection = duckdb.connect()
    connection.execute("create schema marts")
    connection.execute(
        "create table marts.orders_daily as select * from (values "
        "(date '2024-01-01', 'UK', 3), (date '2024-01-01', 'UK', 4), (date '2024-01-01', 'FR', 1), "
        "(date '2024-01-02', null, 2), (date '2024-01-03', 'UK', null)) as t(day, country, orders)"
    )
    yield connection
    connection.close()


def test_key_violations_count_nulls_and_repeated_keys(con):
    gate = key_violations(con, "marts.orders_daily", ("day", "country"))
    assert not gate.passed
    assert gate.evidence == {
        "rows": 5,
        "null_key_rows": 1,
        "duplicate_keys": 1,
        "duplicate_rows": 2,
    }
    assert gate.examples.to_dicts() == [{"day": dt.date(2024, 1, 1), "country": "UK", "copies": 2}]


def test_key_violations_pass_on_a_clean_key(con):
    con.execute("delete from marts.orders_daily where country is null or orders = 4")
    gate = key_violations(con, "marts.orders_daily", ("day", "country"))
    assert gate.passed and gate.examples is None
    assert gate.evidence["rows"] == 3


def test_null_counts_name_the_column_and_show_the_row(con):
    gate = null_counts(con, "marts.orders_daily", ("orders",), ("day", "country"))
    assert not gate.passed
    assert gate.evidence == {"rows": 5, "null_rows": {"orders": 1}}
    assert gate.examples.to_dicts() == [
        {"day": dt.date(2024, 1, 3), "country": "UK", "orders": None}
    ]
    assert null_counts(con, "marts.orders_daily", ("day",), ("day",)).passed


def test_negative_stock_fails_the_inventory_suite_naming_the_sku():
    suite = SUITES["staging.stg_inventory"]
    frame = pl.DataFrame(
        {
            "snapshot_date": [dt.date(2024, 1, 1)] * 3,
            "sku": ["A", "B", "C"],
            "location": ["main"] * 3,
            "on_hand": [5, -2, 0],
            "on_order": [0, 0, 1],
        }
    )
    result = validate(frame, "stg_inventory", suite.rules(), key=suite.key)
    assert not result.success and result.evaluated == 2
    [failure] = result.failures
    assert failure["column"] == "on_hand" and failure["unexpected"] == 1
    assert failure["examples"] == [
        {"on_hand": "-2", "snapshot_date": "2024-01-01", "sku": "B", "location": "main"}
    ]


def test_every_staging_and_mart_table_with_a_key_has_one():
    for table in (
        "staging.stg_catalog",
        "staging.stg_order_lines",
        "staging.stg_traffic_events",
        "staging.stg_feedback",
        "staging.stg_inventory",
        "marts.conversion_daily",
        "marts.orders_daily",
        "marts.sku_demand_daily",
        "marts.customers",
    ):
        assert SUITES[table].key, table


def test_a_purchase_order_pulling_forward_more_lines_than_it_holds_fails_naming_it():
    # Bug caught: a draft purchase order counting more pulled-forward lines than lines (a
    # double count in the minimum-order fill) reached the merchandiser's files unchecked.
    suite = SUITES["inventory.purchase_orders"]
    day = dt.date(2024, 3, 4)
    frame = pl.DataFrame(
        {
            "supplier": ["Acme", "Bolt"],
            "order_date": [day, day],
            "lines": [2, 1],
            "units": [10, 4],
            "order_value": [25.5, 8.0],
            "pulled_forward_lines": [1, 2],
            "min_order_value": [20.0, 0.0],
            "min_order_qty": [0, 0],
            "meets_minimum": [True, True],
            "order_days": ["Monday", "Monday"],
            "expected_delivery": [day + dt.timedelta(days=7)] * 2,
        }
    )
    result = validate(frame, "purchase_orders", suite.rules(), key=suite.key)
    assert not result.success
    [failure] = result.failures
    assert failure["column"] == ["lines", "pulled_forward_lines"] and failure["unexpected"] == 1
    assert failure["examples"][0]["supplier"] == "Bolt"
    assert set(suite.not_null) | set(suite.key) == set(frame.columns)


def test_a_purchase_order_line_of_no_units_fails_naming_the_sku():
    # Bug caught: a line with nothing to order (or a negative cost) was written into a
    # supplier's draft purchase order.
    suite = SUITES["inventory.purchase_order_lines"]
    day = dt.date(2024, 3, 4)
    frame = pl.DataFrame(
        {
            "supplier": ["Acme", "Acme"],
            "order_date": [day, day],
            "sku": ["A", "B"],
            "quantity": [6, 0],
            "unit_cost": [1.5, 2.0],
            "line_value": [9.0, 0.0],
            "needed_by": [day, day],
            "pulled_forward": [False, True],
            "reason": ["Order 6 by 2024-03-04", "Pulled forward"],
        }
    )
    result = validate(frame, "purchase_order_lines", suite.rules(), key=suite.key)
    assert not result.success
    [failure] = result.failures
    assert failure["column"] == "quantity" and failure["unexpected"] == 1
    assert failure["examples"][0]["sku"] == "B"


def test_a_passing_check_says_which_rows_and_columns_it_checked(con):
    """Bugs: a pass over the run's written rows described as one over all rows (or the
    reverse), and a clean not-null check naming "no column" instead of its columns."""
    con.execute("delete from marts.orders_daily where country is null or orders = 4")
    con.execute("update marts.orders_daily set orders = 5 where orders is null")
    key = ("day", "country")
    whole = key_violations(con, "marts.orders_daily", key)
    assert whole.description == "key (day, country) unique and not null in all 3 rows"
    written = key_violations(con, "marts.orders_daily", key, where="day = date '2024-01-01'")
    assert written.description == "key (day, country) unique and not null in the written 2 rows"
    clean = null_counts(con, "marts.orders_daily", ("orders", "country"), key)
    assert clean.passed and clean.description == "orders, country never null"


def test_a_written_row_repeating_the_key_of_a_row_not_written_fails(con):
    """Catches: key_violations taking by default that `where` selects whole keys, so a row
    a build wrote with the key of a row it did not write is compared only with the rows
    it wrote, and the repeated key passes."""
    con.execute("insert into marts.orders_daily values (date '2024-01-01', 'FR', 9)")
    gate = key_violations(con, "marts.orders_daily", ("day", "country"), where="orders = 9")
    assert not gate.passed
    assert (gate.evidence["rows"], gate.evidence["duplicate_rows"]) == (1, 2)


def test_a_failing_check_shows_five_example_rows_at_most(con):
    """Bug caught: a check attaching more (or fewer) offending rows than the five its
    description promises, flooding the check's page on a broken export."""
    con.execute(
        "insert into marts.orders_daily select date '2024-02-01' + i::int, 'DE', null "
        "from range(7) t(i), range(2) copies(c)"
    )  # 7 days, each key twice, with a null order count
    key = key_violations(con, "marts.orders_daily", ("day", "country"))
    assert key.evidence["duplicate_keys"] == 8 and len(key.examples) == 5
    nulls = null_counts(con, "marts.orders_daily", ("orders",), ("day", "country"))
    assert nulls.evidence["null_rows"] == {"orders": 15} and len(nulls.examples) == 5


def _failing_columns(table: str, rows: dict) -> set[str]:
    suite = SUITES[table]
    result = validate(pl.DataFrame(rows), table, suite.rules(), key=suite.key)
    return {failure["column"] for failure in result.failures}


def test_stock_and_cost_bounds_sit_exactly_at_zero():
    """Bugs: a bound moved one unit (stock of -1 or a cost of -0.5 let through, which makes
    every reorder quantity computed from it too large); a stock or cost of 0 refused."""
    stock = {"snapshot_date": [dt.date(2024, 1, 1)] * 2, "sku": ["A", "B"], "location": ["m"] * 2}
    assert _failing_columns(
        "staging.stg_inventory", {**stock, "on_hand": [0, -1], "on_order": [0, 0]}
    ) == {"on_hand"}
    assert _failing_columns(
        "staging.stg_inventory", {**stock, "on_hand": [0, 0], "on_order": [-1, 0]}
    ) == {"on_order"}
    catalog = {
        "sku": ["A", "B"],
        "unit_cost": [0.0, -0.5],
        "lead_time_days": [0, 0],
        "lead_time_std_days": [0.0, 0.0],
        "moq": [1, 1],
        "pack_size": [1, 1],
    }
    assert _failing_columns("staging.stg_catalog", catalog) == {"unit_cost"}


def test_ratings_run_from_one_to_five():
    """Bugs: the rating bounds moved (a 0-star rating, meaning "not rated" in some exports,
    averaged in as a rating, or a 1-star review refused)."""
    feedback = {
        "feedback_id": ["a", "b", "c"],
        "feedback_type": ["review"] * 3,
        "nps_score": [None] * 3,
    }
    assert _failing_columns("staging.stg_feedback", {**feedback, "rating": [1, 5, 3]}) == set()
    assert _failing_columns("staging.stg_feedback", {**feedback, "rating": [0, 5, 3]}) == {"rating"}
    assert _failing_columns("staging.stg_feedback", {**feedback, "rating": [1, 6, 3]}) == {"rating"}


def test_a_failing_rule_names_up_to_five_bad_values_with_or_without_a_key():
    """Bugs: more than five examples attached to a failure (with key columns, the rows'
    keys; without, their positions), or none without a key."""
    frame = pl.DataFrame({"sku": list("ABCDEFG"), "on_hand": [-1, -2, -3, -4, -5, -6, 1]})
    rules = [gxe.ExpectColumnValuesToBeBetween(column="on_hand", min_value=0)]
    [keyless] = validate(frame, "stock", rules).failures
    assert keyless["unexpected"] == 6 and keyless["examples"] == ["0", "1", "2", "3", "4"]
    [keyed] = validate(frame, "stock", rules, key=("sku",)).failures
    assert [row["sku"] for row in keyed["examples"]] == ["A", "B", "C", "D", "E"]
