"""The shopify format on a file shaped like Shopify's orders export (all its columns)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from ingest.load import load_days

FIXTURE = Path(__file__).parent / "fixtures" / "shopify" / "orders_export.csv"
DAY = dt.date(2024, 1, 5)


def test_shopify_orders_export_is_detected_filled_and_mapped(exports, con):
    (exports / "orders").mkdir()
    shutil.copy(FIXTURE, exports / "orders" / "2024-01-05.csv")

    report = load_days(con, exports, "orders", [DAY])

    assert report.detected_formats == {"orders/2024-01-05.csv": "shopify"}
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (6, 5, 1)
    rows = con.execute(
        "select order_id, ordered_at, sku, quantity, unit_price, discount, description, "
        "customer_id, country, currency, order_status, customer_email, customer_name, "
        "customer_phone, shipping_address, _line from raw.orders order by _line"
    ).fetchall()
    ada = ("ada@example.com", "Ada Example", "+49 30 1234567", "Musterstrasse 1")
    assert rows == [
        ("#1001", dt.datetime(2024, 1, 5, 10, 11, 12), "FERN-1", 2, 16.0, 3.0,
         "Botanical Fern Print", None, "DE", "EUR", "placed", *ada, 2),
        ("#1001", dt.datetime(2024, 1, 5, 10, 11, 12), "OAK-2", 1, 20.0, 2.0,
         "Oak Frame", None, "DE", "EUR", "placed", *ada, 3),
        ("#1002", dt.datetime(2024, 1, 5, 23, 59, 59), "FERN-1", 1, 16.0, 0.0,
         "Botanical Fern Print", None, "FR", "EUR", "cancelled", "bob@example.com",
         "Bob Example", "+33 1 23456789", "Rue Exemple 2", 4),
        ("#1003", dt.datetime(2024, 1, 5, 0, 30), "Gift wrapping", 3, 1.0, 0.0,
         "Gift wrapping", None, "AT", "EUR", "returned", "cy@example.com", "Cy Example",
         "+43 1 234567", None, 5),
        ("#1003", dt.datetime(2024, 1, 5, 0, 30), "LIN-3", 1, 30.0, 0.0, "Linen Poster",
         None, "AT", "EUR", "returned", "cy@example.com", "Cy Example", "+43 1 234567",
         None, 6),
    ]  # fmt: skip
    assert con.execute("select line, column_name from quality.quarantine").fetchall() == [
        (7, "quantity")
    ]
    assert con.execute(
        "select format, rows_read, rows_loaded, rows_quarantined from quality.load_log"
    ).fetchall() == [("shopify", 6, 5, 1)]
