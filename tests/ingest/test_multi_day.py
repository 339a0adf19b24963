"""Multi-day files: a file not named by a day is split by each row's own date, and the
newest file holding a day gives that day's rows (docs/formats.md, "Multi-day files")."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import polars as pl
import pytest

from ingest.discover import ExportFile, discover_exports
from ingest.file_results import file_results
from ingest.load import load_days
from ingest.multi_day import export_days
from ingest.source import ExportFileError

HEADER = "order_id,ordered_at,sku,quantity,unit_price\n"
HISTORY = (
    HEADER + "A1,2024-03-01 09:00,S1,1,2.0\n"  # line 2: Mar 1
    "A2,2024-03-02 09:00,S1,2,2.0\n"  # line 3: Mar 2
    "A3,2024-03-02 10:00,S1,0,2.0\n"  # line 4: Mar 2, quarantined (quantity 0)
    "A4,2024-03-03 09:00,S1,3,2.0\n"  # line 5: Mar 3
    "A5,last tuesday,S1,1,2.0\n"  # line 6: no readable date: the file's first day, Mar 1
)
D1, D2, D3, D4 = (dt.date(2024, 3, day) for day in (1, 2, 3, 4))


def _write(exports, name: str, text: str, mtime: int) -> None:
    path = exports / "orders" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    os.utime(path, (mtime, mtime))


def _raw(con) -> list[tuple]:
    return con.execute(
        "select _export_date, _file, order_id from raw.orders order by _export_date, order_id"
    ).fetchall()


def _log(con) -> list[tuple]:
    return con.execute(
        "select export_date, file, rows_read, rows_loaded, rows_quarantined "
        "from quality.load_log order by file, export_date"
    ).fetchall()


def test_a_three_day_file_loads_each_row_into_its_own_day(exports, con):
    # Bug caught: a full-history export was refused, or all its rows landed on one day.
    _write(exports, "history.csv", HISTORY, mtime=1_000)
    report = load_days(con, exports, "orders")
    assert report.days == (D1, D2, D3)
    assert _raw(con) == [
        (D1, "orders/history.csv", "A1"),
        (D2, "orders/history.csv", "A2"),
        (D3, "orders/history.csv", "A4"),
    ]
    assert con.execute(
        "select export_date, line, column_name from quality.quarantine order by line"
    ).fetchall() == [(D2, 4, "quantity"), (D1, 6, "ordered_at")]
    # rows read = rows loaded + rows quarantined, per file and day, adding up to the file's 5 lines
    assert _log(con) == [
        (D1, "orders/history.csv", 2, 1, 1),
        (D2, "orders/history.csv", 2, 1, 1),
        (D3, "orders/history.csv", 1, 1, 0),
    ]
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (5, 3, 2)
    assert export_days(exports, discover_exports(exports)) == [D1, D2, D3]


def test_an_overlapping_file_dropped_again_replaces_its_days_and_never_doubles(exports, con):
    # Bug caught: a second, overlapping history export doubled the days both files hold.
    _write(exports, "history.csv", HISTORY, mtime=1_000)
    load_days(con, exports, "orders")
    newer = HEADER + "B2,2024-03-02 11:00,S1,1,2.0\nB3,2024-03-03 11:00,S1,1,2.0\n"
    _write(exports, "history-2.csv", newer + "B4,2024-03-04 11:00,S1,1,2.0\n", mtime=2_000)
    expected = [
        (D1, "orders/history.csv", "A1"),
        (D2, "orders/history-2.csv", "B2"),
        (D3, "orders/history-2.csv", "B3"),
        (D4, "orders/history-2.csv", "B4"),
    ]
    for _ in range(2):  # loading the folder again changes nothing
        load_days(con, exports, "orders")
        assert _raw(con) == expected
    load_days(con, exports, "orders", [D3])  # one day, as a partition run loads it
    assert _raw(con) == expected
    assert _log(con) == [
        (D2, "orders/history-2.csv", 1, 1, 0),
        (D3, "orders/history-2.csv", 1, 1, 0),
        (D4, "orders/history-2.csv", 1, 1, 0),
        (D1, "orders/history.csv", 2, 1, 1),
    ]
    assert con.execute("select count(*) from quality.quarantine").fetchone() == (1,)


def test_a_day_file_and_a_multi_day_file_the_newest_gives_the_day(exports, con):
    _write(exports, "2024-03-02.csv", HEADER + "C2,2024-03-02 12:00,S1,1,2.0\n", mtime=1_000)
    _write(exports, "history.csv", HISTORY, mtime=2_000)
    load_days(con, exports, "orders", [D2])
    assert _raw(con) == [(D2, "orders/history.csv", "A2")]
    os.utime(exports / "orders" / "2024-03-02.csv", (3_000, 3_000))  # dropped again, later
    load_days(con, exports, "orders", [D2])
    assert _raw(con) == [(D2, "orders/2024-03-02.csv", "C2")]


def test_a_multi_day_file_with_no_readable_date_is_an_error_naming_the_fix(exports, con):
    _write(exports, "dump.csv", HEADER + "A1,soon,S1,1,2.0\n", mtime=1_000)
    with pytest.raises(ExportFileError, match="orders/dump.csv is not named by its export day"):
        load_days(con, exports, "orders")


def test_a_day_whose_every_line_is_quarantined_reconciles_in_the_load_log(exports, con):
    """Bug caught: a day of a multi-day file with nothing loaded (every line quarantined)
    counted as holding one loaded line more or less, so its rows read no longer equal
    loaded + quarantined and the file's lines no longer add up."""
    _write(exports, "history.csv", HISTORY + "A6,2024-03-04 09:00,S1,0,2.0\n", mtime=1_000)
    report = load_days(con, exports, "orders")
    assert _log(con)[-1] == (D4, "orders/history.csv", 1, 0, 1)
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (6, 3, 3)


def test_a_multi_day_files_lost_line_is_charged_to_its_first_day_only():
    """Bug caught: a line read but neither loaded nor quarantined (the loss rows_reconcile
    exists to catch) charged to no day, to every day, or to a later day than the first, so
    the file's days no longer add up to its lines, or a lost line fails the wrong day; the
    file's notes repeated on every day or given to another day than the first."""
    history = ExportFile("orders", None, Path("history.csv"), "orders/history.csv")
    rows = pl.DataFrame(
        {"_file": [history.name] * 3, "_export_date": [D1, D2, D3], "_line": [2, 3, 4]}
    )
    quarantine = pl.DataFrame({"_file": [history.name], "_export_date": [D2], "line": [5]})
    # 5 lines read, 4 accounted for: one is lost.
    notes = {history.name: ["read as generic"]}
    results = file_results(
        "orders", [(history, "generic", True, 5)], rows, quarantine, notes, one_row_per_line=True
    )
    assert [(r.export_date, r.rows_read, r.rows_loaded, r.rows_quarantined) for r in results] == [
        (D1, 2, 1, 0),
        (D2, 2, 1, 1),
        (D3, 1, 1, 0),
    ]
    assert [r.notes for r in results] == [("read as generic",), (), ()]  # said once, on day 1


def test_a_multi_day_file_with_no_row_at_all_still_gets_its_result():
    """Bug caught: a multi-day file none of whose lines reached the loaded or quarantined
    rows given no result, so its lines vanish from the load log instead of failing the
    reconciliation (read 3, loaded 0, quarantined 0)."""
    history = ExportFile("orders", None, Path("history.csv"), "orders/history.csv")
    rows = pl.DataFrame(
        {"_file": [], "_export_date": [], "_line": []},
        schema={"_file": pl.String, "_export_date": pl.Date, "_line": pl.Int64},
    )
    quarantine = rows.rename({"_line": "line"})
    results = file_results(
        "orders", [(history, "generic", True, 3)], rows, quarantine, {}, one_row_per_line=True
    )
    assert [(r.file, r.rows_read, r.rows_loaded, r.rows_quarantined) for r in results] == [
        ("orders/history.csv", 3, 0, 0)
    ]
