"""orders_daily, sales_by_sku_daily, customers, customer_rates_monthly and cohort_retention
on a small shop whose every number is worked out by hand below."""

from datetime import date, datetime, timedelta

import pytest

from quality.suites import SUITES
from quality.table_rules import key_violations, null_counts
from quality.validate import validate
from warehouse.frames import query

MODELS = (
    "staging.stg_catalog",
    "staging.stg_order_lines",
    "marts.orders_daily",
    "marts.sales_by_sku_daily",
    "marts.customer_clv",
    "marts.customers",
    "marts.customer_rates_monthly",
    "marts.cohort_retention",
)


def line(
    order: str,
    when: str,
    sku: str,
    qty: int,
    price: float,
    customer: str | None,
    country: str = "United Kingdom",
    status: str | None = "placed",
    **extra,
) -> dict:
    at = datetime.fromisoformat(when)
    return {
        "order_id": order,
        "ordered_at": at,
        "sku": sku,
        "quantity": qty,
        "unit_price": price,
        "customer_id": customer,
        "country": country,
        "order_status": status,
        "_export_date": at.date(),
        **extra,
    }


@pytest.fixture
def shop(warehouse):
    warehouse.insert(
        "catalog",
        [
            {
                "sku": "X",
                "unit_cost": 2.0,
                "lead_time_days": 5,
                "category": "Mugs",
                "_export_date": date(2011, 1, 1),
            },
        ],
    )
    warehouse.insert(
        "orders",
        [
            line("J", "2011-01-10 10:00", "X", 1, 10.0, "c5"),  # c5: one order, Jan cohort
            line("O0", "2011-02-20 10:00", "X", 1, 10.0, "c1"),  # c1's first order, before March
            line("A", "2011-03-03 09:00", "X", 2, 5.0, "c1"),
            line("A", "2011-03-03 09:00", "Y", 1, 10.0, "c1"),
            line(
                "C1", "2011-03-03 15:00", "X", -1, 5.0, "c1", status="cancelled"
            ),  # Online Retail C-invoice
            line("B", "2011-03-03 11:00", "Y", 1, 10.0, "c2", "France", discount=1.0),
            line("F", "2011-03-04 12:00", "Y", 1, 10.0, "c4"),
            line(
                "R", "2011-03-05 10:00", "Y", -1, 10.0, "c2", "France", status=None
            ),  # negative line: a return
            line(
                "S", "2011-03-05 11:00", "X", 3, 5.0, "c3", status="cancelled"
            ),  # Shopify-style cancelled order
            line("M1", "2011-03-05 12:00", "M", -1, 2.0, None),  # manual adjustment, still 'placed'
            line("E", "2011-03-06 10:00", "X", 1, 5.0, "c2", "France"),
        ],
    )
    warehouse.build(*MODELS)
    return warehouse


def test_orders_daily_splits_returns_cancellations_and_adjustments(shop):
    rows = {(r["day"], r["country"]): r for r in shop.rows("select * from marts.orders_daily")}
    uk, fr = "United Kingdom", "France"
    a = rows[(date(2011, 3, 3), uk)]
    assert (a["orders"], a["order_lines"], a["units"], a["customers"]) == (1, 2, 3, 1)
    assert (a["gross_sales"], a["discounts"], a["cancelled_sales"], a["returned_sales"]) == (
        20,
        0,
        5,
        0,
    )
    assert (a["cancellations"], a["net_sales"], a["aov"], a["cancelled_orders"]) == (5, 15, 20, 1)
    b = rows[(date(2011, 3, 3), fr)]
    assert (b["gross_sales"], b["discounts"], b["net_sales"], b["aov"]) == (10, 1, 9, 9)
    returned = rows[(date(2011, 3, 5), fr)]
    assert (
        returned["orders"],
        returned["returned_sales"],
        returned["returned_orders"],
        returned["net_sales"],
    ) == (0, 10, 1, -10)
    assert returned["aov"] is None
    other = rows[(date(2011, 3, 5), uk)]
    # S was cancelled whole: counted as a cancelled order, never as a sale, so it moves no money
    assert (
        other["orders"],
        other["cancelled_orders"],
        other["cancelled_sales"],
        other["adjustments"],
    ) == (0, 1, 0, 2)
    assert (other["cancellations"], other["net_sales"]) == (2, -2)
    total = shop.rows("select sum(net_sales) as n, sum(orders) as o from marts.orders_daily")[0]
    assert (total["n"], total["o"]) == (10 + 10 + 15 + 9 + 10 - 10 - 2 + 5, 6)  # J O0 A B F E


def test_orders_daily_is_a_day_by_country_spine(shop):
    rows = shop.rows("select day, country, orders, net_sales from marts.orders_daily")
    days = {r["day"] for r in rows}
    assert days == {date(2011, 1, 10) + timedelta(d) for d in range(56)}  # 2011-01-10 .. 2011-03-06
    assert len(rows) == 56 * 2  # every day for both countries seen
    empty = [r for r in rows if r["day"] == date(2011, 2, 1)]
    assert [(r["orders"], r["net_sales"]) for r in empty] == [(0, 0), (0, 0)]


def test_new_and_returning_customers_per_day(shop):
    rows = {(r["day"], r["country"]): r for r in shop.rows("select * from marts.orders_daily")}
    # c1 ordered on 02-20, so on 03-03 returns; c2 is new on 03-03 and returning on 03-06
    assert (
        rows[(date(2011, 3, 3), "United Kingdom")]["new_customers"],
        rows[(date(2011, 3, 3), "United Kingdom")]["returning_customers"],
    ) == (0, 1)
    assert (
        rows[(date(2011, 3, 3), "France")]["new_customers"],
        rows[(date(2011, 3, 3), "France")]["returning_customers"],
    ) == (1, 0)
    assert (
        rows[(date(2011, 3, 6), "France")]["new_customers"],
        rows[(date(2011, 3, 6), "France")]["returning_customers"],
    ) == (0, 1)
    assert rows[(date(2011, 2, 20), "United Kingdom")]["new_customers"] == 1


def test_sales_by_sku_daily_reconciles_with_orders_daily(shop):
    rows = shop.rows("select * from marts.sales_by_sku_daily")
    by_sku = {}
    for r in rows:
        by_sku.setdefault(r["sku"], []).append(r)
    assert {s: len(v) for s, v in by_sku.items()} == {
        "X": 56,
        "Y": 4,
        "M": 2,
    }  # first sale day .. last day
    x = {r["day"]: r for r in by_sku["X"]}[date(2011, 3, 3)]
    assert (x["category"], x["units"], x["gross_sales"], x["net_sales"], x["orders"]) == (
        "Mugs",
        2,
        10,
        5,
        1,
    )
    assert {r["category"] for r in by_sku["Y"]} == {"Uncategorised"}
    assert by_sku["M"][0]["is_product"] is False
    total = shop.rows("select sum(net_sales) as n from marts.sales_by_sku_daily")[0]["n"]
    assert total == shop.rows("select sum(net_sales) as n from marts.orders_daily")[0]["n"]


def test_customers_gain_repeat_flag_and_cohort_month(shop):
    rows = shop.rows(
        "select orders, is_repeat_customer, first_order_month, rfm_segment = 'No purchase in the data'"
        " as no_purchase from marts.customers order by first_order_date nulls last"
    )
    assert [r.pop("no_purchase") for r in rows] == [False, False, False, False, True]
    # c3 only has a cancelled order: kept, with no purchase, no cohort and no RFM score
    assert rows == [
        {"orders": 1, "is_repeat_customer": False, "first_order_month": date(2011, 1, 1)},  # c5
        {"orders": 2, "is_repeat_customer": True, "first_order_month": date(2011, 2, 1)},  # c1
        {"orders": 2, "is_repeat_customer": True, "first_order_month": date(2011, 3, 1)},  # c2
        {"orders": 1, "is_repeat_customer": False, "first_order_month": date(2011, 3, 1)},  # c4
        {"orders": 0, "is_repeat_customer": False, "first_order_month": None},  # c3
    ]


def test_returning_customer_rate_is_shopifys_and_repeat_rate_is_within_the_month(shop):
    months = {r["month"]: r for r in shop.rows("select * from marts.customer_rates_monthly")}
    assert list(months) == [date(2011, 1, 1), date(2011, 2, 1), date(2011, 3, 1)]
    march = months[date(2011, 3, 1)]
    # c1 (first order in February), c2 (two orders in March), c4 (one order)
    assert (march["customers"], march["new_customers"], march["returning_customers"]) == (3, 2, 1)
    assert march["returning_customer_rate"] == pytest.approx(
        2 / 3
    )  # c1 and c2 have 2+ orders by month end
    assert march["repeat_purchase_rate"] == pytest.approx(
        1 / 3
    )  # only c2 ordered twice inside March
    assert (march["customers_to_date"], march["repeat_customers_to_date"]) == (4, 2)
    assert march["cumulative_repeat_purchase_rate"] == pytest.approx(0.5)
    feb = months[date(2011, 2, 1)]
    assert (
        feb["customers"],
        feb["returning_customer_rate"],
        feb["cumulative_repeat_purchase_rate"],
    ) == (1, 0, 0)


def test_cohort_retention_is_zero_filled(shop):
    rows = [
        (
            r["cohort_month"].month,
            r["months_since_acquisition"],
            r["cohort_customers"],
            r["active_customers"],
            r["retention_rate"],
            r["revenue"],
            r["revenue_per_customer"],
        )
        for r in shop.rows("select * from marts.cohort_retention")
    ]
    assert rows == [
        (1, 0, 1, 1, 1.0, 10, 10),
        (1, 1, 1, 0, 0.0, 0, 0),
        (1, 2, 1, 0, 0.0, 0, 0),
        (2, 0, 1, 1, 1.0, 10, 10),
        (2, 1, 1, 1, 1.0, 15, 15),  # A 20 less the cancelled line 5
        (3, 0, 2, 2, 1.0, 14, 7),  # c2: 9 - 10 returned + 5; c4: 10
    ]


def suite_failures(warehouse, table: str) -> list[str]:
    """Why `table` fails its quality suite (key, not-null, GX rules); empty when it passes."""
    suite = SUITES[table]
    gates = [
        key_violations(warehouse.con, table, suite.key),
        null_counts(warehouse.con, table, suite.not_null, suite.key),
    ]
    failed = [g.description for g in gates if not g.passed]
    frame = query(warehouse.con, f"select * from {table}")
    result = validate(frame, table, suite.rules(), key=suite.key)
    return failed if result.success else [*failed, result.summary()]


@pytest.mark.parametrize(
    "table",
    [
        "marts.orders_daily",
        "marts.sales_by_sku_daily",
        "marts.customers",
        "marts.customer_rates_monthly",
        "marts.cohort_retention",
    ],
)
def test_order_marts_pass_their_quality_suites(shop, table):
    assert suite_failures(shop, table) == []


def test_cohort_suite_catches_a_retention_above_one(shop):
    shop.con.execute(
        "update marts.cohort_retention set active_customers = 2, retention_rate = 2.0 "
        "where cohort_month = date '2011-02-01' and months_since_acquisition = 1"
    )
    assert len(suite_failures(shop, "marts.cohort_retention")) == 1
