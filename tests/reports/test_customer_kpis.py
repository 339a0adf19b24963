"""The customers page's headline numbers count customers with a placed order only."""

from pathlib import Path

import duckdb

from reports.pages.customers.queries import customer_kpis
from tests.reports.tiny_warehouse import build_warehouse


def test_a_customer_without_a_placed_order_is_not_counted(tmp_path: Path) -> None:
    path = build_warehouse(tmp_path / "tiny.duckdb")
    with duckdb.connect(str(path)) as con:
        before = customer_kpis(con)
        # A customer whose only order was cancelled: in marts.customers with no placed order.
        con.execute(
            "insert into marts.customers (customer_key, country, orders, is_repeat_customer) "
            "values ('c-cancelled', 'United Kingdom', 0, false)"
        )
        after = customer_kpis(con)
    assert before["customers"] == 3
    assert after == before


def test_returning_customers_count_people_not_customer_days(tmp_path: Path) -> None:
    """Catches "Returning customers 12,427": the daily returning counts summed over days count
    a customer once per later order day, not once."""
    path = build_warehouse(tmp_path / "tiny.duckdb")
    with duckdb.connect(str(path)) as con:
        # The tiny shop's one returning customer comes back on two more days.
        con.execute(
            "update marts.orders_daily set returning_customers = returning_customers + 1"
            " where day in (select max(day) from marts.orders_daily)"
        )
        con.execute(
            "insert into marts.orders_daily (day, country, returning_customers)"
            " values ('2011-01-11', 'United Kingdom', 1)"
        )
        kpis = customer_kpis(con)
    assert kpis["returning_customers"] == 1
