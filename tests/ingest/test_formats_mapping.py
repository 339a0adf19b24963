"""The mapping format: a shop's own headers mapped to the contract by a YAML file."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from ingest.exports_config import ExportConfigError, read_exports_config
from ingest.load import load_days

FIXTURES = Path(__file__).parent / "fixtures" / "mapping"
DAY = dt.date(2024, 1, 5)


def _drop(exports: Path) -> None:
    (exports / "orders").mkdir()
    shutil.copy(FIXTURES / "2024-01-05.csv", exports / "orders" / "2024-01-05.csv")
    shutil.copy(FIXTURES / "my_orders.yaml", exports / "my_orders.yaml")
    (exports / "exports.yaml").write_text("orders: {mapping: my_orders.yaml}\n")


def test_a_mapping_file_maps_headers_constants_dates_and_statuses(exports, con):
    _drop(exports)

    report = load_days(con, exports, "orders", [DAY])

    assert report.formats == {"mapping": 1}
    assert report.detected_formats == {}
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (3, 2, 1)
    assert con.execute(
        "select order_id, ordered_at, sku, quantity, unit_price, currency, order_status, "
        "customer_email, _format from raw.orders order by _line"
    ).fetchall() == [
        ("B-1", dt.datetime(2024, 1, 5, 9, 15), "FERN-1", 2, 16.0, "EUR", "placed",
         "ada@example.com", "mapping"),
        ("B-2", dt.datetime(2024, 1, 5, 23, 59), "OAK-2", 1, 20.0, "EUR", "cancelled", None,
         "mapping"),
    ]  # fmt: skip
    quarantined = con.execute("select line, column_name, raw_value from quality.quarantine")
    assert quarantined.fetchall() == [(4, "unit_price", "30,00")]


def test_a_file_missing_a_mapped_header_fails_naming_it(exports, con):
    _drop(exports)
    (exports / "orders" / "2024-01-05.csv").write_text("Bestellnummer,Artikel\nB-1,FERN-1\n")
    with pytest.raises(ValueError, match="missing column\\(s\\) Bestelldatum, Menge, Einzelpreis"):
        load_days(con, exports, "orders", [DAY])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "columns: {order_id: Nr}\n",
            "required column\\(s\\) ordered_at, sku, quantity, unit_price",
        ),
        ("columns: {order_no: Nr}\n", "order_no not orders contract column\\(s\\)"),
        ("colums: {}\n", "expected `columns: "),
        (
            "columns: {order_id: a, ordered_at: b, sku: c, quantity: d, unit_price: e}\n"
            "status_map: {Storniert: storno}\n",
            "status_map: storno not an order status",
        ),
        (
            "columns: {order_id: a, ordered_at: b, sku: c, quantity: d, unit_price: e}\n"
            "decimal_comma: sometimes\n",
            "decimal_comma: write true or false",
        ),
    ],
)
def test_mapping_files_are_checked(exports, content, message):
    (exports / "exports.yaml").write_text("orders: {mapping: my_orders.yaml}\n")
    (exports / "my_orders.yaml").write_text(content)
    with pytest.raises(ExportConfigError, match=message):
        read_exports_config(exports)
    (exports / "my_orders.yaml").unlink()
    with pytest.raises(ExportConfigError, match="mapping file .*my_orders.yaml does not exist"):
        read_exports_config(exports)


def test_a_bad_mapping_fails_only_its_own_kind(exports):
    """Catches exports.yaml checked whole by every kind's load: one bad orders mapping
    failed the traffic, feedback, ... loads with the same message."""
    (exports / "exports.yaml").write_text(
        "orders: {mapping: my_orders.yaml}\ntraffic: {format: generic}\n"
    )
    (exports / "my_orders.yaml").write_text("columns: {order_no: Nr}\n")
    assert read_exports_config(exports, "traffic") == {"traffic": {"format": "generic"}}
    assert read_exports_config(exports, "feedback") == {}
    with pytest.raises(ExportConfigError, match="order_no not orders contract column"):
        read_exports_config(exports, "orders")


def test_a_status_missing_from_status_map_is_quarantined_with_the_fix(exports, con):
    """Catches an unmapped order status (a marketplace's `Versandt`) loading into raw, where
    the staging expectation on order_status then failed the whole run."""
    _drop(exports)
    day_file = exports / "orders" / "2024-01-05.csv"
    day_file.write_text(day_file.read_text() + "B-4,05/01/2024 11:00,FERN-1,1,16.00,Versandt,\n")

    report = load_days(con, exports, "orders", [DAY])

    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (4, 2, 2)
    reason = con.execute(
        "select reason from quality.quarantine where column_name = 'order_status'"
    ).fetchall()
    assert reason == [
        ('order_status "Versandt" is not one of placed, cancelled, returned; '
         "map it with status_map in the mapping file, or export one of them",)
    ]  # fmt: skip


def test_decimal_comma_reads_prices_written_the_brazilian_or_german_way(exports, con):
    """Catches a shop whose export writes 1.234,56 having every priced row quarantined
    (and the run stopped by the quarantine share) with no way to say so in the mapping."""
    _drop(exports)
    (exports / "orders" / "2024-01-05.csv").write_text(
        "Bestellnummer,Bestelldatum,Artikel,Menge,Einzelpreis,Status,Kundenmail\n"
        'B-1,05/01/2024 09:15,FERN-1,2,"1.234,56",Bezahlt,\n'
        'B-2,05/01/2024 10:00,LIN-3,1,"30,00",Bezahlt,\n'
    )
    mapping = exports / "my_orders.yaml"
    mapping.write_text(mapping.read_text() + "decimal_comma: true\n")

    report = load_days(con, exports, "orders", [DAY])

    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (2, 2, 0)
    prices = con.execute("select unit_price from raw.orders order by _line").fetchall()
    assert prices == [(1234.56,), (30.0,)]


def test_without_a_datetime_format_dates_are_read_as_the_contract_reads_them(exports, con):
    """Bug caught: the dates of a mapping without `datetime_format` parsed by polars'
    guess of their format, so 05/01/2024 loads as 5 January (a guess: a US shop meant
    1 May) instead of being quarantined until the mapping names its format; ISO dates,
    which the contract reads itself, load either way."""
    _drop(exports)
    mapping = exports / "my_orders.yaml"
    mapping.write_text(mapping.read_text().replace('datetime_format: "%d/%m/%Y %H:%M"\n', ""))
    (exports / "orders" / "2024-01-05.csv").write_text(
        "Bestellnummer,Bestelldatum,Artikel,Menge,Einzelpreis,Status,Kundenmail\n"
        "B-1,05/01/2024 09:15,FERN-1,2,16.00,Bezahlt,\n"
        "B-2,2024-01-05 10:15,FERN-1,2,16.00,Bezahlt,\n"
    )
    report = load_days(con, exports, "orders", [DAY])
    assert (report.rows_loaded, report.rows_quarantined) == (1, 1)
    loaded = con.execute("select order_id, ordered_at from raw.orders").fetchall()
    assert loaded == [("B-2", dt.datetime(2024, 1, 5, 10, 15))]
    quarantined = con.execute("select line, column_name, raw_value from quality.quarantine")
    assert quarantined.fetchall() == [(2, "ordered_at", "05/01/2024 09:15")]


def test_status_map_touches_only_the_order_status(exports, con):
    """Bug caught: the status map applied to every column, so other columns are stripped
    of the spaces the contract keeps in text ("FERN-1 " loads as "FERN-1") and a value
    that happens to be a shop status (a SKU named "Storniert") is renamed "cancelled"."""
    _drop(exports)
    day_file = exports / "orders" / "2024-01-05.csv"
    day_file.write_text(
        "Bestellnummer,Bestelldatum,Artikel,Menge,Einzelpreis,Status,Kundenmail\n"
        "B-1,05/01/2024 09:15,FERN-1 ,2,16.00,Bezahlt,\n"
        "B-2,05/01/2024 10:15,Storniert,2,16.00,Storniert,\n"
    )
    load_days(con, exports, "orders", [DAY])
    rows = con.execute("select sku, order_status from raw.orders order by _line").fetchall()
    assert rows == [("FERN-1 ", "placed"), ("Storniert", "cancelled")]
