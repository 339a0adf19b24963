"""Formats: the generic contract in CSV, Parquet and JSON Lines, Online Retail, and detection."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import polars as pl
import pytest

from contract.exports import raw_schema, schema
from ingest.exports_config import ExportConfigError, read_exports_config
from ingest.load import load_days

DAY = dt.date(2024, 1, 5)
ORDERS = pl.DataFrame(
    {
        "order_id": ["A1", "A2", "C3"],
        "ordered_at": [
            dt.datetime(2024, 1, 5, 9, 30),
            dt.datetime(2024, 1, 5, 10, 0, 0, 250000),
            dt.datetime(2024, 1, 5, 11),
        ],
        "sku": ["S1", "S2", "S1"],
        "quantity": [2, 1, -2],
        "unit_price": [2.55, 10.0, 2.55],
        "description": ["Mug, blue", None, "Mug, blue"],
        "customer_id": ["17850", None, "17850"],
        "country": ["United Kingdom", "France", "United Kingdom"],
        "currency": ["GBP", "EUR", "GBP"],
        "discount": [0.0, 1.25, None],
        "order_status": ["placed", "placed", "cancelled"],
        "customer_email": ["a@example.com", None, None],
    },
    schema_overrides={"ordered_at": pl.Datetime("us")},
)


def write_generic(frame: pl.DataFrame, path, extension: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if extension == "csv":
        frame.write_csv(path)
    elif extension == "parquet":
        frame.write_parquet(path)
    else:
        with open(path, "w") as handle:
            handle.writelines(json.dumps(row, default=str) + "\n" for row in frame.to_dicts())


@pytest.mark.parametrize("extension", ["csv", "parquet", "jsonl"])
def test_generic_round_trip(exports, con, extension):
    write_generic(ORDERS, exports / "orders" / f"2024-01-05.{extension}", extension)

    report = load_days(con, exports, "orders", [DAY])

    loaded = con.sql("select * from raw.orders order by _line").pl()
    expected = ORDERS.select(
        (pl.col(c) if c in ORDERS.columns else pl.lit(None)).cast(t).alias(c)
        for c, t in schema("orders").items()
    )
    assert loaded.select(list(schema("orders"))).equals(expected)
    first_line = 2 if extension == "csv" else 1
    assert loaded["_line"].to_list() == [first_line, first_line + 1, first_line + 2]
    assert loaded.columns == list(raw_schema("orders"))
    assert report.formats == {"generic": 1}
    assert report.detected_formats == {f"orders/2024-01-05.{extension}": "generic"}


def test_online_retail_real_days(exports, con, online_retail_by_day):
    days = ["2010-12-01", "2011-01-04", "2011-12-09"]
    (exports / "orders").mkdir()
    for day in days:
        shutil.copy(online_retail_by_day / f"{day}.csv", exports / "orders" / f"{day}.csv")
    (exports / "exports.yaml").write_text("orders: {format: online-retail}\n")

    report = load_days(con, exports, "orders")

    lines = {
        day: len((online_retail_by_day / f"{day}.csv").read_text().splitlines()) - 1 for day in days
    }
    assert [(f.file, f.rows_read, f.format, f.format_detected) for f in report.files] == [
        (f"orders/{day}.csv", lines[day], "online-retail", False) for day in days
    ]
    assert report.rows_loaded + report.rows_quarantined == sum(lines.values())
    first = con.execute(
        "select order_id, ordered_at, sku, quantity, unit_price, description, customer_id, country, "
        "currency, order_status, _line from raw.orders where _file = 'orders/2010-12-01.csv' and _line = 2"
    ).fetchone()
    assert first == (
        "536365",
        dt.datetime(2010, 12, 1, 8, 26),
        "85123A",
        6,
        2.55,
        "WHITE HANGING HEART T-LIGHT HOLDER",
        "17850",
        "United Kingdom",
        "GBP",
        "placed",
        2,
    )
    statuses = con.execute(
        "select order_status, bool_and(starts_with(order_id, 'C')), count(*) from raw.orders group by 1 order by 1"
    ).fetchall()
    assert [s[:2] for s in statuses] == [("cancelled", True), ("placed", False)]
    assert con.execute(
        "select count(*) from raw.orders where customer_id like '%.%'"
    ).fetchone() == (0,)


def test_online_retail_is_detected_from_the_header_and_reported(exports, con):
    (exports / "orders").mkdir()
    (exports / "orders" / "2011-01-04.csv").write_text(
        "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
        "539993,22386,JUMBO BAG PINK POLKADOT,10,1/4/2011 10:00,1.95,13313.0,United Kingdom\n"
        "C539994,22386,JUMBO BAG PINK POLKADOT,-10,1/4/2011 10:05,1.95,,United Kingdom\n"
        "539995,22386,JUMBO BAG PINK POLKADOT,0,1/4/2011 10:06,1.95,,United Kingdom\n"
    )
    report = load_days(con, exports, "orders", [dt.date(2011, 1, 4)], settings_currency="EUR")
    assert report.detected_formats == {"orders/2011-01-04.csv": "online-retail"}
    assert con.execute(
        "select order_id, ordered_at, customer_id, currency, order_status, _format from raw.orders order by _line"
    ).fetchall() == [
        ("539993", dt.datetime(2011, 1, 4, 10, 0), "13313", "EUR", "placed", "online-retail"),
        ("C539994", dt.datetime(2011, 1, 4, 10, 5), None, "EUR", "cancelled", "online-retail"),
    ]
    assert con.execute("select line, column_name from quality.quarantine").fetchall() == [
        (4, "quantity")
    ]


def test_exports_yaml_is_checked(exports):
    (exports / "exports.yaml").write_text("orders: {format: ga4}\n")
    with pytest.raises(
        ExportConfigError,
        match="format 'ga4' does not read orders; use one of online-retail, shopify, mapping, generic",
    ):
        read_exports_config(exports)
    (exports / "exports.yaml").write_text("traffic: {format: online-retail}\n")
    with pytest.raises(
        ExportConfigError,
        match="format 'online-retail' does not read traffic; use one of ga4, online-shoppers, mapping, generic",
    ):
        read_exports_config(exports)
    (exports / "exports.yaml").write_text("order: {format: generic}\n")
    with pytest.raises(ExportConfigError, match="entry order: unknown export kind"):
        read_exports_config(exports)
    # A section naming neither a format nor a mapping file (a bare name, an empty section)
    # says how to write one, rather than failing on a missing mapping file.
    for section in ("shopify", "{}", "{columns: {}}"):
        (exports / "exports.yaml").write_text(f"orders: {section}\n")
        with pytest.raises(ExportConfigError, match="write it as `orders: {format: <name>}`"):
            read_exports_config(exports)
    (exports / "exports.yaml").write_text("orders: {format: generic, columns: {}}\n")
    with pytest.raises(ExportConfigError, match="unknown key\\(s\\) columns for format generic"):
        read_exports_config(exports)
    (exports / "exports.yaml").write_text(
        "orders: {format: online-retail}\ntraffic: {format: generic}\n"
    )
    assert read_exports_config(exports) == {
        "orders": {"format": "online-retail"},
        "traffic": {"format": "generic"},
    }


def test_exports_yaml_with_several_unknown_kinds_names_the_first(exports):
    """Bug caught: the error naming the last unknown kind of the file (or another), so a
    shop reading exports.yaml from the top is sent past the first bad entry it meets."""
    (exports / "exports.yaml").write_text(
        "order: {format: generic}\ntraffic: {format: generic}\ntrafic: {format: generic}\n"
    )
    with pytest.raises(ExportConfigError, match="entry order: unknown export kind"):
        read_exports_config(exports)
