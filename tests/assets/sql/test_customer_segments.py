"""marts.customers where most customers buy once: RFM scores that keep ties together, and
revenue net of refunds with the refunds beside it."""

from datetime import date, timedelta

import pytest

from tests.assets.sql.test_orders_revenue import line

MODELS = (
    "staging.stg_catalog",
    "staging.stg_order_lines",
    "marts.customer_clv",
    "marts.customers",
)
DAY0 = date(2011, 3, 1)


def at(day: int, hour: int = 10) -> str:
    return f"{DAY0 + timedelta(days=day)} {hour:02d}:00"


@pytest.fixture
def shop(warehouse):
    # 20 one-order customers, one a day, c10 and c20 on the same day
    orders = [line(f"O{n}", at(n % 20 or 10), "X", 1, 10.0 + n, f"c{n:02d}") for n in range(1, 21)]
    orders += [
        line("A1", at(0), "X", 1, 5.0, "c00"),  # the one repeat buyer, the last to order
        line("A2", at(20, 11), "X", 2, 5.0, "c00"),
        line("R1", at(2), "X", -2, 20.0, "refunder", status="returned"),  # bought before the data
        line("S1", at(3), "X", 3, 5.0, "cancelled-whole", status="cancelled"),  # never a sale
        line("O1R", at(4, 12), "X", -1, 11.0, "c01", status="returned"),  # c01 returns its order
    ]
    warehouse.insert("orders", orders)
    warehouse.build(*MODELS)
    return {r["customer_id"]: r for r in warehouse.rows(_BY_ID)}


# marts.customers holds hashed keys: join back to the export's customer ids.
_BY_ID = """
select c.*, ids.customer_id from marts.customers as c
join (
    select distinct s.customer_key, r.customer_id
    from staging.stg_order_lines as s
    join raw.orders as r on s.order_id = r.order_id
) as ids using (customer_key)
"""


def test_one_order_customers_are_never_scored_as_frequent(shop):
    """Bug caught: F was ntile(5) over (orders, customer_key), so among customers who all
    bought once the key decided who got F = 5, and one-order customers were 'Champions'."""
    once = [c for c in shop.values() if c["orders"] == 1]
    assert len(once) == 20
    assert {c["f_score"] for c in once} == {1}
    assert {c["rfm_segment"] for c in once} <= {
        "New customers",
        "Promising",
        "About to sleep",
        "Hibernating",
    }
    repeat = shop["c00"]
    assert (repeat["orders"], repeat["f_score"], repeat["rfm_segment"]) == (2, 5, "Champions")


def test_customers_with_the_same_last_order_day_share_their_recency_score(shop):
    """Bug caught: ties in recency were split by customer_key, so two customers whose last
    order was the same day could be R = 5 and R = 4."""
    by_day = {}
    for c in shop.values():
        if c["orders"]:
            by_day.setdefault(c["last_order_date"], set()).add(c["r_score"])
    assert all(len(scores) == 1 for scores in by_day.values()), by_day
    assert shop["c10"]["last_order_date"] == shop["c20"]["last_order_date"]
    assert by_day[max(by_day)] == {5} and by_day[min(by_day)] == {1}


def test_revenue_is_net_sales_and_a_refund_only_customer_shows_their_refunds(shop):
    """Bug caught: revenue summed every line, so a customer whose only order was cancelled
    whole (positive quantities, never a sale) had revenue 15 in 'No purchase in the data',
    and a negative revenue came with no amount of refunds to explain it."""
    refunder, cancelled, c01 = shop["refunder"], shop["cancelled-whole"], shop["c01"]
    assert (refunder["orders"], refunder["revenue"], refunder["refunds"]) == (0, -40.0, 40.0)
    assert refunder["rfm_segment"] == "No purchase in the data"
    assert (cancelled["orders"], cancelled["revenue"], cancelled["refunds"]) == (0, 0.0, 0.0)
    assert (c01["revenue"], c01["refunds"]) == (0.0, 11.0)  # bought 11.00, returned it
