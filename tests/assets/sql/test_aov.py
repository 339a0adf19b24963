"""orders_daily.aov read from the mart on a day where orders, lines, customers, gross and
net sales all differ, so every plausible wrong AOV gives another number."""

from datetime import date

import pytest

from tests.assets.sql.test_orders_revenue import line


def test_aov_is_gross_sales_after_discounts_per_order(warehouse):
    """Catches: AOV per customer or per line; AOV from net sales (after cancellations) or
    from gross sales (before discounts)."""
    warehouse.insert(
        "orders",
        [
            # c1 orders twice (A with two lines, one discounted; B), c2 once (C)
            line("A", "2011-03-03 09:00", "X", 2, 10.0, "c1"),
            line("A", "2011-03-03 09:00", "Y", 1, 10.0, "c1", discount=3.0),
            line("B", "2011-03-03 10:00", "X", 1, 5.0, "c1"),
            line("C", "2011-03-03 11:00", "X", 1, 8.0, "c2"),
            # a C-invoice cancelling one unit of A the same day
            line("CA", "2011-03-03 15:00", "X", -1, 10.0, "c1", status="cancelled"),
        ],
    )
    warehouse.build("staging.stg_catalog", "staging.stg_order_lines", "marts.orders_daily")
    [row] = warehouse.rows("select * from marts.orders_daily")
    assert row["day"] == date(2011, 3, 3)
    assert (row["orders"], row["order_lines"], row["customers"]) == (3, 4, 2)
    assert (row["gross_sales"], row["discounts"], row["net_sales"]) == (43, 3, 30)
    # (gross 20 + 10 + 5 + 8 - discounts 3) / 3 orders = 40 / 3 = 13.33
    # (per customer 20; per line 10; net 30 / 3 = 10; gross 43 / 3 = 14.33)
    assert row["aov"] == pytest.approx(40 / 3)
