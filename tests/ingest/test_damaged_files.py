"""Damaged real-world export files: a file that is not an export of its kind is rejected with
an error naming the file and the fix, and the warehouse does not change; new, missing and
renamed columns are reported (tests/ingest/damage.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.ingest.damage import DAY, GOOD_ORDER, HEALTHY, ORDERS, load_damaged, rejected, write


@pytest.mark.parametrize(
    ("relative", "content", "message"),
    [
        (
            "orders/2024-01-05.csv",
            "",
            (
                "orders/2024-01-05.csv is empty; a CSV export needs its header line even on a day "
                "without rows"
            ),
        ),
        (
            "orders/2024-01-05.csv",
            "\r\n" + ORDERS + GOOD_ORDER,
            (
                "orders/2024-01-05.csv: line 1 is blank; a CSV export starts with its header "
                "line, so remove the blank line(s) above it"
            ),
        ),
        (
            "orders/2024-01-05.csv",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "orders/2024-01-05.csv is binary, not a text export; export it as UTF-8 CSV or JSON Lines",
        ),
        (
            "orders/2024-01-05.csv",
            ORDERS.encode() + b"\xc1\xc2,\xc3\n\xd0\xd1\n\xe0\n" + GOOD_ORDER.encode(),
            (
                "orders/2024-01-05.csv: byte 53 (line 2) is not UTF-8 text, and 3 of its 5 lines "
                "are not; re-export the file as UTF-8"
            ),
        ),
        (
            "orders/2024-01-05.csv",
            b"order_id,ordered_at,sku,quantit\xe9,unit_price\n" + GOOD_ORDER.encode(),
            (
                "orders/2024-01-05.csv: byte 31 (line 1) is not UTF-8 text, and 1 of its 2 lines "
                "are not; re-export the file as UTF-8"
            ),
        ),
        (
            "orders/2024-01-05.csv",
            HEALTHY["traffic/2024-01-05.csv"],
            "orders/2024-01-05.csv is not an export of orders in a known format (missing columns: ",
        ),
        (
            "orders/2024-01-05.csv",
            "Date,Sessions,Bounce Rate\n2024-01-05,10,0.5\n",
            (
                "its header is Date, Sessions, Bounce Rate. Fix: use the contract column names "
                "(contract/exports.py) or name the format in exports.yaml"
            ),
        ),
        (
            "catalog/2024-01-05.parquet",
            b"PAR1 cut short",
            "catalog/2024-01-05.parquet is not a readable Parquet file (",
        ),
    ],
    ids=[
        "empty",
        "blank-first-line",
        "binary",
        "mostly-not-utf8",
        "header-not-utf8",
        "wrong-kind",
        "unknown-header",
        "broken-parquet",
    ],
)
def test_a_file_that_is_not_an_export_loads_nothing(healthy, con, relative, content, message):
    if relative.endswith(".parquet"):
        (healthy / "catalog" / "2024-01-05.csv").unlink()
    assert message in rejected(healthy, con, relative, content)


def test_wrong_kind_names_what_was_expected(healthy, con):
    message = rejected(healthy, con, "orders/2024-01-05.csv", HEALTHY["traffic/2024-01-05.csv"])
    assert "generic needs order_id, ordered_at, sku, quantity, unit_price" in message
    assert "its header is event_at, event_name, user_id, event_id" in message


def test_one_file_that_is_not_an_export_stops_the_whole_load(healthy, con):
    write(healthy, "orders/2024-01-04.csv", ORDERS + "Z9,2024-01-04 09:00,S9,5,1.50,GBP\n")
    message = rejected(
        healthy,
        con,
        "orders/2024-01-06.csv",
        b"\x00\x00binary",
        days=(dt.date(2024, 1, 4), DAY, dt.date(2024, 1, 6)),
    )
    assert message.startswith("orders/2024-01-06.csv is binary")


def test_new_columns_are_kept_in_extra_and_reported(healthy, con):
    report, rows = load_damaged(
        healthy,
        con,
        "orders/2024-01-05.csv",
        ORDERS.rstrip("\n") + ",gift_wrap,loyalty_tier\n"
        "A1,2024-01-05 10:00,S1,2,1.50,GBP,yes,gold\nA2,2024-01-05 11:00,S2,1,3.00,GBP,,\n",
    )
    assert rows == []
    assert report.notes == [
        "orders/2024-01-05.csv: new column(s) gift_wrap, loyalty_tier kept in _extra"
    ]
    assert con.execute(
        "select order_id, _extra from raw.orders where _export_date = ? order by _line", [DAY]
    ).fetchall() == [
        ("A1", '{"gift_wrap":"yes","loyalty_tier":"gold"}'),
        ("A2", '{"gift_wrap":null,"loyalty_tier":null}'),
    ]
    assert con.execute(
        "select count(*) from raw.orders where _extra is not null and _export_date <> ?", [DAY]
    ).fetchall() == [(0,)]


def test_a_missing_required_column_names_the_file_the_column_and_the_fix(healthy, con):
    write(healthy, "exports.yaml", "orders: {format: generic}\n")
    message = rejected(
        healthy,
        con,
        "orders/2024-01-05.csv",
        "order_id,ordered_at,sku,quantity,currency\nA1,2024-01-05 10:00,S1,2,GBP\n",
    )
    assert message == (
        "orders/2024-01-05.csv is not an export of orders in the generic format named in "
        "exports.yaml: missing column(s) unit_price. Fix: export those columns or change the "
        "format in exports.yaml"
    )


def test_a_renamed_column_is_mapped_before_the_required_columns_are_checked(healthy, con):
    write(healthy, "exports.yaml", "orders: {mapping: shop_orders.yaml}\n")
    write(
        healthy,
        "shop_orders.yaml",
        "columns: {order_id: order_id, ordered_at: ordered_at, sku: sku, quantity: quantity, "
        "unit_price: price_gbp}\n",
    )
    report, rows = load_damaged(
        healthy,
        con,
        "orders/2024-01-05.csv",
        "order_id,ordered_at,sku,quantity,price_gbp,channel\nA1,2024-01-05 10:00,S1,2,1.50,web\n",
    )
    assert (rows, report.rows_loaded, report.files[0].format) == ([], 1, "mapping")
    assert report.notes == ["orders/2024-01-05.csv: new column(s) channel kept in _extra"]
    assert con.execute(
        "select order_id, unit_price, _extra from raw.orders where _export_date = ?", [DAY]
    ).fetchall() == [("A1", 1.5, '{"channel":"web"}')]
