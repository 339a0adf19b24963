"""orders_daily on a day whose orders, returns and cancellations each span two lines."""

from datetime import date

import pytest

from tests.assets.sql.test_orders_revenue import line

MODELS = ("staging.stg_catalog", "staging.stg_order_lines", "marts.orders_daily")


@pytest.fixture
def day(warehouse):
    warehouse.insert(
        "orders",
        [
            # c1's first line in the data returns a purchase made before the data starts
            line("R0", "2011-03-01 10:00", "X", -1, 10.0, "c1", status="returned"),
            # 03-02: c1's first purchase, two lines
            line("N1", "2011-03-02 10:00", "X", 1, 10.0, "c1"),
            line("N1", "2011-03-02 10:00", "Y", 1, 10.0, "c1"),
            # c2's discounted order, cancelled whole before it became a sale (Shopify style)
            line("K", "2011-03-02 11:00", "X", 2, 10.0, "c2", status="cancelled", discount=2.0),
            line("K", "2011-03-02 11:00", "Y", 1, 10.0, "c2", status="cancelled"),
            # c3 returns two lines of one earlier order
            line("RR", "2011-03-02 12:00", "X", -1, 10.0, "c3", status="returned"),
            line("RR", "2011-03-02 12:00", "Y", -1, 10.0, "c3", status="returned"),
        ],
    )
    warehouse.build(*MODELS)
    rows = {r["day"]: r for r in warehouse.rows("select * from marts.orders_daily")}
    return rows[date(2011, 3, 2)]


def test_customers_and_orders_are_counted_once_across_their_lines(day):
    """Catches count(*) for count(distinct ...): a new customer, a returned order or a
    cancelled order counted once per line (two each here)."""
    assert (day["orders"], day["order_lines"], day["units"]) == (1, 2, 2)
    assert (day["new_customers"], day["returned_orders"], day["cancelled_orders"]) == (1, 1, 1)


def test_only_sales_make_customers_discounts_and_first_purchases(day):
    """Catches the sale filter dropped from customers (c2, cancelled, and c3, returning,
    counted as the day's customers), from discounts (a cancelled order's discount taken off
    the day's sales) and from the returned-order count, and a customer's first purchase taken
    from their first line of any kind (c1 would be returning on the day of their first buy,
    because a return of an older purchase came the day before)."""
    assert (day["customers"], day["new_customers"], day["returning_customers"]) == (1, 1, 0)
    assert (day["gross_sales"], day["discounts"], day["returned_sales"]) == (20, 0, 20)
    assert (day["net_sales"], day["aov"]) == (0, 20)
    assert day["returned_orders"] == 1
