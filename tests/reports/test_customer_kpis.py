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
