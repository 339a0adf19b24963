"""sales_by_sku_daily on an order that lists one SKU on two lines."""

import pytest

from tests.assets.sql.test_orders_revenue import line

MODELS = ("staging.stg_catalog", "staging.stg_order_lines", "marts.sales_by_sku_daily")


def test_an_order_with_two_lines_of_one_sku_is_one_order(warehouse):
    """Catches orders counted as lines (count(*) for count(distinct order_id)): the Online
    Retail layout keeps two identical lines as two lines, so one order could count twice."""
    warehouse.insert(
        "orders",
        [
            line("A", "2011-03-03 09:00", "X", 2, 5.0, "c1"),
            line("A", "2011-03-03 09:00", "X", 2, 5.0, "c1"),
            line("B", "2011-03-03 10:00", "X", 1, 5.0, "c2"),
        ],
    )
    warehouse.build(*MODELS)
    [row] = warehouse.rows("select * from marts.sales_by_sku_daily")
    assert (row["units"], row["orders"]) == (5, 2)
    assert row["gross_sales"] == pytest.approx(25.0)
