"""marts.cohort_retention: a customer who only returns or cancels after the first month, and
every rate of three cohorts worked by hand."""

from datetime import date

import pytest

from tests.assets.sql.customer_orders import CUSTOMER_ORDERS
from tests.assets.sql.test_orders_revenue import line

MODELS = ("staging.stg_catalog", "staging.stg_order_lines", "marts.cohort_retention")


@pytest.fixture
def cohorts(warehouse):
    warehouse.insert(
        "orders",
        [
            line("J1", "2011-01-10 10:00", "X", 1, 10.0, "c1"),  # c1 acquired in January
            # February: c1 only returns the January mug (a negative line, no purchase)
            line("R1", "2011-02-03 10:00", "X", -1, 10.0, "c1", status="returned"),
            # March: c1's order is cancelled whole before it became a sale (Shopify style)
            line("S1", "2011-03-03 10:00", "X", 2, 5.0, "c1", status="cancelled"),
            # A guest's sale in January: no customer, so in no cohort
            line("G1", "2011-01-12 10:00", "X", 1, 10.0, None),
        ],
    )
    warehouse.build(*MODELS)
    return warehouse


def test_returns_and_cancelled_orders_do_not_retain_a_customer(cohorts):
    """Catches a customer counted active in a month where they only returned or had an
    order cancelled (activity not limited to sales), a cancelled order's value counted as
    the cohort's revenue, and a guest's sale forming a cohort of one unknown customer."""
    rows = [
        (
            r["cohort_month"],
            r["months_since_acquisition"],
            r["cohort_customers"],
            r["active_customers"],
            r["retention_rate"],
            r["revenue"],
            r["revenue_per_customer"],
        )
        for r in cohorts.rows("select * from marts.cohort_retention")
    ]
    assert rows == [
        (date(2011, 1, 1), 0, 1, 1, 1.0, 10, 10),
        (date(2011, 1, 1), 1, 1, 0, 0.0, -10, -10),  # the return takes the sale back
        (date(2011, 1, 1), 2, 1, 0, 0.0, 0, 0),  # the cancelled order never was a sale
    ]


def test_every_rate_of_three_cohorts_worked_by_hand(warehouse):
    """Every rate column of the mart on tests/assets/sql/customer_orders.py, worked by hand.

    Catches: retention over the previous month's active customers instead of the cohort
    (January's month 2: 1/1 = 1.0, not 1/2); active customers counted as order lines or
    orders (January's month 0: 4 orders of 2 customers, a rate of 2.0); revenue per customer
    over the month's active customers instead of the cohort (January's month 1: 25.0, not
    12.5); a cohort formed by a cancelled order (c4 would make February's cohort 2); a
    month's revenue gross of the returns in it (February's month 0: 50, not 25)."""
    warehouse.insert("orders", CUSTOMER_ORDERS)
    warehouse.build(*MODELS)
    rows = warehouse.rows(
        "select cohort_month, months_since_acquisition, cohort_customers, active_customers,"
        " retention_rate, revenue, revenue_per_customer from marts.cohort_retention"
    )
    jan, feb, mar = date(2011, 1, 1), date(2011, 2, 1), date(2011, 3, 1)
    assert [tuple(r.values()) for r in rows] == [
        # January: c1 and c2. Month 0: both, orders 20 + 5 + 40 + 10 = 75, 75 / 2 = 37.5
        (jan, 0, 2, 2, 1.0, 75, 37.5),
        # February: c1 alone (A3, 25): 1 / 2 = 0.5, 25 / 2 = 12.5
        (jan, 1, 2, 1, 0.5, 25, 12.5),
        # March: c1 alone again (A4, 30): still 1 / 2 of the cohort, 30 / 2 = 15.0
        (jan, 2, 2, 1, 0.5, 30, 15.0),
        # February: c3 (c4's cancelled order makes no cohort). 2 x 25 less the unit returned
        (feb, 0, 1, 1, 1.0, 25, 25.0),
        (feb, 1, 1, 0, 0.0, 0, 0.0),  # c3 does not come back in March
        # March: c5 (15) and c6 (10); the guest's 60 is in no cohort: 25 / 2 = 12.5
        (mar, 0, 2, 2, 1.0, 25, 12.5),
    ]


def test_the_grid_ends_on_the_last_month_of_an_identified_customers_order(warehouse):
    """Catches the grid extended to a last month with guest orders only (the mart's filter
    on customer_key dropped): every cohort would read 0 % retention there, a month
    marts.customer_rates_monthly, which counts identified customers only, does not have.
    c1 buys in January and February; a guest alone buys in April."""
    warehouse.insert(
        "orders",
        [
            line("J1", "2011-01-10 10:00", "X", 1, 10.0, "c1"),
            line("F1", "2011-02-10 10:00", "X", 1, 10.0, "c1"),
            line("G1", "2011-04-12 10:00", "X", 1, 10.0, None),
        ],
    )
    warehouse.build(*MODELS, "marts.customer_rates_monthly")
    grid = warehouse.rows(
        "select activity_month, active_customers from marts.cohort_retention"
        " order by activity_month"
    )
    assert [tuple(r.values()) for r in grid] == [(date(2011, 1, 1), 1), (date(2011, 2, 1), 1)]
    months = warehouse.rows("select month from marts.customer_rates_monthly order by month")
    assert [r["month"] for r in months] == [date(2011, 1, 1), date(2011, 2, 1)]
