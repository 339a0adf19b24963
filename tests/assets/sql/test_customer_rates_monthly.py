"""customer_rates_monthly on a customer who orders every month and a guest."""

from datetime import date

import pytest

from tests.assets.sql.test_orders_revenue import line

MODELS = ("staging.stg_catalog", "staging.stg_order_lines", "marts.customer_rates_monthly")


def test_a_customer_repeating_every_month_counts_once_to_date_and_guests_not_at_all(warehouse):
    """Catches the repeat customers to date counted once per month they were repeat buyers
    (count(*) instead of count(distinct customer)), which pushes the cumulative repeat rate
    up (here to 100 %), and a guest's order counted as a customer of the month."""
    warehouse.insert(
        "orders",
        [
            line("J1", "2011-01-10 10:00", "X", 1, 10.0, "c1"),
            line("F1", "2011-02-10 10:00", "X", 1, 10.0, "c1"),
            line("M1", "2011-03-10 10:00", "X", 1, 10.0, "c1"),
            line("M2", "2011-03-11 10:00", "X", 1, 10.0, "c2"),
            line("G1", "2011-03-12 10:00", "X", 1, 10.0, None),  # a guest: no customer
        ],
    )
    warehouse.build(*MODELS)
    months = {r["month"]: r for r in warehouse.rows("select * from marts.customer_rates_monthly")}
    assert list(months) == [date(2011, 1, 1), date(2011, 2, 1), date(2011, 3, 1)]
    march = months[date(2011, 3, 1)]
    assert (march["customers"], march["new_customers"], march["returning_customers"]) == (2, 1, 1)
    # c1 has ordered in February and in March with two or more orders to date: one customer.
    assert (march["customers_to_date"], march["repeat_customers_to_date"]) == (2, 1)
    assert march["cumulative_repeat_purchase_rate"] == pytest.approx(1 / 2)
    assert march["returning_customer_rate"] == pytest.approx(1 / 2)  # c1 of c1 and c2
    assert march["repeat_purchase_rate"] == 0  # nobody ordered twice inside March
