"""The ga4 format at its edges: a timestamp outside years 1 to 9999."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

from ingest.bounds import RowBounds
from ingest.load import load_days

FIXTURE = Path(__file__).parent / "fixtures" / "ga4" / "events_20240105.jsonl"
DAY = dt.date(2024, 1, 5)
BEFORE_YEAR_1 = -62_135_596_800_000_001  # microseconds since 1970: 1 before 0001-01-01


def test_a_timestamp_just_before_the_calendar_is_quarantined_as_exported(exports, con):
    """Bug caught: a timestamp outside years 1 to 9999 moved (by a microsecond, say) when
    it is left unshifted, so one microsecond before year 1 loads as 0001-01-01 instead of
    being quarantined showing the exported number. The page_view on line 2 gets it; the
    history is made to start on 0001-01-01 so that no plausibility bound quarantines a
    year-1 event anyway."""
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    event = json.loads(lines[1])
    event["event_timestamp"] = str(BEFORE_YEAR_1)
    lines[1] = json.dumps(event)
    (exports / "traffic").mkdir()
    (exports / "traffic" / "2024-01-05.jsonl").write_text("\n".join(lines) + "\n")
    bounds = dataclasses.replace(RowBounds.from_settings(), first_day=dt.date(1, 1, 1))
    load_days(con, exports, "traffic", [DAY], bounds=bounds)
    quarantined = con.execute(
        "select column_name, raw_value from quality.quarantine where line = 2"
    ).fetchall()
    assert quarantined == [("event_at", str(BEFORE_YEAR_1))]
