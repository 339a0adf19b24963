"""Files read together in one polars call give what each gives read alone."""

from __future__ import annotations

import datetime as dt
import json

import polars as pl
import pytest

from ingest.discover import export_files
from ingest.load import load_days
from ingest.source import ExportFileError, read_sources
from tests.ingest.damage import GOOD_ORDER, ORDERS, write


def test_a_header_without_a_line_break_is_a_day_without_rows(exports, con):
    """Bug caught: the header of a file with no line break at all taken from the group's
    second file, which a file read alone does not have (IndexError), or whose rows then
    counted twice."""
    write(exports, "orders/2024-01-05.csv", ORDERS.rstrip("\n"))

    report = load_days(con, exports, "orders", [dt.date(2024, 1, 5)])

    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (0, 0, 0)


def test_parquet_days_with_their_columns_in_another_order_keep_their_own_order(exports, con):
    """Bug caught: Parquet files grouped by row count instead of by columns, so a day with
    the same columns in another order was read as the first day's layout: its new columns
    named, and kept in `_extra`, in the other file's order."""
    (exports / "orders").mkdir()
    row = {
        "order_id": ["A1"], "ordered_at": ["2024-01-05 10:00"], "sku": ["S1"],
        "quantity": [1], "unit_price": [1.5], "currency": ["GBP"],
    }  # fmt: skip
    first = pl.DataFrame({**row, "gift_note": ["hi"], "channel": ["web"]})
    first.write_parquet(exports / "orders" / "2024-01-05.parquet")
    second = first.with_columns(order_id=pl.lit("B1")).select(
        *row, "channel", "gift_note"
    )  # same columns, the last two swapped
    second.write_parquet(exports / "orders" / "2024-01-06.parquet")

    report = load_days(con, exports, "orders", [dt.date(2024, 1, 5), dt.date(2024, 1, 6)])

    notes = [note for result in report.files for note in result.notes]
    assert notes == [
        "orders/2024-01-05.parquet: new column(s) gift_note, channel kept in _extra",
        "orders/2024-01-06.parquet: new column(s) channel, gift_note kept in _extra",
    ]
    extras = con.execute("select order_id, _extra from raw.orders order by order_id").fetchall()
    assert [(order, list(json.loads(extra))) for order, extra in extras] == [
        ("A1", ["gift_note", "channel"]),
        ("B1", ["channel", "gift_note"]),
    ]


def _parquet_days(exports, prefix: str) -> None:
    """Two Parquet order days, one row each, with order ids starting with `prefix`."""
    for day in ("2024-01-05", "2024-01-06"):
        row = {
            "order_id": [f"{prefix}{day[-1]}"], "ordered_at": [f"{day} 10:00"], "sku": ["S1"],
            "quantity": [1], "unit_price": [1.5], "currency": ["GBP"],
        }  # fmt: skip
        (exports / "orders").mkdir(parents=True, exist_ok=True)
        pl.DataFrame(row).write_parquet(exports / "orders" / f"{day}.parquet")


def _loaded_orders(con, exports) -> tuple[list[str], list[tuple]]:
    report = load_days(con, exports, "orders", [dt.date(2024, 1, 5), dt.date(2024, 1, 6)])
    notes = [note for result in report.files for note in result.notes]
    rows = con.execute("select order_id, _extra from raw.orders order by order_id").fetchall()
    return notes, rows


def test_parquet_days_under_a_folder_named_like_a_partition_keep_their_own_columns(tmp_path, con):
    """Bug caught: Parquet days read together with hive partitioning on, so an exports
    folder below `shop=acme/` gave every row a `shop` column the files do not have (kept
    in `_extra` as a new column)."""
    exports = tmp_path / "shop=acme" / "exports"
    _parquet_days(exports, "A")

    assert _loaded_orders(con, exports) == ([], [("A5", None), ("A6", None)])


def test_parquet_days_in_a_folder_whose_name_reads_as_a_pattern_are_those_files(tmp_path, con):
    """Bug caught: the paths of Parquet days read together taken as glob patterns, so an
    exports folder below `shop[ab]/` loaded the days of its sibling `shopa/` instead, with
    the same row counts and nothing to say so."""
    _parquet_days(tmp_path / "shop[ab]" / "exports", "A")
    _parquet_days(tmp_path / "shopa" / "exports", "WRONG")

    assert _loaded_orders(con, tmp_path / "shop[ab]" / "exports") == (
        [],
        [("A5", None), ("A6", None)],
    )


def test_days_without_rows_are_each_checked_by_their_own_header(exports, con):
    """Bug caught: CSV files grouped by what follows their header instead of by the header,
    so two days without rows shared the first day's header and the second day's, which is
    not an order export at all, loaded as an empty day with no error."""
    write(exports, "orders/2024-01-05.csv", ORDERS)
    write(exports, "orders/2024-01-06.csv", "event_at,event_name,user_id,event_id\n")

    with pytest.raises(ExportFileError, match="orders/2024-01-06.csv is not an export of orders"):
        load_days(con, exports, "orders", [dt.date(2024, 1, 5), dt.date(2024, 1, 6)])


def test_sources_come_back_in_the_order_of_their_first_file(exports):
    """Bug caught: the sources sorted by the last file of each group, so a group of the 5th
    and 7th came after the 6th read alone, where the reader promises first-file order."""
    write(exports, "orders/2024-01-05.csv", ORDERS + GOOD_ORDER)
    write(exports, "orders/2024-01-06.csv", ORDERS.replace("currency", "currency,note"))
    write(exports, "orders/2024-01-07.csv", ORDERS + GOOD_ORDER.replace("A1", "A7"))

    sources = read_sources(export_files(exports, "orders"))

    assert [[file.name for file in source.files] for source in sources] == [
        ["orders/2024-01-05.csv", "orders/2024-01-07.csv"],
        ["orders/2024-01-06.csv"],
    ]
