"""Reading query results into polars frames and writing frames into tables."""

from __future__ import annotations

import duckdb
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from warehouse.frames import (
    append_frame,
    insert_frame,
    query,
    read_row,
    scalar,
    table_exists,
    write_frame,
)
from warehouse.transaction import transaction


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("create schema marts")
    con.execute("create table marts.stock as select * from range(3) t(old_column)")
    yield con
    con.close()


def test_write_frame_replaces_the_table(con):
    frame = pl.DataFrame({"sku": ["A", "B"], "units": [1, 2]})
    assert write_frame(con, "marts", "stock", frame) == 2
    assert_frame_equal(query(con, "select * from marts.stock order by sku"), frame)


def test_append_frame_creates_then_appends_by_name(con):
    append_frame(con, "marts", "runs", pl.DataFrame({"run": [1], "model": ["ets"]}))
    assert append_frame(con, "marts", "runs", pl.DataFrame({"model": ["tsb"], "run": [2]})) == 1
    assert read_row(
        con, "select list(run order by run), list(model order by run) from marts.runs"
    ) == (
        [1, 2],
        ["ets", "tsb"],
    )


def test_insert_frame_rolls_back_with_its_transaction_and_leaves_no_view(con):
    con.execute("create table marts.sales (sku varchar, units integer)")
    with pytest.raises(duckdb.BinderException), transaction(con):
        insert_frame(con, "marts.sales", pl.DataFrame({"sku": ["A"], "units": [1]}))
        insert_frame(con, "marts.sales", pl.DataFrame({"no_such_column": [1]}))
    assert scalar(con, "select count(*) from marts.sales") == 0
    assert (
        scalar(con, "select count(*) from duckdb_views() where view_name = 'incoming_frame'") == 0
    )


def test_queries_take_positional_or_named_parameters(con):
    assert query(
        con, "select old_column from marts.stock where old_column >= ?", [1]
    ).to_series().to_list() == [1, 2]
    assert scalar(con, "select count(*) from marts.stock where old_column < $n", {"n": 2}) == 2
    assert read_row(con, "select min(old_column), max(old_column) from marts.stock") == (0, 2)


def test_table_exists_tells_a_missing_table_from_an_empty_one():
    # Bug caught: a check that counts rows (0 for an empty table) where existence is asked,
    # or one that ignores the schema and finds a table of the same name elsewhere.
    con = duckdb.connect()
    con.execute("create schema quality; create schema marts; create table quality.load_log (x int)")
    assert table_exists(con, "quality.load_log")
    assert not table_exists(con, "marts.load_log")
    assert not table_exists(con, "quality.quarantine")
