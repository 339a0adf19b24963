"""The ga4 format on rows shaped like GA4's BigQuery export, as JSON Lines and Parquet."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import polars as pl
import pytest

from ingest.formats.ga4 import utc_offset_hours
from ingest.load import load_days
from tests.ingest.damage import write

FIXTURE = Path(__file__).parent / "fixtures" / "ga4" / "events_20240105.jsonl"
DAY = dt.date(2024, 1, 5)
U1, U2 = "1197450262.1704445872", "88231.1704449000"


def _drop(exports: Path, extension: str) -> None:
    (exports / "traffic").mkdir()
    target = exports / "traffic" / f"2024-01-05.{extension}"
    if extension == "jsonl":
        shutil.copy(FIXTURE, target)
    else:
        pl.read_ndjson(FIXTURE, infer_schema_length=None).write_parquet(target)


@pytest.mark.parametrize("extension", ["jsonl", "parquet"])
def test_ga4_events_map_to_the_funnel_and_other_events_are_quarantined(exports, con, extension):
    _drop(exports, extension)
    (exports / "exports.yaml").write_text("traffic: {format: ga4, utc_offset_hours: 1}\n")

    report = load_days(con, exports, "traffic", [DAY])

    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (9, 6, 3)
    rows = con.execute(
        "select event_at, event_name, user_id, session_id, customer_id, order_id, sku, "
        "quantity, value, device, source, medium, country, page, _line "
        "from raw.traffic_events order by _line"
    ).fetchall()
    shop = "https://shop.example/"
    u1 = (U1, "1704445872")
    mobile = ("mobile", "google", "organic", "Germany")
    assert rows == [
        (dt.datetime(2024, 1, 5, 10, 11, 12), "page_view", *u1, None, None, None, None, None,
         *mobile, shop, 2),
        (dt.datetime(2024, 1, 5, 10, 11, 32), "view_item", *u1, None, None, "FERN-1", 2, 32.0,
         *mobile, shop + "products/fern", 3),
        (dt.datetime(2024, 1, 5, 10, 11, 57), "add_to_cart", *u1, None, None, "FERN-1", 2, 32.0,
         *mobile, shop + "products/fern", 4),
        (dt.datetime(2024, 1, 5, 10, 12, 12), "begin_checkout", *u1, None, None, "FERN-1", 2,
         32.0, *mobile, shop + "checkout", 5),
        (dt.datetime(2024, 1, 5, 10, 13, 12), "purchase", *u1, "C-77", "T1001", "FERN-1", 2,
         32.0, *mobile, shop + "checkout/thank_you", 6),
        (dt.datetime(2024, 1, 5, 11, 3, 20), "page_view", U2, "1704449000", None, None, None,
         None, None, "desktop", "(direct)", "(none)", "France", shop, 8),
    ]  # fmt: skip
    quarantined = con.execute(
        "select line, column_name, raw_value from quality.quarantine order by line"
    )
    assert quarantined.fetchall() == [
        (1, "event_name", "session_start"),
        (7, "event_name", "first_visit"),
        (9, "event_name", "scroll"),
    ]


def test_ga4_is_detected_and_utc_by_default(exports, con):
    _drop(exports, "jsonl")

    report = load_days(con, exports, "traffic", [DAY])

    assert report.detected_formats == {"traffic/2024-01-05.jsonl": "ga4"}
    assert con.execute("select min(event_at) from raw.traffic_events").fetchall() == [
        (dt.datetime(2024, 1, 5, 9, 11, 12),)
    ]


@pytest.mark.parametrize("offset", [True, False, "1"])
def test_a_utc_offset_that_is_not_a_number_of_hours_is_refused(offset):
    """Bug caught: `utc_offset_hours: true` (a YAML boolean is a Python int) taken for one
    hour, or a quoted "1" failing with a TypeError instead of saying how to write it."""
    with pytest.raises(ValueError, match="utc_offset_hours .* is not an offset in hours"):
        utc_offset_hours({"utc_offset_hours": offset})
    assert utc_offset_hours({"utc_offset_hours": -3.5}) == -3.5


def test_utc_offsets_up_to_14_hours_either_way_are_accepted():
    """Bug caught: the edge of the accepted range made strict, so a shop on UTC+14 (Line
    Islands) is told its offset is not one; 14.5 hours is none anywhere."""
    assert [utc_offset_hours({"utc_offset_hours": h}) for h in (14, -14)] == [14.0, -14.0]
    with pytest.raises(ValueError, match="between -14 and 14"):
        utc_offset_hours({"utc_offset_hours": 14.5})


def test_ga4_nested_columns_given_as_json_text_are_read(exports, con):
    """Bug caught: a JSON list in a text column (a CSV export, or the line-by-line reader)
    taken as the wrong shape, so every event's item was quarantined as unreadable JSON."""
    items = json.dumps([{"item_id": "FERN-1", "quantity": "2", "price": 16.0}])
    device = json.dumps({"category": "mobile"})
    csv_field = '"' + items.replace('"', '""') + '"'
    write(
        exports,
        "traffic/2024-01-05.csv",
        "event_timestamp,event_name,user_pseudo_id,items,device\n"
        f'1704449472000000,view_item,u1,{csv_field},"{device.replace(chr(34), 2 * chr(34))}"\n',
    )
    (exports / "exports.yaml").write_text("traffic: {format: ga4}\n")

    report = load_days(con, exports, "traffic", [DAY])

    assert (report.rows_loaded, report.rows_quarantined) == (1, 0)
    assert con.execute(
        "select event_at, event_name, user_id, sku, quantity, value, device "
        "from raw.traffic_events"
    ).fetchall() == [(dt.datetime(2024, 1, 5, 10, 11, 12), "view_item", "u1", "FERN-1", 2, 32.0,
                      "mobile")]  # fmt: skip
