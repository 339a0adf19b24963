"""Edge cases of the text readers: where a file's lines are judged one by one, what the
quarantine keeps of a broken line, and where a file counts as binary."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from ingest.discover import ExportFile
from ingest.load import load_days
from ingest.source_text import LINE, ExportFileError, read_jsonl
from tests.ingest.damage import ORDERS, TRUNCATED, write

DAY = dt.date(2024, 1, 5)


def _quarantined(con) -> list[tuple[int, str]]:
    return con.execute("select line, reason from quality.quarantine order by line").fetchall()


def test_a_jsonl_file_whose_first_line_is_not_utf8_keeps_its_other_lines(exports, con):
    """Bug caught: JSON Lines judged as if line 1 were a header, so one bad byte on the
    first event refused the whole day instead of quarantining that line."""
    event = {"event_at": "2024-01-05 09:00:00", "event_name": "page_view", "user_id": "u1"}
    lines = [
        json.dumps({**event, "event_id": f"e{i}", "page": "/caf\u00e9"}).encode() for i in range(3)
    ]
    lines[0] = lines[0].replace(b"\\u00e9", b"\xe9")  # a Latin-1 byte on line 1
    write(exports, "traffic/2024-01-05.jsonl", b"\n".join(lines) + b"\n")

    report = load_days(con, exports, "traffic", [DAY])

    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (3, 2, 1)
    assert [line for line, _ in _quarantined(con)] == [1]


def test_a_complete_last_line_after_a_badly_quoted_one_is_not_called_truncated(exports, con):
    """Bug caught: the last line of a file without a final line break checked together with
    the line before it, so a stray quote on that earlier line (which the lenient reader
    reads) made the complete last order "truncated"."""
    write(
        exports,
        "orders/2024-01-05.csv",
        ORDERS + 'A1,2024-01-05 10:00,"S1"x,2,1.50,GBP\nA2,2024-01-05 11:00,S2,1,3.00,GBP',
    )

    load_days(con, exports, "orders", [DAY])

    loaded = con.execute("select order_id from raw.orders order by order_id").fetchall()
    assert ("A2",) in loaded
    assert all(line != 3 for line, _ in _quarantined(con))


def test_a_cut_last_line_starting_with_a_quoted_value_is_truncated(exports, con):
    """Bug caught: the last line judged from its second character on, so a cut order whose
    first value is quoted and holds commas counted its commas as fields, looked whole, and
    loaded with its price and currency missing instead of being quarantined as cut."""
    write(exports, "orders/2024-01-05.csv", ORDERS + '"A9,a,b",2024-01-05 10:00,S1,2')

    report = load_days(con, exports, "orders", [DAY])

    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (1, 0, 1)
    assert _quarantined(con) == [(2, TRUNCATED)]


def test_json_values_read_line_by_line_keep_their_json_text(tmp_path):
    """Bugs caught: on the slow path (a line not valid JSON sends the file there) a nested
    object written as Python's repr ({'size': 'M'}) or a true read as "false", where a
    value not a string keeps the text JSON gives it."""
    lines = [
        '{"id": "f1", "flag": true, "off": false, "meta": {"size": "M"}, "tags": ["a"], "n": 1.5}',
        "{not json",
    ]
    content = "\n".join(lines) + "\n"
    path = tmp_path / "feedback" / "2024-01-05.jsonl"
    path.parent.mkdir()
    path.write_text(content)

    frame, _, broken = read_jsonl(ExportFile("feedback", DAY, path, "feedback/x"), content.encode())

    assert frame.drop(LINE).rows() == [("f1", "true", "false", '{"size": "M"}', '["a"]', "1.5")]
    assert broken["line"].to_list() == [2]


def test_a_bad_json_line_in_a_file_without_a_final_line_break_is_not_called_cut(exports, con):
    """Bug caught: every bad line of a file without a final line break called a cut last
    line, where only the last line can be cut; an earlier bad line is not valid JSON."""
    event = {"event_at": "2024-01-05 09:00:00", "event_name": "page_view", "user_id": "u1"}
    lines = [
        json.dumps({**event, "event_id": "e1"}),
        "{broken",
        json.dumps({**event, "event_id": "e3"}),
    ]
    write(exports, "traffic/2024-01-05.jsonl", "\n".join(lines))  # no final line break

    load_days(con, exports, "traffic", [DAY])

    [(line, reason)] = _quarantined(con)
    assert (line, reason.split(" (")[0]) == (2, "line is not valid JSON")


def test_a_json_lines_file_not_utf8_names_the_line_of_its_first_bad_byte(exports, con):
    """Bug caught: the line of the first bad byte counted from the second byte on, so a
    file starting with a blank line named the line before the bad one."""
    write(exports, "traffic/2024-01-05.jsonl", b"\n\xff\xfe\n")

    with pytest.raises(ExportFileError, match=r"byte 1 \(line 2\) is not UTF-8 text"):
        load_days(con, exports, "traffic", [DAY])


def test_a_long_broken_line_keeps_its_first_200_characters(exports, con):
    """Bug caught: the quarantine's raw value cut one character short of or past the 200
    documented (docs/your-shop.md), so a note counted on them is cut or the rest shows."""
    note = "x" * 300
    write(exports, "orders/2024-01-05.csv", ORDERS + f"A1,2024-01-05 10:00,S1,2,1.50,GBP,{note}\n")

    load_days(con, exports, "orders", [DAY])

    [raw] = con.execute("select raw_value from quality.quarantine").fetchone()
    assert raw == ("A1,2024-01-05 10:00,S1,2,1.50,GBP," + note)[:200]


@pytest.mark.parametrize(("at", "binary"), [(8191, True), (8192, False)])
def test_a_nul_byte_in_the_first_8_kib_means_binary_and_later_a_bad_value(exports, con, at, binary):
    """Bug caught: the binary sniff window a byte short of 8 KiB (a NUL on its last byte
    missed) or a byte past it (a NUL just after it refusing a whole text file, whose line
    holding it is quarantined like any bad value)."""
    rows = "".join(f"A{i:05d},2024-01-05 10:00,S1,2,1.50,GBP\n" for i in range(400))
    data = bytearray((ORDERS + rows).encode())
    data[at] = 0
    write(exports, "orders/2024-01-05.csv", bytes(data))

    if binary:
        with pytest.raises(ExportFileError, match="is binary, not a text export"):
            load_days(con, exports, "orders", [DAY])
    else:
        report = load_days(con, exports, "orders", [DAY])
        assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (400, 399, 1)
