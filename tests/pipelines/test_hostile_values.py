"""Values no shop can have, through the real CLI on a tiny shop: quarantined with their
reasons, the rest of the run unharmed, and lines at the very bounds summed without overflow."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipelines.cli import main

pytestmark = pytest.mark.e2e

FIRST_DAY = dt.date(2024, 1, 1)
DAYS = 14
SKUS = ("MUG", "PLATE", "BOWL", "JUG", "VASE")
LAST_DAY = FIRST_DAY + dt.timedelta(days=DAYS - 1)
# (order_id, ordered_at, sku, quantity, unit_price, order_status, what the reason names)
HOSTILE = [
    ("H1", "1900-01-01 10:00:00", "MUG", "2", "4.5", "placed", "history.first_day"),
    ("H2", f"{LAST_DAY} 10:00:00", "MUG", "2", "1e308", "placed", "ingest.max_unit_price"),
    ("H3", f"{LAST_DAY} 10:00:00", "MUG", str(2**63 - 1), "4.5", "placed", "ingest.max_units"),
    ("H4", f"{LAST_DAY} 10:00:00", "MUG", "2", "-4.5", "placed", "is negative on product"),
    ("H5", f"{LAST_DAY} 10:00:00", "MUG", "9" * 20, "4.5", "placed", "whole number out of range"),
]
# A bulk sale and its return at the largest quantity and price the bounds allow.
AT_BOUNDS = [
    ("B1", f"{LAST_DAY} 11:00:00", "CRATE", "1000000", "10000000", "placed"),
    ("B2", f"{LAST_DAY} 12:00:00", "CRATE", "-1000000", "10000000", "returned"),
]
COLUMNS = ["order_id", "ordered_at", "sku", "quantity", "unit_price", "order_status"]
REVIEWS = 42  # enough that two bad ones stay under quality.max_quarantine_share


def _write_reviews(exports: Path) -> None:
    """One history file of reviews (not named by a day), one dated 1900, one rated 7 stars."""
    (exports / "feedback").mkdir(parents=True)
    rows = [
        (f"R{n}", f"{FIRST_DAY + dt.timedelta(days=n % DAYS)} 12:00:00", "review", SKUS[n % 5], "4")
        for n in range(REVIEWS)
    ]
    rows += [("R-old", "1900-01-01 12:00:00", "review", "MUG", "5")]
    rows += [("R-seven", f"{LAST_DAY} 12:00:00", "review", "MUG", "7")]
    columns = ["feedback_id", "submitted_at", "feedback_type", "sku", "rating"]
    pl.DataFrame(rows, schema=columns, orient="row").write_csv(exports / "feedback" / "all.csv")


def _write_orders(exports: Path) -> int:
    """Two weeks of orders, two lines per SKU and day; the last day also holds the hostile
    and the at-bound lines. Returns the number of plain lines."""
    (exports / "orders").mkdir(parents=True)
    plain = 0
    for offset in range(DAYS):
        day = FIRST_DAY + dt.timedelta(days=offset)
        rows = [
            (
                f"{day}-{n}-{k}",
                f"{day} 1{k}:0{n}:00",
                sku,
                str(1 + n + k + offset % 3),
                "4.5",
                "placed",
            )
            for n, sku in enumerate(SKUS)
            for k in range(2)
        ]
        plain += len(rows)
        if day == LAST_DAY:
            rows += [row[:6] for row in HOSTILE] + AT_BOUNDS
        pl.DataFrame(rows, schema=COLUMNS, orient="row").write_csv(
            exports / "orders" / f"{day}.csv"
        )
    return plain


def test_hostile_order_values_are_quarantined_and_the_site_is_built(tmp_path, capsys):
    """Bug caught: an order dated 1900 grew orders_daily to a century of rows, a price of
    1e308 became net sales on the pages, a quantity of 2**63-1 failed the marts with an
    INT128 cast error so no site was published, a negative price on a product loaded, and
    a whole number too large for Int64 was "not a whole number"; a review dated 1900 in a
    history file made the run ask for history.first_day 1900."""
    exports, data = tmp_path / "exports", tmp_path / "data"
    plain = _write_orders(exports)
    _write_reviews(exports)
    code = main(["run", "--exports", str(exports), "--data-dir", str(data)])
    out = capsys.readouterr().out
    assert code == 0, out
    with duckdb.connect(str(data / "warehouse.duckdb"), read_only=True) as con:
        quarantined = con.execute(
            "select line, reason from quality.quarantine where kind = 'orders' order by line"
        ).fetchall()
        reviews = con.execute(
            "select export_date, reason from quality.quarantine where kind = 'feedback' order by line"
        ).fetchall()
        read, loaded, rejected = con.execute(
            "select sum(rows_read), sum(rows_loaded), sum(rows_quarantined) from quality.load_log"
            " where kind = 'orders'"
        ).fetchone()
        reviews_read = con.execute(
            "select sum(rows_read) from quality.load_log where kind = 'feedback'"
        ).fetchone()[0]
        first, last, days, top = con.execute(
            "select min(day), max(day), count(distinct day), max(net_sales) from marts.orders_daily"
        ).fetchone()
        crate = con.execute(
            "select sum(quantity), sum(line_amount) from staging.stg_order_lines where sku = 'CRATE'"
        ).fetchone()
    hostile_lines = range(2 * len(SKUS) + 2, 2 * len(SKUS) + 2 + len(HOSTILE))
    assert [line for line, _ in quarantined] == list(hostile_lines)
    for (_, reason), row in zip(quarantined, HOSTILE, strict=True):
        assert row[-1] in reason, reason
    assert (read, loaded, rejected) == (plain + len(HOSTILE) + 2, plain + 2, len(HOSTILE))
    assert (first, last, days) == (FIRST_DAY, LAST_DAY, DAYS)
    # The history file's 1900 review neither asks for history.first_day 1900 nor loads.
    assert [day for day, _ in reviews] == [FIRST_DAY, LAST_DAY]
    assert "history.first_day" in reviews[0][1] and "between 1 and 5" in reviews[1][1]
    assert reviews_read == REVIEWS + 2
    assert 0 < top < 1e14  # the bulk sale (1e13) and its return, never 1e308
    assert crate == (0, 0.0)
    sales = (data / "site" / "sales.html").read_text()
    assert "e+308" not in sales and "1900" not in sales
    assert (data / "reorder_recommendations.csv").is_file()
