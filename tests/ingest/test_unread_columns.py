"""Columns a format reads are never named as new columns: found by trying the format on
a probe row (each column's first value) and on the file's own first rows."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from ingest.load import load_days
from ingest.source import ExportFileError
from tests.ingest.damage import write

DAY = dt.date(2024, 1, 5)
GA4 = Path(__file__).parent / "fixtures" / "ga4" / "events_20240105.jsonl"
EVENT_AT = "1704445872000000"


def _new_columns(report) -> str:
    (result,) = report.files
    return " ".join(note for note in result.notes if "new column(s)" in note)


def test_ga4_ecommerce_and_items_are_read_when_the_first_event_is_not_a_purchase(exports, con):
    """Bug caught (real, fixed): the probe row took each column's first value, a
    session_start with no purchase and an empty items list, so GA4's ecommerce and items
    (read only for purchases, and from the first item) were named as new columns and
    copied into _extra on every row."""
    (exports / "traffic").mkdir()
    shutil.copy(GA4, exports / "traffic" / "2024-01-05.jsonl")

    report = load_days(con, exports, "traffic", [DAY])

    new = _new_columns(report)
    assert "event_date" in new  # a column ga4 does not read is still named
    assert "ecommerce" not in new
    assert "items" not in new


def test_a_column_read_beside_another_columns_value_on_another_line_is_read(exports, con):
    """Bug caught: the probe row with "1" in every text column instead of each column's
    first value: the purchase named on line 1 and its ecommerce given on line 2 never meet
    in one row, so ecommerce (read for purchases only) was named a new column."""
    lines = [
        {"event_timestamp": EVENT_AT, "event_name": "purchase", "user_pseudo_id": "u1",
         "ecommerce": None},
        {"event_timestamp": EVENT_AT, "event_name": None, "user_pseudo_id": "u1",
         "ecommerce": {"transaction_id": "T1", "purchase_revenue": 5.0}},
    ]  # fmt: skip
    write(exports, "traffic/2024-01-05.jsonl", "".join(json.dumps(line) + "\n" for line in lines))
    (exports / "exports.yaml").write_text("traffic: {format: ga4}\n")

    report = load_days(con, exports, "traffic", [DAY])

    assert report.rows_read == 2
    assert _new_columns(report) == ""


@pytest.mark.parametrize("files", [2, 3])
def test_files_sharing_a_wrong_header_are_counted_in_the_message(exports, con, files):
    """Bug caught: "(and N more files with these columns)" counting the first file too,
    or one file too many."""
    for day in range(files):
        write(exports, f"orders/2024-01-0{day + 1}.csv", "when,what\n2024-01-05,x\n")

    with pytest.raises(ExportFileError) as error:
        load_days(con, exports, "orders")

    assert str(error.value).startswith(
        f"orders/2024-01-01.csv (and {files - 1} more files with these columns) is not an "
        "export of orders"
    )
