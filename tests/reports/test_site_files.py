"""The files beside the pages (reorder CSV and XLSX) and the atomic replacement of the site."""

from __future__ import annotations

import re
import zipfile
from datetime import date, timedelta
from pathlib import Path
from xml.etree import ElementTree

import duckdb
import polars as pl
import pytest

from reports.site.publish import previous_site, publish_site
from reports.site.widgets import change_text, sparkline
from tests.reports.conftest import GENERATED_AT

XLSX = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


# Each listed SKU's change since the previous list (tests/reports/tiny_demand.py).
CHANGES = {"22423": "new", "85123A": "quantity up", "84879": "quantity down"}


def reorder_table(db_path: Path) -> pl.DataFrame:
    """inventory.reorder_recommendations plus the `change` column the files add."""
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        table = con.sql("select * from inventory.reorder_recommendations").pl()
    finally:
        con.close()
    return table.with_columns(pl.col("sku").replace_strict(CHANGES).alias("change"))


def read_xlsx(path: Path) -> list[list[str]]:
    """Cell texts of the first sheet (shared strings resolved), row by row."""
    with zipfile.ZipFile(path) as book:
        shared = [
            "".join(t.text or "" for t in item.iter(f"{XLSX}t"))
            for item in ElementTree.fromstring(book.read("xl/sharedStrings.xml")).iter(f"{XLSX}si")
        ]
        sheet = ElementTree.fromstring(book.read("xl/worksheets/sheet1.xml"))
    rows = []
    for row in sheet.iter(f"{XLSX}row"):
        cells = []
        for cell in row.iter(f"{XLSX}c"):
            value = cell.find(f"{XLSX}v")
            text = "" if value is None else value.text
            cells.append(shared[int(text)] if cell.get("t") == "s" else text)
        rows.append(cells)
    return rows


def test_reorder_csv_equals_the_warehouse_table(site: Path, tiny_warehouse: Path) -> None:
    # Bugs caught: a column lost or reordered in the file, or each SKU's change since the
    # previous list joined to the wrong SKU.
    expected = reorder_table(tiny_warehouse)
    assert "supplier" in expected.columns
    downloaded = pl.read_csv(site / "reorder_recommendations.csv", schema=expected.schema)
    assert downloaded.columns == expected.columns
    # Same rows, whatever the order: the file follows the page's order.
    assert downloaded.sort("sku").equals(expected.sort("sku"))
    # the page's order: by supplier (Kent's order first), then order-by and value
    assert downloaded["sku"].to_list() == ["22423", "85123A", "84879"]


def test_reorder_xlsx_holds_the_same_rows_and_columns(site: Path, tiny_warehouse: Path) -> None:
    expected = reorder_table(tiny_warehouse)
    header, *rows = read_xlsx(site / "reorder_recommendations.xlsx")
    assert header == expected.columns
    by_sku = {row[0]: row for row in rows}
    assert sorted(by_sku) == sorted(expected["sku"])
    order_by = expected.columns.index("order_by")
    excel_epoch = date(1899, 12, 30)
    for record in expected.iter_rows(named=True):
        row = by_sku[record["sku"]]
        assert excel_epoch + timedelta(days=int(float(row[order_by]))) == record["order_by"]
        assert float(row[expected.columns.index("order_value")]) == record["order_value"]


def test_the_reorder_page_links_both_downloads(site: Path) -> None:
    links = re.findall(
        r'<a href="([^"]+)" download data-download>', (site / "reorder.html").read_text()
    )
    assert links == ["reorder_recommendations.csv", "reorder_recommendations.xlsx"]


def test_a_new_run_replaces_the_site_and_keeps_the_previous_one(
    tiny_warehouse: Path, publisher, tmp_path: Path
) -> None:
    db_path, site = tiny_warehouse, tmp_path / "site"
    publisher(db_path, site)
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        later = GENERATED_AT + timedelta(days=1)
        written = publish_site(con, site, title="orderpulse test shop", generated_at=later)
    finally:
        con.close()
    assert written[0] == site.absolute() / "index.html"
    assert "generated 2011-01-16" in (site / "index.html").read_text()
    assert "generated 2011-01-15" in (previous_site(site) / "index.html").read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "site.previous", "tiny.duckdb"]


def test_a_failing_run_leaves_the_live_site_untouched(
    tiny_warehouse: Path, publisher, tmp_path: Path
) -> None:
    db_path, site = tiny_warehouse, tmp_path / "site"
    publisher(db_path, site)
    before = {p.name: p.read_bytes() for p in site.iterdir()}
    con = duckdb.connect(str(db_path))
    # The Sales page reads this column after the overview and funnel pages are written.
    con.execute("alter table marts.sales_by_sku_daily drop column category")
    con.close()
    with pytest.raises(duckdb.BinderException, match="category"):
        publisher(db_path, site)
    assert {p.name: p.read_bytes() for p in site.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "tiny.duckdb"]


def test_change_text_is_relative_for_amounts_and_a_difference_for_rates() -> None:
    assert (
        change_text(150.0, 50.0)
        == '<div class="change" data-change="2">▲ 200.0 % vs previous</div>'
    )
    assert ">▼ 4.5 vs previous<" in change_text(40.0, 44.5, points=True)
    assert "no previous period" in change_text(10.0, 0.0)  # relative to nothing
    assert ">= 0.0 vs previous<" in change_text(0.0, 0.0, points=True)
    assert "no previous period" in change_text(None, 3.0)


def test_sparkline_scales_points_into_the_box_and_leaves_missing_values_as_gaps() -> None:
    """Catches: a missing value (a closed day) joined over or drawn as 0, and a value between
    two gaps left undrawn."""
    svg = sparkline([1.0, 2.0, None, 3.0], "net sales")
    # x: 0, 1/3 and 3/3 of the width; y: the lowest value at the bottom (28 - 2), the highest
    # at 2; the lone last point a zero-length line (a dot, by its round caps).
    assert 'd="M0.0,26.0 L50.0,14.0 M150.0,2.0 L150.0,2.0"' in svg
    assert 'aria-label="net sales"' in svg and 'data-values="[1,2,null,3]"' in svg
    assert sparkline([5.0, None], "one point") == ""
