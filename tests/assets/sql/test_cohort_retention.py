"""cohort_retention on a customer who only returns or cancels after the first month."""

from datetime import date

import pytest

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
