"""The raw layer's rows_reconcile check: every line read is loaded or quarantined, counted
in lines even where a format turns one line into several rows."""

import datetime as dt
import shutil
from pathlib import Path

import duckdb

from assets.raw import _rows_reconcile
from ingest.file_results import FileResult
from ingest.load import LoadReport, ensure_tables, load_days

EXCERPT = Path(__file__).parents[1] / "ingest" / "fixtures" / "online_shoppers" / "excerpt.csv"
DAY = dt.date(2024, 1, 5)


def _file(name: str, read: int, loaded: int, quarantined: int) -> FileResult:
    return FileResult(name, "orders", DAY, "generic", False, read, loaded, quarantined)


def _report(*files: FileResult) -> LoadReport:
    return LoadReport("orders", (DAY,), files, 0.0)


def test_a_lost_line_fails_naming_its_file_and_counts():
    """Catches: a check that passes whatever the counts (or compares read with loaded only,
    forgetting the quarantine in one direction or the other)."""
    result = _report(
        _file("orders/2024-01-05.csv", read=5, loaded=3, quarantined=1),
        _file("orders/2024-01-06.csv", read=4, loaded=3, quarantined=1),
    )
    check = _rows_reconcile(result)
    assert not check.passed
    assert check.description == (
        "rows read differ from rows loaded + quarantined in "
        "orders/2024-01-05.csv (2024-01-05): read 5, loaded 3, quarantined 1"
    )
    assert {k: v.value for k, v in check.metadata.items()} == {
        "rows_read": 9,
        "rows_loaded": 6,
        "rows_quarantined": 2,
    }
    assert _rows_reconcile(_report(_file("orders/2024-01-06.csv", 4, 3, 1))).passed


def test_errors_that_cancel_out_across_files_still_fail():
    """Catches: reconciling only the totals of a load, where one file's lost line hides
    behind another file's doubled line."""
    check = _rows_reconcile(
        _report(
            _file("orders/2024-01-05.csv", read=3, loaded=2, quarantined=0),
            _file("orders/2024-01-06.csv", read=3, loaded=4, quarantined=0),
        )
    )
    assert not check.passed
    assert "orders/2024-01-05.csv" in check.description
    assert "orders/2024-01-06.csv" in check.description


def test_a_format_that_turns_one_line_into_several_rows_reconciles_in_lines(tmp_path):
    """Catches: loaded and quarantined counted in rows, not lines: the online-shoppers format
    turns each session line into 2 to 5 funnel events, so rows outnumber lines read."""
    exports = tmp_path / "exports"
    (exports / "traffic").mkdir(parents=True)
    day_file = exports / "traffic" / "2024-01-05.csv"
    shutil.copy(EXCERPT, day_file)
    # One more session whose Revenue is unreadable: one line, one quarantined row.
    with day_file.open("a") as f:
        f.write("0,0,0,0,1,0,0.2,0.2,0,0,Feb,1,1,1,1,Returning_Visitor,FALSE,maybe\n")
    con = duckdb.connect()
    ensure_tables(con)

    report = load_days(con, exports, "traffic", [DAY])

    # 9 session lines -> 9 x 2 + 3 x 3 = 27 events (3 buyers have 5 events, the rest 2)
    [(rows,)] = con.execute("select count(*) from raw.traffic_events").fetchall()
    assert rows == 27
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (10, 9, 1)
    check = _rows_reconcile(report)
    assert check.passed and check.description == "rows read = rows loaded + rows quarantined"
    con.close()
