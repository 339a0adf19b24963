"""The forecast reads the demand mart as stored, and sorts only when a night appended to it."""

import datetime as dt

import duckdb
import polars as pl

from assets.forecasts import DEMAND_COLUMNS_SQL, _in_series_order


def _mart(con: duckdb.DuckDBPyConnection, rows: list[tuple[str, int]]) -> None:
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


def test_a_night_appended_at_the_end_is_read_sorted():
    """A nightly build deletes and re-inserts its days at the end of the mart: catches a
    read that trusts the stored order and hands the series out of (sku, day) order."""
    con = duckdb.connect()
    _mart(con, [("A", 0), ("A", 1), ("B", 0), ("B", 1), ("A", 2), ("B", 2)])
    demand = _in_series_order(con, DEMAND_COLUMNS_SQL)
    assert demand.select("sku", pl.col("day").dt.day()).rows() == [
        ("A", 1),
        ("A", 2),
        ("A", 3),
        ("B", 1),
        ("B", 2),
        ("B", 3),
    ]


def test_a_batch_in_stored_order_is_read_as_stored():
    """A batch of SKUs from a mart written in order: the same rows with the batch's filter
    (catches a parameter dropped from the re-read or the first read)."""
    con = duckdb.connect()
    _mart(con, [("A", 0), ("A", 1), ("B", 0), ("C", 0), ("C", 1)])
    sql = f"{DEMAND_COLUMNS_SQL} where sku between ? and ?"
    assert _in_series_order(con, sql, ["B", "C"])["sku"].to_list() == ["B", "C", "C"]
    con.execute(
        "insert into marts.sku_demand_daily values ('B', '2024-01-05', true, false, 1, false)"
    )
    assert _in_series_order(con, sql, ["B", "C"])["sku"].to_list() == ["B", "B", "C", "C"]
