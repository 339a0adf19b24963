"""read_exports' edges, called directly on files in tmp_path: a file of another kind, the
header quoted when no format fits, an empty JSON Lines day, a blank line in JSON Lines, and
the rows tried when looking for columns a format does not read."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from ingest.discover import ExportFile
from ingest.read import read_exports
from ingest.source import ExportFileError
from ingest.source_text import LINE, read_jsonl

DAY = dt.date(2024, 1, 5)


def _file(tmp_path: Path, kind: str, name: str, content: str) -> ExportFile:
    """An ExportFile of `kind` for DAY, written at tmp_path/kind/name."""
    path = tmp_path / kind / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content)
    return ExportFile(kind, DAY, path, f"{kind}/{name}")


def test_a_file_of_another_kind_is_refused(tmp_path):
    """Bug: skipping the kind check reads a traffic export as orders (here it would then
    fail later, naming the file as not an export of orders instead of the real mistake:
    the caller mixed kinds)."""
    traffic = _file(tmp_path, "traffic", "2024-01-05.csv", "event_at,event_name\n")
    with pytest.raises(ValueError, match="traffic/2024-01-05.csv is a traffic export, not orders"):
        read_exports([traffic], "orders", {})


def test_an_unknown_header_is_quoted_up_to_its_twelfth_column(tmp_path):
    """Bug: quoting 11 or 13 of the header's columns in the error: the message promises the
    first twelve (enough to recognise the file, short enough to read). A header of 13
    columns c01 .. c13: c01 .. c12 are quoted, c13 is not."""
    header = [f"c{i:02d}" for i in range(1, 14)]
    orders = _file(tmp_path, "orders", "2024-01-05.csv", ",".join(header) + "\n")
    with pytest.raises(ExportFileError) as error:
        read_exports([orders], "orders", {})
    assert f"its header is {', '.join(header[:12])}. Fix:" in str(error.value)


@pytest.mark.parametrize(
    ("config", "detected"), [({}, True), ({"feedback": {"format": "generic"}}, False)]
)
def test_an_empty_json_lines_day_is_detected_only_without_a_section(tmp_path, config, detected):
    """Bug: an empty JSON Lines day (no header to detect a format from) reported the other
    way round: as detected when exports.yaml names its format, and as named by exports.yaml
    when it has no section (the generic format is then assumed, which is a detection)."""
    feedback = _file(tmp_path, "feedback", "2024-01-05.jsonl", "")
    batch = read_exports([feedback], "feedback", config)
    [result] = batch.files
    assert (result.format, result.format_detected, result.rows_read) == ("generic", detected, 0)


def test_a_column_read_on_the_last_sampled_row_is_not_a_new_column(tmp_path):
    """Bug: a sample one row short of the 1,000 promised (UNREAD_SAMPLE_ROWS) misses the only purchase,
    on line 1,000, so GA4's ecommerce (read for purchases only) is named a new column and
    copied into _extra on every row. The 999 page views before it carry no ecommerce, and
    the probe row (each column's first value) pairs a page view with it, which reads none."""
    page_view = {"event_timestamp": "1704445872000000", "event_name": "page_view",
                 "user_pseudo_id": "u1", "ecommerce": None}  # fmt: skip
    purchase = page_view | {
        "event_name": "purchase",
        "ecommerce": {"transaction_id": "T1", "purchase_revenue": 5.0},
    }
    lines = [page_view] * 999 + [purchase]
    content = "".join(json.dumps(line) + "\n" for line in lines)
    traffic = _file(tmp_path, "traffic", "2024-01-05.jsonl", content)
    batch = read_exports([traffic], "traffic", {"traffic": {"format": "ga4"}})
    [result] = batch.files
    assert result.rows_read == 1_000
    assert not [note for note in result.notes if "ecommerce" in note]


def test_json_lines_after_a_blank_line_keep_their_line_and_their_types(tmp_path):
    """Bugs caught: the rows after a blank line numbered as if it were not there (row 2 at
    line 2, though it is on line 3), and a file with a blank line read through the slow
    text path, its numbers turned into text, where polars' read keeps JSON's types."""
    content = '{"a": 1, "b": "x"}\n\n{"a": 2, "b": "y"}\n'
    feedback = _file(tmp_path, "feedback", "2024-01-05.jsonl", content)

    frame, header, broken = read_jsonl(feedback, content.encode())

    assert (header, broken.height) == (["a", "b"], 0)
    assert frame.select("a", "b", LINE).rows() == [(1, "x", 1), (2, "y", 3)]
