"""Full builds of the per-SKU daily marts in SKU ranges (incremental/sku_ranges.py).

A few order lines over SKU codes that sort unlike numbers are built in full once in one
statement and once in ranges of two lines; each mart must hold the same rows, stored in
(sku, day) order (the forecast step reads the demand mart in SKU ranges).
"""

from datetime import date

import pytest

from assets.warehouse import SQL_DIR, model_sql
from incremental.daily_marts import DAILY_MARTS
from incremental.day_build import build_daily_mart
from incremental.sku_ranges import build_full, range_ends
from tests.incremental.test_day_build import INPUTS, line

PER_SKU = [table for table, mart in DAILY_MARTS.items() if mart.per_sku]
# '100' < '1000' < '99' < '99A' < '99b' as text; a quote must survive the range's literal
SKUS = ("99", "100", "1000", "99A", "99b", "O'NEIL", "X")


@pytest.fixture
def shop(warehouse):
    lines = [
        line(f"{sku}-{n}", f"2011-03-0{n} 09:00", sku, n, customer=f"c{n}")
        for sku in SKUS
        for n in (1, 3)
    ]
    lines += [
        line("R", "2011-03-02 10:00", "99A", 4),
        line("R-cancel", "2011-03-02 15:00", "99A", -4),  # reverses that sale
        line("P", "2011-03-02 11:00", "POST", 1),  # not a product: sales_by_sku_daily only
    ]
    warehouse.insert("orders", lines)
    stock = [(date(2011, 3, 2), "100", 0), (date(2011, 3, 3), "99b", 7)]
    warehouse.insert(
        "inventory",
        [{"snapshot_date": d, "sku": s, "on_hand": n, "_export_date": d} for d, s, n in stock],
    )
    warehouse.build(*INPUTS)
    return warehouse


def full_build(warehouse, table: str, range_rows: int) -> None:
    macros = (SQL_DIR / "macros.sql").read_text()
    model = model_sql(*table.split("."))
    build = build_daily_mart(warehouse.con, table, model, macros, True, range_rows)
    assert build.mode == "full"


@pytest.mark.parametrize("table", PER_SKU)
def test_a_ranged_full_build_equals_one_build_in_sku_day_order(shop, table):
    """Catches a range that loses or doubles a SKU (a bound compared as a number, an end
    SKU in two ranges, the last range closed), a shop-wide part computed from one range's
    lines only (the last day, open days, a reversal), and ranges appended out of order
    (the forecast's SKU-range reads would miss rows)."""
    con = shop.con
    assert len(range_ends(con, 2)) > 4  # several ranges, each ending on a SKU
    full_build(shop, table, range_rows=10**9)
    con.execute(f"create table one_build as select * from {table}")
    full_build(shop, table, range_rows=2)
    both_ways = (
        f"select count(*) from ((select * from {table} except all select * from one_build) "
        f"union all (select * from one_build except all select * from {table}))"
    )
    assert con.execute(both_ways).fetchone() == (0,)
    assert con.execute(f"select count(*) from {table}").fetchone()[0] >= 20
    con.execute("set threads = 1")  # a scan in storage order
    stored = con.execute(f"select sku, day from {table}").fetchall()
    assert stored == sorted(stored)
    reversed_units = f"select sum(units_reversed) from {table} where sku = '99A'"
    if table == "marts.sku_demand_daily":
        assert con.execute(reversed_units).fetchone() == (4,)
    # the macro is true for every SKU again after the build
    assert con.execute("select is_rebuilt_sku('zzz') and is_rebuilt_sku('0')").fetchone() == (True,)


@pytest.mark.parametrize("table", PER_SKU)
def test_a_range_that_stops_selling_early_keeps_the_shops_last_day(warehouse, table):
    """Catches the shop-wide parts (open days, the last order day and whether it is partial)
    taken from one range's lines instead of the shop's: the ranges of SKUs 'A' and 'K',
    which stop selling before the last day, would end their spines early, call the last day
    closed and miss that it is partial (its one order came earlier than on the Tuesday
    before)."""
    warehouse.insert(
        "orders",
        [
            line("A1", "2011-03-01 18:00", "A", 1),  # Tuesday
            line("A2", "2011-03-02 10:00", "A", 1),
            line("K1", "2011-03-02 11:00", "K", 1),
            line("K2", "2011-03-02 12:00", "K", 1),
            line("Z1", "2011-03-08 09:00", "Z", 1),  # Tuesday, the shop's last order day
        ],
    )
    warehouse.build(*INPUTS)
    con = warehouse.con
    assert range_ends(con, 2) == ["A", "K", "Z"]  # 'Z' alone in the last range
    full_build(warehouse, table, range_rows=10**9)
    con.execute(f"create table one_build as select * from {table}")
    full_build(warehouse, table, range_rows=2)
    both_ways = (
        f"select count(*) from ((select * from {table} except all select * from one_build) "
        f"union all (select * from one_build except all select * from {table}))"
    )
    assert con.execute(both_ways).fetchone() == (0,)
    last_days = f"select sku, max(day) from {table} group by sku order by sku"
    assert con.execute(last_days).fetchall() == [(s, date(2011, 3, 8)) for s in "AKZ"]
    if table == "marts.sku_demand_daily":
        last_day = "select is_trading_day, is_partial_day from marts.sku_demand_daily "
        last_day += "where sku = 'A' and day = '2011-03-08'"
        assert con.execute(last_day).fetchone() == (True, True)


def test_the_ranges_run_without_partitioned_execution_and_the_run_gets_it_back(shop):
    """Catches the ranges planned with DuckDB's partitioned_execution (at SF30 each range
    scanned every inventory row once per date range: 140.5 against 85.6 CPU s for the
    build), and the optimizer left off for the steps after the build, or a list of
    optimizers the connection had turned off itself lost."""
    con = shop.con
    con.execute("set disabled_optimizers = 'top_n'")
    setting = "current_setting('disabled_optimizers')"
    model = (
        f"select sku, {setting} as turned_off from staging.stg_order_lines "
        "where is_rebuilt_sku(sku) group by all"
    )
    rows = build_full(con, "main.ranges_seen", model, range_rows=2)
    assert rows == len(SKUS) + 1  # and POST
    seen = con.execute("select distinct turned_off from main.ranges_seen").fetchall()
    assert seen == [("top_n,partitioned_execution",)]
    assert con.execute(f"select {setting}").fetchall() == [("top_n",)]
