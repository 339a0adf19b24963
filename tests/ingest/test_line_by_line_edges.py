"""Edge cases of the line-by-line readers: where a file's lines are judged one by one."""

from __future__ import annotations

import datetime as dt
import json

from ingest.load import load_days
from tests.ingest.damage import ORDERS, write

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
