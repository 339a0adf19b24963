"""transaction(): the block's writes land together, or not at all."""

from __future__ import annotations

import duckdb
import pytest

from warehouse.transaction import transaction


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("create table stock (sku varchar, units integer)")
    con.execute("insert into stock values ('A', 1), ('B', 2)")
    yield con
    con.close()


def rows(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute("select * from stock order by sku").fetchall()


def test_commits_the_block(con):
    with transaction(con):
        con.execute("delete from stock where sku = 'A'")
        con.execute("insert into stock values ('C', 3)")
    assert rows(con) == [("B", 2), ("C", 3)]


def test_an_error_in_python_rolls_back_and_is_re_raised(con):
    with pytest.raises(ValueError, match="half way"), transaction(con):
        con.execute("delete from stock")
        con.execute("insert into stock values ('C', 3)")
        raise ValueError("half way")
    assert rows(con) == [("A", 1), ("B", 2)]


def test_a_failed_statement_rolls_back_and_the_connection_stays_usable(con):
    with pytest.raises(duckdb.BinderException), transaction(con):
        con.execute("delete from stock where sku = 'A'")
        con.execute("insert into stock (no_such_column) values (1)")
    assert rows(con) == [("A", 1), ("B", 2)]
    with transaction(con):
        con.execute("insert into stock values ('C', 3)")
    assert rows(con) == [("A", 1), ("B", 2), ("C", 3)]
