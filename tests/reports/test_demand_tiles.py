"""The demand page's KPI tiles, read from the page published from demand marts built out of
hand-written orders and hand-written forecast tables, against values worked out by hand.

Chosen so that the plausible wrong formulas disagree: an order one day outside the 90-day
range, an order of two SKUs, a SKU whose returns exceed its sales (negative revenue), SKUs
that beat one benchmark and not the other, a class row with a better WAPE than the `all`
rows and a model best on 7-day sums but not on single days; under buckets auto, groups of
very different sizes and an earlier backtest window with a larger error."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from reports.pages.demand.page import demand
from tests.assets.sql.test_orders_revenue import line
from tests.reports.test_kpi_tiles import tiles
from tests.reports.tiny_warehouse import DDL

GENERATED_AT = datetime(2011, 4, 1, 6, 0, tzinfo=UTC)
DEMAND_MARTS = (
    "staging.stg_catalog",
    "staging.stg_order_lines",
    "marts.orders_daily",
    "marts.orders_by_customer_type_daily",
    "staging.stg_inventory",
    "marts.sku_demand_daily",
)
# The last order day is 2011-03-31, so the default 90-day range is 2011-01-01 .. 03-31.
ORDERS = [
    line("O0", "2010-12-31 10:00", "P", 4, 10.0, "c1"),  # the day before the range
    line("O1", "2011-01-01 10:00", "P", 2, 10.0, "c1"),  # the range's first day
    line("O2", "2011-03-31 10:00", "P", 3, 10.0, "c2"),  # one order of two SKUs
    line("O2", "2011-03-31 10:00", "Q", 1, 50.0, "c2"),
    line("O3", "2011-02-10 10:00", "R", 1, 5.0, "c3"),
    line("O4", "2011-02-01 10:00", "T", 2, 8.0, "c4"),
    # three units of T returned, one more than the range sold (bought before the data)
    line("O4R", "2011-02-20 10:00", "T", -3, 8.0, "c4", status="returned"),
]


def forecast_tables(
    con, accuracy: list[tuple], reliability: list[tuple], backtest=(), buckets=(), *, create=True
) -> None:
    """The forecasts tables, as tests/reports/tiny_warehouse.py defines them (unless they
    exist: `create=False`), with rows."""
    con.execute("create schema if not exists forecasts")
    for statement in DDL.split(";"):
        if create and "table forecasts." in statement:
            con.execute(statement)
    for table, rows in (
        ("accuracy_summary", accuracy),
        ("sku_reliability", reliability),
        ("demand_backtest", backtest),
        ("sku_bucket", buckets),
    ):
        if rows:
            marks = ", ".join("?" * len(rows[0]))
            con.executemany(f"insert into forecasts.{table} values ({marks})", rows)


HOLDOUT = (date(2011, 3, 18), date(2011, 3, 31))
NO_CHOICE = (None, None, None, None)
# model, class, SKUs, WAPE, WAPE on 7-day sums, MASE, bias, the two ratios to seasonal naive,
# the holdout, chosen, combined, band coverage 80 / 95 %
ACCURACY = [
    ("selected", "all", 4, 0.412, 0.301, 0.8, 0.01, 0.46, 0.6, *HOLDOUT, None, None, 0.8, 0.9),
    ("ADIDA", "all", 4, 0.455, 0.28, 0.9, 0.0, 0.51, 0.56, *HOLDOUT, *NO_CHOICE),  # best 7-day
    ("TSB", "all", 4, 0.431, 0.35, 0.9, 0.0, 0.48, 0.7, *HOLDOUT, *NO_CHOICE),  # best daily
    ("Zero", "all", 4, 1.0, 1.0, 1.2, -1.0, 1.11, 2.0, *HOLDOUT, *NO_CHOICE),
    ("SeasonalNaive", "all", 4, 0.9, 0.5, 1.0, 0.1, 1.0, 1.0, *HOLDOUT, *NO_CHOICE),
    # a class with better figures than `all`: the headline tiles must not read it
    ("selected", "smooth", 2, 0.2, 0.1, 0.5, 0.0, 0.3, 0.3, *HOLDOUT, "TSB", 1, 0.8, 0.9),
    ("CrostonSBA", "smooth", 2, 0.1, 0.05, 0.4, 0.0, 0.2, 0.2, *HOLDOUT, *NO_CHOICE),
]


def verdict(sku: str, beats_zero: bool, beats_naive: bool, reliable: bool) -> tuple:
    return (sku, "smooth", "TSB", 2, 8.0, 2.0, 8.0, 3.0, beats_zero, beats_naive, reliable, 5, None)


# P beats both and is reliable; Q beats zero only; R beats neither; T beats both but has too
# few days with sales to be relied on.
RELIABILITY = [
    verdict("P", True, True, True),
    verdict("Q", True, False, False),
    verdict("R", False, False, False),
    verdict("T", True, True, False),
]


@pytest.fixture
def shop(warehouse):
    warehouse.insert("orders", ORDERS)
    warehouse.build(*DEMAND_MARTS)
    forecast_tables(warehouse.con, ACCURACY, RELIABILITY)
    return warehouse


def test_demand_tiles_of_a_daily_run(shop):
    """Catches: the range's sums losing its first day or taking the day before it; orders
    counted as order lines; the value shares as shares of SKUs instead of revenue, over the
    range's revenue instead of the whole history's, or with a SKU's negative revenue (returns
    of earlier sales) taken off the total; unreliable SKUs counted as those not beating one
    benchmark; the headline WAPE or best single model read from a class row instead of
    `all`; the best single model ranked on 7-day sums or including `selected`."""
    html = demand(shop.con, "shop", GENERATED_AT)
    assert tiles(html) == {
        # the range 2011-01-01 .. 03-31: P 2 + 3, Q 1, R 1, T 2 sold (T's return of 3 is not
        # a reversal of a sale: demand stays 2). With 12-31's 4 units: 13
        "demand_units": "9",
        # placed lines 20 + 30 + 50 + 5 + 16, less T's return 24: 97.00 (with 12-31: 137.00)
        "net_sales": "97.00",
        "orders": "4",  # O1, O2 (two lines), O3, O4; O0 is the day before the range
        # revenue over the whole history: P 40 + 20 + 30 = 90, Q 50, R 5, T 16 - 24 = -8,
        # counted as 0 (a SKU takes no share away): total 145.
        # Beating naive: P and T, (90 + 0) / 145 = 62.1 % (of SKUs 2/4 = 50.0 %; with T's
        # -8 in the total (90 - 8) / 137 = 59.9 %; over the range's revenue 50 + 0 / 97)
        "value_beats_naive": "62.1 %",
        # beating zero: P, Q and T, (90 + 50 + 0) / 145 = 96.6 % (of SKUs 75.0 %)
        "value_beats_zero": "96.6 %",
        # Q, R and T (not beating naive: Q and R; not beating zero: R)
        "unreliable_skus": "3",
        # `all`'s selected row (the smooth class's selected WAPE is 0.200)
        "selected_wape": "0.412",
        "selected_wape_7d": "0.301",
        # the lowest daily WAPE of the other `all` rows: TSB 0.431 (ADIDA is best on 7-day
        # sums; the smooth class's CrostonSBA has 0.100)
        "best_single_wape": "0.431",
        "holdout": "2011-03-18",
        "backtest_skus": "4",
    }
    assert 'data-kpi="best_single_wape"><div class="label">Best single: TSB</div>' in html


WEEK_HOLDOUT = (date(2011, 3, 7), date(2011, 3, 28))  # weeks dated by their Mondays


def selected(
    sku: str, window: int, days: tuple, actual: float, abs_error: float, abs_7d: float, pattern: str
) -> tuple:
    """A backtest row of `selected`: sku, model, window, days, actual, errors, class."""
    return (sku, "selected", window, *days, 14, actual, actual, abs_error, abs_7d, 0.0, 1.0,
            0.5, None, pattern, "TSB")  # fmt: skip


# Daily SKUs P and Q (holdout: window 2), weekly R and T (holdout: window 3); each group's
# earlier window has a far larger error, which the holdout tiles must leave out.
BACKTEST = [
    selected("P", 1, HOLDOUT, 10.0, 10.0, 10.0, "smooth"),
    selected("P", 2, HOLDOUT, 20.0, 4.0, 2.0, "smooth"),
    selected("Q", 2, HOLDOUT, 5.0, 5.0, 3.0, "smooth"),
    selected("R", 2, WEEK_HOLDOUT, 100.0, 90.0, 90.0, "lumpy (weekly)"),
    selected("R", 3, WEEK_HOLDOUT, 100.0, 10.0, 6.0, "lumpy (weekly)"),
    selected("T", 3, WEEK_HOLDOUT, 50.0, 20.0, 12.0, "lumpy (weekly)"),
]
MIXED_TILES = (
    "selected_wape",
    "selected_wape_7d",
    "selected_wape_day",
    "selected_wape_week",
    "holdout",
    "backtest_skus",
)
BUCKETS = [("P", "day", ""), ("Q", "day", ""), ("R", "week", ""), ("T", "week", "")]


def test_holdout_tiles_of_skus_in_days_and_weeks(warehouse):
    """Catches, under buckets auto: the headline WAPE as the mean of the groups' WAPEs
    instead of their summed errors over their summed actual units, or over every backtest
    window instead of each group's holdout, or over the newest window of all groups (the
    daily group's 2 is not the weekly group's 3); a group's tile over every group's rows."""
    warehouse.insert("orders", ORDERS)
    warehouse.build(*DEMAND_MARTS)
    forecast_tables(warehouse.con, ACCURACY, RELIABILITY, BACKTEST, BUCKETS)
    shown = tiles(demand(warehouse.con, "shop", GENERATED_AT))
    assert {key: shown[key] for key in MIXED_TILES} == {
        # holdouts: daily P 20 and Q 5 units, errors 4 + 5; weekly R 100 and T 50, errors
        # 10 + 20: (9 + 30) / (25 + 150) = 0.223 (the mean of 9/25 and 30/150: 0.280; every
        # window: (9 + 10 + 30 + 90) / (25 + 10 + 150 + 100) = 0.488)
        "selected_wape": "0.223",
        # on sums: (2 + 3 + 6 + 12) / 175 = 0.131 (the mean of 5/25 and 18/150: 0.160)
        "selected_wape_7d": "0.131",
        "selected_wape_day": "0.200",  # 5 / 25
        "selected_wape_week": "0.120",  # 18 / 150
        "holdout": "2011-03-07",  # the weekly holdout starts first
        "backtest_skus": "4",  # 2 daily + 2 weekly SKUs
    }


def test_the_best_single_model_is_never_a_benchmark(warehouse):
    """Catches the daily run's "Best single: Zero 1.000" (and the auto run's "best single
    Zero" on a group's tile) where every model's daily WAPE is above 1, as it is for slow
    movers day by day: forecasting zero always scores exactly 1. The value-added table on
    the same page compares the benchmarks (zero, naive, seasonal naive) apart and names the
    best single model among the others."""
    rows = [
        ("selected", "all", 4, 1.02, 0.61, 1.1, 0.0, 0.9, 0.8, *HOLDOUT, None, None, 0.8, 0.9),
        ("Zero", "all", 4, 1.0, 1.0, 1.2, -1.0, 0.9, 1.3, *HOLDOUT, *NO_CHOICE),
        ("Naive", "all", 4, 1.01, 0.9, 1.2, 0.0, 0.9, 1.2, *HOLDOUT, *NO_CHOICE),
        ("TSB", "all", 4, 1.05, 0.66, 1.1, 0.0, 0.95, 0.9, *HOLDOUT, *NO_CHOICE),
        ("ADIDA", "all", 4, 1.08, 0.64, 1.1, 0.0, 0.97, 0.85, *HOLDOUT, *NO_CHOICE),
    ]
    # The weekly group's rows: a week is one step of its series, so its WAPE on sums is its
    # WAPE, and every model's is above zero's 1.000 there too.
    weekly = [(m, "all (weekly)", n, wape, wape, *rest) for m, _, n, wape, _, *rest in rows]
    warehouse.insert("orders", ORDERS)
    warehouse.build(*DEMAND_MARTS)
    forecast_tables(warehouse.con, rows, RELIABILITY)
    html = demand(warehouse.con, "shop", GENERATED_AT)
    # the lowest daily WAPE but Zero's 1.000 and Naive's 1.010: TSB
    assert 'data-kpi="best_single_wape"><div class="label">Best single: TSB</div>' in html
    assert tiles(html)["best_single_wape"] == "1.050"
    warehouse.con.execute("delete from forecasts.accuracy_summary")
    forecast_tables(warehouse.con, rows + weekly, [], BACKTEST, BUCKETS, create=False)
    html = demand(warehouse.con, "shop", GENERATED_AT)
    # each group's best on its sums but Zero and Naive: daily ADIDA 0.640, weekly TSB 1.050
    assert "; best single ADIDA 0.640" in html
    assert "; best single TSB 1.050" in html
