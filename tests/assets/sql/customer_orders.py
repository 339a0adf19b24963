"""Hand-written orders of six customers and a guest over January-March 2011, for the
customer marts' tests and the customers page's tiles (tests/reports/test_customers_tiles.py).

Chosen so that the plausible wrong formulas of the customer figures disagree:
- c1 orders twice on 2011-01-10, then on 2011-02-01 and 2011-03-05: four orders, returning
  on two later days (a daily sum of returning customers counts them twice);
- c2 orders twice on 2011-01-20 and never again: a repeat customer who never returned on a
  later day;
- c3 buys two units on 2011-02-03 and returns one a week later: net revenue 25, gross 50;
- c4's only order is cancelled: known to marts.customers, but with no placed order;
- c5 and c6 buy once in March; a guest buys in March (no customer key).
"""

from tests.assets.sql.test_orders_revenue import line

CUSTOMER_MARTS = (
    "staging.stg_catalog",
    "staging.stg_order_lines",
    "marts.orders_daily",
    "marts.orders_by_customer_type_daily",
    "marts.customer_rates_monthly",
    "marts.cohort_retention",
    "marts.customer_clv",
    "marts.customers",
)

CUSTOMER_ORDERS = [
    line("A1", "2011-01-10 10:00", "X", 1, 20.0, "c1"),
    line("A2", "2011-01-10 15:00", "X", 1, 5.0, "c1"),
    line("A3", "2011-02-01 10:00", "X", 1, 25.0, "c1"),
    line("A4", "2011-03-05 10:00", "X", 1, 30.0, "c1"),
    line("B1", "2011-01-20 10:00", "X", 1, 40.0, "c2"),
    line("B2", "2011-01-20 11:00", "X", 1, 10.0, "c2"),
    line("C1", "2011-02-03 10:00", "X", 2, 25.0, "c3"),
    line("C1R", "2011-02-10 10:00", "X", -1, 25.0, "c3", status="returned"),
    line("D1", "2011-02-15 10:00", "X", 1, 100.0, "c4", status="cancelled"),
    line("E1", "2011-03-02 10:00", "X", 1, 15.0, "c5"),
    line("F1", "2011-03-20 10:00", "X", 1, 10.0, "c6"),
    line("G1", "2011-03-03 10:00", "X", 1, 60.0, None),
]
