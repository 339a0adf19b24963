"""A shop in any ISO 4217 currency loads with no settings; several currencies stop the run.

Orders are loaded from CSV text with the default settings (no accepted_currencies), built
into staging and orders_daily, and checked to the cent (or yen).
"""

from __future__ import annotations

import datetime as dt

import pytest

from config.settings import Settings
from ingest.load import load_days
from quality.currency import single_currency

HEADER = "order_id,ordered_at,sku,quantity,unit_price,currency,customer_id\n"


def _load_orders(warehouse, tmp_path, body: str):
    exports = tmp_path / "exports"
    (exports / "orders").mkdir(parents=True)
    (exports / "orders" / "2024-03-01.csv").write_text(HEADER + body)
    ingest = Settings().ingest
    return load_days(
        warehouse.con,
        exports,
        "orders",
        settings_currency=ingest.currency,
        accepted_currencies=ingest.accepted_currencies,
    )


@pytest.mark.parametrize(
    ("currency", "lines", "net_sales"),
    [
        (
            "BRL",
            "A1,2024-03-01 10:00,S1,2,49.90,BRL,c1\nA2,2024-03-01 11:00,S2,1,0.30,brl,c2\n",
            100.10,
        ),
        (
            "JPY",
            "A1,2024-03-01 10:00,S1,3,1200,JPY,c1\nA2,2024-03-01 11:00,S2,1,580,JPY,c2\n",
            4180.0,
        ),
    ],
)
def test_a_shop_outside_gbp_eur_usd_loads_with_no_settings(
    warehouse, tmp_path, currency, lines, net_sales
):
    # Bug caught: rows in a currency outside a fixed GBP/EUR/USD list were all quarantined.
    report = _load_orders(warehouse, tmp_path, lines)
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (2, 2, 0)
    warehouse.build("staging.stg_catalog", "staging.stg_order_lines", "marts.orders_daily")
    assert warehouse.rows("select distinct currency from staging.stg_order_lines") == [
        {"currency": currency}
    ]
    day = warehouse.rows("select day, orders, net_sales from marts.orders_daily")
    assert day == [{"day": dt.date(2024, 3, 1), "orders": 2, "net_sales": pytest.approx(net_sales)}]
    gate = single_currency(warehouse.con)
    assert gate.passed and gate.description == f"all order lines in {currency}"


def test_a_code_that_is_not_iso_4217_is_quarantined_with_the_fix(warehouse, tmp_path):
    report = _load_orders(warehouse, tmp_path, "A1,2024-03-01 10:00,S1,1,5,BTC,c1\n")
    assert report.rows_quarantined == 1
    assert warehouse.rows("select line, reason from quality.quarantine") == [
        {
            "line": 2,
            "reason": 'currency "BTC" is not an ISO 4217 currency code; export the three-letter '
            "code, e.g. EUR",
        }
    ]


def test_several_currencies_fail_naming_examples_and_the_setting(warehouse, tmp_path):
    # Bug caught: net sales summed euros and pounds as if they were one currency.
    _load_orders(
        warehouse,
        tmp_path,
        "A1,2024-03-01 10:00,S1,1,5,EUR,c1\nA2,2024-03-01 11:00,S1,1,5,EUR,c1\n"
        "A3,2024-03-01 12:00,S1,1,5,,c2\n",  # no currency: the `currency` setting, GBP
    )
    warehouse.build("staging.stg_catalog", "staging.stg_order_lines")
    gate = single_currency(warehouse.con)
    assert not gate.passed
    assert gate.evidence == {"lines": {"EUR": 2, "GBP": 1}}
    assert gate.description.startswith(
        "order lines hold 2 currencies: EUR (2 lines), GBP (1 lines)"
    )
    assert "set ingest.accepted_currencies: [EUR]" in gate.description
    assert "set ingest.currency: EUR" in gate.description
    assert gate.examples.to_dicts() == [
        {
            "currency": "EUR",
            "lines": 2,
            "order_id": "A1",
            "file": "orders/2024-03-01.csv",
            "line": 2,
        },
        {
            "currency": "GBP",
            "lines": 1,
            "order_id": "A3",
            "file": "orders/2024-03-01.csv",
            "line": 4,
        },
    ]
