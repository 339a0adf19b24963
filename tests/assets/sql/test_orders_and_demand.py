"""orders_daily, sku_demand_daily and customers on a few hand-written order lines."""

from datetime import date, datetime

import pytest

MODELS = (
    "staging.stg_catalog",
    "staging.stg_order_lines",
    "staging.stg_inventory",
    "marts.orders_daily",
    "marts.sku_demand_daily",
    "marts.customer_clv",
    "marts.customers",
)


def line(
    order: str, when: str, sku: str, qty: int, price: float, customer: str | None = "c1", **extra
) -> dict:
    at = datetime.fromisoformat(when)
    return {
        "order_id": order,
        "ordered_at": at,
        "sku": sku,
        "quantity": qty,
        "unit_price": price,
        "customer_id": customer,
        "country": "United Kingdom",
        "_export_date": at.date(),
        "order_status": "cancelled" if order.startswith("C") else "placed",
        **extra,
    }


@pytest.fixture
def shop(warehouse):
    # Thu 2011-03-03, Fri 03-04, (Sat 03-05 closed), Sun 03-06
    warehouse.insert(
        "orders",
        [
            line("A", "2011-03-03 09:00", "X", 2, 5.0, customer_email="ann@example.com"),
            line("A", "2011-03-03 09:00", "Y", 1, 10.0),
            line("C1", "2011-03-03 15:00", "X", -1, 5.0),
            line("B", "2011-03-04 11:00", "POST", 1, 15.0, customer="c2"),
            line("D", "2011-03-06 10:00", "X", 4, 5.0, customer=None, discount=2.0),
        ],
    )
    warehouse.insert(
        "inventory",
        [
            {
                "snapshot_date": date(2011, 3, 4),
                "sku": "X",
                "on_hand": 0,
                "_export_date": date(2011, 3, 4),
            },
        ],
    )
    warehouse.build(*MODELS)
    return warehouse


def test_orders_daily_money(shop):
    days = {r["day"]: r for r in shop.rows("select * from marts.orders_daily")}
    first = days[date(2011, 3, 3)]
    assert (first["orders"], first["units"], first["customers"]) == (1, 3, 1)
    assert first["gross_sales"] == pytest.approx(20.0)
    assert first["cancellations"] == pytest.approx(5.0)
    assert first["net_sales"] == pytest.approx(15.0)
    assert first["aov"] == pytest.approx(20.0)
    sunday = days[date(2011, 3, 6)]
    assert sunday["discounts"] == pytest.approx(2.0) and sunday["net_sales"] == pytest.approx(18.0)
    assert sunday["aov"] == pytest.approx(18.0) and sunday["customers"] == 0  # a guest
    total = shop.rows("select sum(net_sales) as n from marts.orders_daily")[0]["n"]
    assert total == pytest.approx(10 + 10 - 5 + 15 + 20 - 2)


def test_sku_demand_is_a_zero_filled_calendar_spine(shop):
    rows = shop.rows("select * from marts.sku_demand_daily where sku = 'X' order by day")
    assert [r["day"] for r in rows] == [date(2011, 3, d) for d in (3, 4, 5, 6)]
    assert [r["units"] for r in rows] == [1, 0, 0, 4]  # net of the cancellation
    assert [r["is_trading_day"] for r in rows] == [True, True, False, True]
    assert [r["is_stockout"] for r in rows] == [False, True, False, False]
    skus = {r["sku"] for r in shop.rows("select distinct sku from marts.sku_demand_daily")}
    assert skus == {"X", "Y"}  # POST is not merchandise


def test_customers_are_hashed_and_scored(shop):
    customers = shop.rows("select * from marts.customers order by orders desc")
    assert len(customers) == 2  # c1 and c2; the guest order has no customer
    assert all(len(c["customer_key"]) == 64 for c in customers)
    assert all(1 <= c[s] <= 5 for c in customers for s in ("r_score", "f_score", "m_score"))
    # two customers are far too few to fit a CLV model: no number rather than a made-up one
    assert all(c["clv"] is None and c["clv_model"] is None for c in customers)
    c1 = next(c for c in customers if c["revenue"] == pytest.approx(15.0))
    assert c1["recency_days"] == 4  # last order 03-03, data ends 03-06, counted from 03-07


def test_newest_export_of_an_order_wins(warehouse):
    warehouse.insert(
        "orders",
        [
            line("A", "2011-03-03 09:00", "X", 2, 5.0),
            line("A", "2011-03-03 09:00", "Y", 1, 10.0),
            {
                **line("A", "2011-03-03 09:00", "X", 3, 5.0),
                "_export_date": date(2011, 3, 5),
                "_file": "orders/2011-03-05.csv",
            },
        ],
    )
    warehouse.build("staging.stg_catalog", "staging.stg_order_lines")
    rows = warehouse.rows("select sku, quantity from staging.stg_order_lines")
    assert rows == [{"sku": "X", "quantity": 3}]
