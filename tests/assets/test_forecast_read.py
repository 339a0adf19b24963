"""The forecast reads the demand mart as stored, and sorts only when a night appended to it."""

import datetime as dt

import duckdb
import polars as pl

from assets.forecasts import _demand_batches


class _Counting:
    """A connection that records the SQL of each query the forecast's read sends."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con, self.sent = con, []

    def sql(self, sql, params=None):
        self.sent.append(sql)
        return self.con.sql(sql, params=params)


def _mart(rows: list[tuple[str, int]]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("create schema marts")
    con.execute(
        "create table marts.sku_demand_daily (sku varchar, day date, is_trading_day boolean, "
        "is_partial_day boolean, demand_units double, is_stockout boolean)"
    )
    for sku, day in rows:
        con.execute(
            "insert into marts.sku_demand_daily values (?, ?, true, false, 1, false)",
            [sku, dt.date(2024, 1, 1) + dt.timedelta(days=day)],
        )
    return con


def _rows(frames) -> list[list[tuple[str, int]]]:
    return [frame.select("sku", pl.col("day").dt.day()).rows() for frame in frames]


def test_a_night_appended_at_the_end_is_read_sorted():
    """A nightly build deletes and re-inserts its days at the end of the mart: catches a
    read that trusts the stored order and hands the series out of (sku, day) order."""
    con = _mart([("A", 0), ("A", 1), ("B", 0), ("B", 1), ("A", 2), ("B", 2)])
    assert _rows(_demand_batches(con, [])) == [
        [("A", 1), ("A", 2), ("A", 3), ("B", 1), ("B", 2), ("B", 3)]
    ]


def test_batches_in_stored_order_are_read_as_stored():
    """A mart written in order: each batch's rows with its own bounds, read once (catches a
    parameter dropped from a read, or a sorted re-read of a batch that was in order)."""
    con = _Counting(_mart([("A", 0), ("A", 1), ("B", 0), ("C", 0), ("C", 1)]))
    batches = _rows(_demand_batches(con, [("A", "A"), ("B", "C")]))
    assert batches == [[("A", 1), ("A", 2)], [("B", 1), ("C", 1), ("C", 2)]]
    assert len(con.sent) == 2 and not any("order by" in sql for sql in con.sent)


def test_after_one_batch_out_of_order_the_rest_are_read_sorted_once():
    """A night appends a day for every SKU: the first batch out of order is read again
    sorted, and the later ones are read sorted straight away (catches reading every batch
    twice), each with its own bounds."""
    stored = [("A", 0), ("A", 1), ("B", 0), ("C", 0), ("C", 1), ("D", 0)]
    con = _Counting(_mart([*stored, ("A", 2), ("B", 2), ("C", 2), ("D", 2)]))
    batches = _rows(_demand_batches(con, [("A", "B"), ("C", "C"), ("D", "D")]))
    assert batches == [
        [("A", 1), ("A", 2), ("A", 3), ("B", 1), ("B", 3)],
        [("C", 1), ("C", 2), ("C", 3)],
        [("D", 1), ("D", 3)],
    ]
    assert ["order by" in sql for sql in con.sent] == [False, True, True, True]
