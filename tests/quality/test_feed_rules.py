"""Cross-table and freshness rules on small exact tables."""

import datetime as dt

import duckdb
import pytest

from contract.exports import KINDS
from contract.feeds import UNLOCKS, missing_feed_line, missing_feeds
from quality.feed_rules import (
    customer_types_add_up,
    export_freshness,
    inventory_staleness,
    quarantine_share,
    sessions_cover_orders,
)

D = dt.date


@pytest.fixture
def con():
    connection = duckdb.connect()
    for schema in ("marts", "staging", "quality"):
        connection.execute(f"create schema {schema}")
    yield connection
    connection.close()


def _table(con, name, columns, rows):
    con.execute(f"create or replace table {name} ({columns})")
    if rows:
        con.executemany(f"insert into {name} values ({', '.join('?' * len(rows[0]))})", rows)


def _marts(con, sessions, orders):
    _table(con, "marts.conversion_daily", "day date, device varchar, sessions bigint", sessions)
    _table(con, "marts.orders_daily", "day date, country varchar, orders bigint", orders)


def test_sessions_cover_orders_compares_total_sessions_with_all_orders(con):
    # Day 2: 3 sessions across devices, 3 orders across countries (one session may buy twice).
    _marts(
        con,
        [(D(2024, 1, 1), "mobile", 5), (D(2024, 1, 2), "mobile", 1), (D(2024, 1, 2), "desktop", 2)],
        [(D(2024, 1, 1), "UK", 2), (D(2024, 1, 2), "UK", 2), (D(2024, 1, 2), "FR", 1)],
    )
    gate = sessions_cover_orders(con)
    assert gate.passed and gate.evidence == {"compared_days": 2, "short_days": 0}


def test_a_day_without_traffic_fails_and_days_before_the_feed_are_not_compared(con):
    _marts(
        con,
        [(D(2024, 1, 2), "mobile", 4), (D(2024, 1, 4), "mobile", 1)],
        # 1 Jan is before the first traffic day; 3 Jan has no traffic; 4 Jan has too little.
        [
            (D(2024, 1, 1), "UK", 9),
            (D(2024, 1, 2), "UK", 4),
            (D(2024, 1, 3), "UK", 3),
            (D(2024, 1, 4), "UK", 2),
        ],
    )
    gate = sessions_cover_orders(con)
    assert not gate.passed
    assert gate.evidence == {"compared_days": 3, "short_days": 2}
    assert gate.examples.to_dicts() == [
        {"day": D(2024, 1, 3), "sessions": 0, "orders": 3},
        {"day": D(2024, 1, 4), "sessions": 1, "orders": 2},
    ]


def test_no_traffic_feed_at_all_passes(con):
    _marts(con, [], [(D(2024, 1, 1), "UK", 9)])
    assert sessions_cover_orders(con).evidence == {"compared_days": 0, "short_days": 0}


def _stock_and_orders(con, snapshot_days, order_days):
    _table(
        con,
        "staging.stg_inventory",
        "snapshot_date date, sku varchar, on_hand bigint",
        [(d, "A", 1) for d in snapshot_days],
    )
    _table(con, "staging.stg_order_lines", "order_date date", [(d,) for d in order_days])


def test_inventory_staleness_allows_the_set_age_and_no_more(con):
    _stock_and_orders(con, [D(2024, 1, 1), D(2024, 1, 8)], [D(2024, 1, 9), D(2024, 1, 10)])
    assert inventory_staleness(con, 2).passed
    gate = inventory_staleness(con, 1)
    assert not gate.passed
    assert gate.evidence == {
        "newest_snapshot": "2024-01-08",
        "newest_order_day": "2024-01-10",
        "max_age_days": 1,
        "age_days": 2,
    }
    assert "inventory/2024-01-10.csv" in gate.description


def test_a_shop_that_counts_stock_weekly_is_told_the_setting_a_stopped_feed_is_not(con):
    """Catches a stale-stock failure that only says "export today's snapshot" to a shop
    that counts weekly (its every run would fail), or one that offers the setting to a
    shop whose daily feed stopped (its stock really is stale)."""
    weekly = [D(2024, 1, 1), D(2024, 1, 8), D(2024, 1, 15)]
    _stock_and_orders(con, weekly, [D(2024, 1, 19)])
    gate = inventory_staleness(con, 2)
    assert not gate.passed
    assert gate.description.endswith(
        "export inventory/2024-01-19.csv before ordering stock; or, as this shop counts stock "
        "every 7 days, set quality.inventory_max_age_days: 7 in the settings file"
    )

    daily_then_stopped = [D(2024, 1, d) for d in range(1, 16)]
    _stock_and_orders(con, daily_then_stopped, [D(2024, 1, 19)])
    gate = inventory_staleness(con, 2)
    assert not gate.passed
    assert gate.description.endswith("export inventory/2024-01-19.csv before ordering stock")


def test_an_inventory_feed_never_provided_is_not_judged(con):
    # Bug caught: an orders-only shop failed its run on "no inventory snapshot loaded".
    _stock_and_orders(con, [], [D(2024, 1, 10)])
    _table(con, "quality.load_log", "kind varchar, export_date date", [("orders", D(2024, 1, 10))])
    gate = inventory_staleness(con, 2)
    assert gate.passed and "No inventory feed: drop inventory/" in gate.description


def test_inventory_files_loaded_without_a_snapshot_fail(con):
    # Bug caught: a broken inventory feed (files loaded, nothing usable) passing as "not sent".
    _stock_and_orders(con, [], [D(2024, 1, 10)])
    _table(
        con,
        "quality.load_log",
        "kind varchar, export_date date",
        [("orders", D(2024, 1, 10)), ("inventory", D(2024, 1, 10))],
    )
    gate = inventory_staleness(con, 2)
    assert not gate.passed and "no inventory snapshot" in gate.description


def _load_log(con, rows, reasons):
    _table(
        con,
        "quality.load_log",
        "kind varchar, export_date date, rows_read bigint, rows_quarantined bigint",
        rows,
    )
    _table(
        con,
        "quality.quarantine",
        "kind varchar, export_date date, file varchar, line bigint, column_name varchar,"
        " reason varchar",
        reasons,
    )


def test_quarantine_share_is_over_the_runs_days_with_the_top_reasons(con):
    _load_log(
        con,
        [
            ("inventory", D(2024, 1, 1), 100, 0),
            ("inventory", D(2024, 1, 2), 100, 12),
            ("inventory", D(2024, 1, 3), 100, 90),
            ("orders", D(2024, 1, 2), 100, 50),
        ],
        [
            ("inventory", D(2024, 1, 2), "inventory/2024-01-02.csv", line, "on_hand", "negative")
            for line in range(30, 20, -1)
        ]
        + [("inventory", D(2024, 1, 2), "inventory/2024-01-02.csv", 7, "sku", "missing")] * 2,
    )
    gate = quarantine_share(con, "inventory", D(2024, 1, 1), D(2024, 1, 2), 0.05)
    assert not gate.passed
    assert gate.evidence["rows_read"] == 200 and gate.evidence["rows_quarantined"] == 12
    assert gate.evidence["share"] == 0.06
    # each reason comes with its first row to open: the file and the lowest line
    assert gate.examples.to_dicts() == [
        {
            "column_name": "on_hand",
            "reason": "negative",
            "rows": 10,
            "example": "inventory/2024-01-02.csv:21",
        },
        {
            "column_name": "sku",
            "reason": "missing",
            "rows": 2,
            "example": "inventory/2024-01-02.csv:7",
        },
    ]
    assert "most often 'negative' (10 rows, e.g. inventory/2024-01-02.csv:21)" in gate.description
    assert quarantine_share(con, "inventory", D(2024, 1, 1), D(2024, 1, 2), 0.06).passed
    assert (
        quarantine_share(con, "catalog", D(2024, 1, 1), D(2024, 1, 2), 0.05).evidence["share"]
        == 0.0
    )


def test_export_freshness_measures_the_lag_behind_the_orders_export(con):
    _load_log(
        con,
        [
            ("orders", D(2024, 1, 10), 1, 0),
            ("traffic", D(2024, 1, 7), 1, 0),
            ("catalog", D(2023, 6, 1), 1, 0),
        ],
        [],
    )
    gate = export_freshness(con, "traffic", 1)
    assert not gate.passed
    assert (
        gate.evidence["newest_export_day"] == "2024-01-07"
        and gate.evidence["days_behind_orders"] == 3
    )
    # The allowed lag is inclusive: 3 days behind passes with 3 allowed, fails with 2.
    assert export_freshness(con, "traffic", 3).passed
    late = export_freshness(con, "traffic", 2)
    assert not late.passed and late.description == (
        "newest traffic export 2024-01-07 is 3 days behind the newest orders export "
        "2024-01-10 (allowed 2); check the traffic export job"
    )
    catalog = export_freshness(con, "catalog", None)
    assert catalog.passed and catalog.evidence["days_behind_orders"] == 223
    assert catalog.description.endswith("; not judged (no allowed lag set)")
    # Never provided is not stale: it passes and names the feed to drop in.
    never = export_freshness(con, "feedback", 7)
    assert never.passed and never.description.startswith("not judged: No feedback feed")


def test_every_export_kind_says_what_it_unlocks(con):
    # Bug caught: a new export kind without a missing-feed line would crash every page.
    assert set(UNLOCKS) == set(KINDS)
    assert missing_feed_line("catalog").startswith("No catalog feed: drop catalog/YYYY-MM-DD.csv")
    assert missing_feeds(con) == list(KINDS)  # no quality.load_log yet: nothing ever loaded
    _table(con, "quality.load_log", "kind varchar", [("orders",), ("feedback",)])
    assert missing_feeds(con) == ["traffic", "inventory", "catalog", "shipments"]


def test_export_freshness_says_ahead_not_minus_days_behind(con):
    """Catches "-2 days behind": a feed whose newest file is newer than the orders file."""
    _load_log(con, [("orders", D(2024, 1, 10), 1, 0), ("traffic", D(2024, 1, 12), 1, 0)], [])
    gate = export_freshness(con, "traffic", 1)
    assert gate.passed and gate.description == (
        "newest traffic export 2024-01-12, 2 days ahead of the newest orders export"
    )


def test_customer_types_add_up_to_orders_daily_or_the_day_is_named(con):
    """Catches a split by customer type that loses or doubles a line (a guest order left
    out, a customer counted under two types): the same page would show two order counts."""
    _table(
        con,
        "marts.orders_daily",
        "day date, country varchar, orders bigint, units bigint, net_sales double",
        [(D(2024, 1, 1), "UK", 3, 5, 30.0), (D(2024, 1, 2), "UK", 1, 1, 10.0)],
    )
    by_type = [
        (D(2024, 1, 1), "UK", "new", 2, 3, 20.0),
        (D(2024, 1, 1), "UK", "guest", 1, 2, 10.0),
        (D(2024, 1, 2), "UK", "returning", 1, 1, 10.0),
    ]
    columns = "day date, country varchar, customer_type varchar, orders bigint, units bigint"
    _table(con, "marts.orders_by_customer_type_daily", columns + ", net_sales double", by_type)
    gate = customer_types_add_up(con)
    assert gate.passed and gate.evidence == {"compared_rows": 2, "differing_rows": 0}
    _table(con, "marts.orders_by_customer_type_daily", columns + ", net_sales double", by_type[::2])
    gate = customer_types_add_up(con)
    assert not gate.passed and gate.evidence == {"compared_rows": 2, "differing_rows": 1}
    assert "2024-01-01, UK" in gate.description


def test_stock_with_no_orders_yet_is_not_stale(con):
    """Bug caught: a shop whose inventory arrives before its first order failing the
    staleness check (there is no order day to be behind)."""
    _stock_and_orders(con, [D(2024, 1, 1)], [])
    gate = inventory_staleness(con, 2)
    assert (
        gate.passed and gate.description == "newest snapshot 2024-01-01; no orders to compare with"
    )


def test_the_first_differing_day_and_country_are_named(con):
    """Catches: the description naming the last example's day or country (a day and a
    country that may not even differ together), not the first differing row's."""
    columns = "day date, country varchar, orders bigint, units bigint, net_sales double"
    _table(
        con,
        "marts.orders_daily",
        columns,
        [(D(2024, 1, 1), "DE", 2, 2, 20.0), (D(2024, 1, 2), "UK", 2, 2, 20.0)],
    )
    _table(
        con,
        "marts.orders_by_customer_type_daily",
        "day date, country varchar, customer_type varchar, orders bigint, units bigint, "
        "net_sales double",
        [(D(2024, 1, 1), "DE", "new", 1, 1, 10.0), (D(2024, 1, 2), "UK", "new", 1, 1, 10.0)],
    )
    gate = customer_types_add_up(con)
    assert gate.evidence["differing_rows"] == 2
    assert "(e.g. 2024-01-01, DE)" in gate.description


@pytest.mark.parametrize(
    ("snapshot_day", "description"),
    [
        (D(2024, 1, 10), "newest snapshot 2024-01-10 is 0 days older than the newest order day"),
        # Stock counted after the last order day is as fresh as it gets, not -2 days old.
        (D(2024, 1, 12), "newest snapshot 2024-01-12 is 0 days older than the newest order day"),
    ],
)
def test_a_snapshot_on_or_after_the_newest_order_day_is_zero_days_old(
    con, snapshot_day, description
):
    """Catches: an age floored at 1 (a same-day snapshot failing a shop that allows 0
    days) or at -1 (a snapshot newer than the orders reported as -1 days old)."""
    _stock_and_orders(con, [snapshot_day], [D(2024, 1, 10)])
    gate = inventory_staleness(con, 0)
    assert (gate.passed, gate.evidence["age_days"], gate.description) == (True, 0, description)


def test_a_passing_share_shows_its_reasons_only_when_rows_were_quarantined(con):
    """Catches: a passing quarantine share that hides the reasons of the rows it did
    quarantine (or shows an empty table when none were), and a share recorded to other
    than six decimals."""
    _load_log(
        con,
        [("orders", D(2024, 1, 1), 3, 1), ("traffic", D(2024, 1, 1), 3, 0)],
        [("orders", D(2024, 1, 1), "orders/2024-01-01.csv", 2, "price", "not a number")],
    )
    some = quarantine_share(con, "orders", D(2024, 1, 1), D(2024, 1, 1), 0.5)
    assert some.passed and some.evidence["share"] == 0.333333
    assert some.examples.to_dicts() == [
        {
            "column_name": "price",
            "reason": "not a number",
            "rows": 1,
            "example": "orders/2024-01-01.csv:2",
        }
    ]
    none = quarantine_share(con, "traffic", D(2024, 1, 1), D(2024, 1, 1), 0.5)
    assert none.passed and none.examples is None


@pytest.mark.parametrize(
    ("traffic_day", "behind"),
    [
        (D(2024, 1, 10), "0 days behind the newest orders export"),
        (D(2024, 1, 11), "1 days ahead of the newest orders export"),
    ],
)
def test_export_freshness_says_ahead_only_for_a_newer_feed(con, traffic_day, behind):
    """Catches: a feed of the same day as the orders called "0 days ahead", or one a day
    newer called "-1 days behind" (the boundary of ahead moved by one)."""
    _load_log(con, [("orders", D(2024, 1, 10), 1, 0), ("traffic", traffic_day, 1, 0)], [])
    gate = export_freshness(con, "traffic", 1)
    assert gate.passed and gate.description == f"newest traffic export {traffic_day}, {behind}"
