"""The daily marts built by day range (incremental/day_build.py) on a few hand-written rows.

Each case builds the marts, changes the raw rows as an export would (a new day, a re-sent
old day, a late cancellation or purchase, a new country, a catalog change), rebuilds
staging, builds the marts again, then checks which days the build recomputed and that
every mart equals a rebuild from scratch row for row.
"""

from datetime import date, datetime

import pytest

from assets.warehouse import SQL_DIR, model_sql
from config.settings import Settings, TrafficSettings
from incremental.daily_marts import DAILY_MARTS
from incremental.day_build import DayBuild, build_daily_mart
from tests.assets.sql import traffic_events

INPUTS = (
    "staging.stg_catalog",
    "staging.stg_order_lines",
    "staging.stg_inventory",
    "staging.stg_feedback",
    "staging.stg_shipments",
    "staging.stg_traffic_events",
    "marts.sessions",
)


def line(order: str, when: str, sku: str, qty: int, customer: str = "c1", **extra) -> dict:
    at = datetime.fromisoformat(when)
    return {
        "order_id": order,
        "ordered_at": at,
        "sku": sku,
        "quantity": qty,
        "unit_price": 5.0,
        "customer_id": customer,
        "country": "United Kingdom",
        "_export_date": at.date(),
        "order_status": "cancelled" if qty < 0 else "placed",
        **extra,
    }


def event(user: str, at: str, name: str, day: str, **extra) -> dict:
    """A raw traffic event with its own id (rows inserted apart share file and line)."""
    return traffic_events.event(user, at, name, day, event_id=f"{user} {day} {at} {name}", **extra)


def build(warehouse, full: bool = False, run_id: str | None = None) -> dict[str, DayBuild]:
    """Rebuild the inputs from raw, then every daily mart (by day range unless `full`), as
    the steps of the Dagster run `run_id` (None: outside a run)."""
    warehouse.build(*INPUTS)
    macros = (SQL_DIR / "macros.sql").read_text()
    return {
        table: build_daily_mart(
            warehouse.con, table, model_sql(*table.split(".")), macros, full, run_id=run_id
        )
        for table in DAILY_MARTS
    }


def snapshot(warehouse) -> dict[str, list[tuple]]:
    return {
        table: warehouse.con.execute(f"select * from {table} order by all").fetchall()
        for table in DAILY_MARTS
    }


def assert_equals_full_rebuild(warehouse) -> None:
    incremental = snapshot(warehouse)
    assert {b.mode for b in build(warehouse, full=True).values()} == {"full"}
    assert snapshot(warehouse) == incremental


@pytest.fixture
def shop(warehouse):
    """Three days of orders and traffic, all marts built once in full."""
    warehouse.insert(
        "orders",
        [
            line("A", "2011-03-01 09:00", "X", 2),
            line("B", "2011-03-02 10:00", "X", 1, customer="c2"),
            line("C", "2011-03-03 11:00", "Y", 3),
        ],
    )
    warehouse.insert(
        "traffic",
        [
            event("u1", "10:00", "add_to_cart", day="2011-03-01", value=5.0),
            event("u2", "12:00", "view_item", day="2011-03-02"),
            event("u2", "12:05", "purchase", day="2011-03-02", value=5.0),
            event("u3", "09:00", "view_item", day="2011-03-03"),
        ],
    )
    assert {b.mode for b in build(warehouse).values()} == {"full"}
    return warehouse


def first_days(builds: dict[str, DayBuild]) -> dict[str, str | None]:
    return {
        table.removeprefix("marts."): (str(b.first_day) if b.first_day else b.mode)
        for table, b in builds.items()
    }


def test_nothing_changed_recomputes_nothing(shop):
    """Catches a build that rewrites days (or the table) although no input changed."""
    builds = build(shop)
    assert {(b.mode, b.rows_written) for b in builds.values()} == {("incremental", 0)}
    assert_equals_full_rebuild(shop)


def test_a_new_day_recomputes_from_that_day_only(shop):
    """Catches a nightly build that recomputes the whole history, or misses the new day."""
    shop.insert("orders", [line("D", "2011-03-04 09:00", "X", 1)])
    shop.insert("traffic", [event("u4", "08:00", "view_item", day="2011-03-04")])
    days = first_days(build(shop))
    # sku_demand_daily reaches back one day: a cancellation reverses a sale of the 24 h before
    assert days == {
        "funnel_daily": "2011-03-04",
        "conversion_daily": "2011-03-04",
        "cart_abandonment_daily": "2011-03-03",  # a purchase recovers carts of the day before
        "orders_daily": "2011-03-04",
        "orders_by_customer_type_daily": "2011-03-04",
        "sku_demand_daily": "2011-03-03",
        "sales_by_sku_daily": "2011-03-04",
        "feedback_daily": "2011-03-04",
        "fulfilment_daily": "2011-03-04",
    }
    assert_equals_full_rebuild(shop)


def test_days_without_input_before_a_new_day_are_written_as_zeros(shop):
    """Catches the closed days between the last built day and a new day left out: the new
    day (03-06) extends every spine over 03-04 and 03-05, which hold no input rows."""
    shop.insert("orders", [line("D", "2011-03-06 09:00", "X", 1)])
    shop.insert("traffic", [event("u4", "08:00", "view_item", day="2011-03-06")])
    days = first_days(build(shop))
    assert days["orders_daily"] == "2011-03-04" and days["funnel_daily"] == "2011-03-04"
    closed = "select visitors from marts.funnel_daily where day = '2011-03-05'"
    assert shop.con.execute(closed).fetchall() == [(0,)] * 4  # two scopes, two funnels
    assert_equals_full_rebuild(shop)


def test_a_re_sent_old_day_is_recomputed_with_every_later_day(shop):
    """Catches a re-sent old day left as it was, and a later day that depends on it (c1's
    order of 03-03 turns returning only because of the earlier order re-sent on 03-01)."""
    shop.con.execute("delete from raw.orders where order_id = 'A'")
    shop.con.execute("delete from raw.traffic_events where user_id = 'u2'")
    first = build(shop)
    assert first_days(first)["orders_daily"] == "2011-03-01"
    returning = "select returning_customers from marts.orders_daily where day = '2011-03-03'"
    assert shop.con.execute(returning).fetchall() == [(0,)]
    shop.insert("orders", [line("A", "2011-03-01 09:00", "X", 2, _export_date=date(2011, 3, 4))])
    shop.insert("traffic", [event("u2", "12:05", "purchase", day="2011-03-02", value=5.0)])
    days = first_days(build(shop))
    assert days["orders_daily"] == "2011-03-01" and days["funnel_daily"] == "2011-03-02"
    assert shop.con.execute(returning).fetchall() == [(1,)]
    assert_equals_full_rebuild(shop)


def test_a_late_first_order_turns_the_customers_later_orders_returning(shop):
    """Catches marts.orders_by_customer_type_daily keeping a customer's later orders as
    'new' after an earlier first order arrives late (c1's order of 03-03 was new while
    order A of 03-01 was missing; A re-sent makes it returning), and a guest order (no
    customer key) counted as new or returning."""
    shop.con.execute("delete from raw.orders where order_id = 'A'")
    build(shop)
    by_type = (
        "select day, customer_type, sum(orders) from marts.orders_by_customer_type_daily"
        " where orders > 0 group by all order by all"
    )
    assert shop.con.execute(by_type).fetchall() == [
        (date(2011, 3, 2), "new", 1),
        (date(2011, 3, 3), "new", 1),
    ]
    shop.insert(
        "orders",
        [
            line("A", "2011-03-01 09:00", "X", 2, _export_date=date(2011, 3, 4)),
            line("G", "2011-03-04 09:00", "X", 1, customer=None),
        ],
    )
    days = first_days(build(shop))
    assert days["orders_by_customer_type_daily"] == "2011-03-01"
    assert shop.con.execute(by_type).fetchall() == [
        (date(2011, 3, 1), "new", 1),
        (date(2011, 3, 2), "new", 1),
        (date(2011, 3, 3), "returning", 1),
        (date(2011, 3, 4), "guest", 1),
    ]
    totals = (
        "select sum(orders), sum(units), sum(net_sales) from marts.orders_by_customer_type_daily"
    )
    assert (
        shop.con.execute(totals).fetchall()
        == shop.con.execute(
            totals.replace("orders_by_customer_type_daily", "orders_daily")
        ).fetchall()
    )
    assert_equals_full_rebuild(shop)


def test_a_late_cancellation_reaches_back_to_the_sale_of_the_day_before(shop):
    """Catches the window's edge day missed: a cancellation of 03-04 01:00 reverses the sale
    of 03-03 11:00, whose day's demand must be recomputed though its lines did not change."""
    shop.insert("orders", [line("CY", "2011-03-04 01:00", "Y", -3)])
    builds = build(shop)
    assert str(builds["marts.sku_demand_daily"].first_day) == "2011-03-03"
    demand = shop.con.execute(
        "select demand_units from marts.sku_demand_daily where sku = 'Y' and day = '2011-03-03'"
    ).fetchall()
    assert demand == [(0,)]
    assert_equals_full_rebuild(shop)


def test_a_late_purchase_recovers_the_cart_of_the_day_before(shop):
    """Catches the window's edge day missed: u1's cart of 03-01 10:00 is recovered by a
    purchase in the 24 h window, on 03-02 09:00; only the purchase's day has new events."""
    shop.insert("traffic", [event("u1", "09:00", "purchase", day="2011-03-02", value=5.0)])
    builds = build(shop)
    assert str(builds["marts.cart_abandonment_daily"].first_day) == "2011-03-01"
    recovered = shop.con.execute(
        "select carts_abandoned_in_window from marts.cart_abandonment_daily where day = '2011-03-01'"
    ).fetchall()
    assert recovered == [(0,)]
    assert_equals_full_rebuild(shop)


def test_a_removed_last_day_shortens_every_spine(shop):
    """Catches days left behind after the last day's rows vanished (a re-export emptied it)."""
    shop.con.execute("delete from raw.orders where order_id = 'C'")
    shop.con.execute("delete from raw.traffic_events where user_id = 'u3'")
    builds = build(shop)
    assert {b.mode for b in builds.values()} == {"incremental"}
    last = shop.con.execute("select max(day) from marts.orders_daily").fetchall()
    assert last == [(date(2011, 3, 2),)]
    assert_equals_full_rebuild(shop)


def test_a_new_country_rebuilds_orders_daily_in_full(shop):
    """Catches earlier days without the zero rows of a country first seen in a new day."""
    shop.insert("orders", [line("D", "2011-03-04 09:00", "X", 1, country="France")])
    builds = build(shop)
    assert builds["marts.orders_daily"].mode == "full"
    assert "country" in builds["marts.orders_daily"].reason
    assert builds["marts.sales_by_sku_daily"].mode == "incremental"
    assert_equals_full_rebuild(shop)


def test_a_catalog_change_rebuilds_sales_by_sku_in_full(shop):
    """Catches a category changed in the catalog but kept on the days already built, and a
    full rebuild every night a new catalog snapshot arrives unchanged."""
    shop.insert("catalog", [{"sku": "X", "category": "Mugs", "_export_date": date(2011, 3, 4)}])
    builds = build(shop)
    assert builds["marts.sales_by_sku_daily"].mode == "full"
    assert builds["marts.sales_by_sku_daily"].reason == "a whole-table input changed"
    assert_equals_full_rebuild(shop)
    # the next night's snapshot names the same categories: nothing to rebuild
    shop.insert("catalog", [{"sku": "X", "category": "Mugs", "_export_date": date(2011, 3, 5)}])
    assert build(shop)["marts.sales_by_sku_daily"].rows_written == 0


def test_a_late_shipment_recomputes_its_order_day(shop):
    """Catches a shipment dated by when it shipped (03-05) instead of its order's day (03-01)."""
    shop.insert(
        "shipments",
        [
            {
                "order_id": "A",
                "shipped_at": datetime(2011, 3, 5, 8),
                "delivered_at": None,
                "promised_date": date(2011, 3, 8),
                "carrier": "DHL",
                "region": "North",
                "_export_date": date(2011, 3, 5),
            }
        ],
    )
    builds = build(shop)
    assert str(builds["marts.fulfilment_daily"].first_day) == "2011-03-01"
    shipped = shop.con.execute("select day, orders_shipped from marts.fulfilment_daily").fetchall()
    assert shipped == [(date(2011, 3, 1), 1)]
    assert_equals_full_rebuild(shop)


def test_a_table_written_outside_its_build_or_a_changed_setting_rebuilds_in_full(shop):
    """Catches stale rows trusted after another writer changed the table, and rows kept
    after a setting the model reads (the recovery window) changed."""
    shop.con.execute("delete from marts.funnel_daily where day = '2011-03-01'")
    assert build(shop)["marts.funnel_daily"].mode == "full"
    shop.settings = Settings(traffic=TrafficSettings(cart_recovery_window_hours=2))
    builds = build(shop)
    assert {b.mode for b in builds.values()} == {"full"}


def test_a_build_records_the_days_it_wrote(shop):
    """Catches checks told the wrong rows: a build by day range names the days it rewrote,
    a full build the whole table."""
    shop.insert("orders", [line("D", "2011-03-04 09:00", "X", 1)])
    build(shop)
    written = shop.con.execute(
        "select w.whole, list(d.day order by d.day) from build_state.written as w "
        "left join build_state.written_days as d using (write_id) "
        "where w.table_name = 'marts.orders_daily' group by w.write_id, w.whole "
        "order by w.write_id"
    ).fetchall()
    assert written[0][0] is True  # the first build, in full
    assert written[-1] == (False, [date(2011, 3, 4)])


def test_the_marts_of_one_run_fingerprint_an_input_once_and_a_new_run_reads_it_again(shop):
    """Catches each mart of a run reading every row of a shared input again (three marts
    read marts.sessions and five staging.stg_order_lines through one query each), and a
    later run reusing what an earlier run kept, so that the day it re-sent goes unseen.
    Read once, an input's query keeps one fingerprint per day, for the current run only."""
    kept = (
        "select input, count(*) = count(distinct day), string_agg(distinct run_id) "
        "from build_state.run_input_days group by input, query order by all"
    )
    build(shop, run_id="night 1")
    first = shop.con.execute(kept).fetchall()
    assert ("marts.sessions", True, "night 1") in first
    assert {(once, run) for _, once, run in first} == {(True, "night 1")}
    shop.con.execute("delete from raw.orders where order_id = 'A'")
    shop.con.execute("delete from raw.traffic_events where user_id = 'u2'")
    assert first_days(build(shop, run_id="night 2"))["orders_daily"] == "2011-03-01"
    assert {(once, run) for _, once, run in shop.con.execute(kept).fetchall()} == {
        (True, "night 2")
    }
    assert_equals_full_rebuild(shop)
