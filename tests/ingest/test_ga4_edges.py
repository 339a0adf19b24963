"""The ga4 format at its edges: a timestamp outside years 1 to 9999."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import polars as pl

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


AFTER_YEAR_9999 = 253_402_300_800_000_000  # microseconds since 1970: 10000-01-01 00:00:00


def _one_event_at(exports: Path, stamp: int, offset_hours: int) -> None:
    """The fixture with its page_view on line 2 at `stamp`, read with the offset."""
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    event = json.loads(lines[1])
    event["event_timestamp"] = str(stamp)
    lines[1] = json.dumps(event)
    (exports / "traffic").mkdir(exist_ok=True)
    (exports / "traffic" / "2024-01-05.jsonl").write_text("\n".join(lines) + "\n")
    (exports / "exports.yaml").write_text(
        f"traffic: {{format: ga4, utc_offset_hours: {offset_hours}}}\n"
    )


def test_a_timestamp_outside_the_calendar_is_not_shifted_by_either_offset(exports, con):
    """Bug caught: the window of timestamps safe to shift widened by the offset instead of
    narrowed (`low + min(offset, 0)`, `high + max(offset, 0)`) or moved by a microsecond
    (`min(offset, 1)`, `max(offset, -1)`), so a timestamp just before year 1 or just after
    9999 is shifted, further out or back into the calendar, and quarantined showing a
    number or a date the export never held."""
    for stamp, offset_hours in (
        (BEFORE_YEAR_1, -1),
        (BEFORE_YEAR_1, 1),
        (AFTER_YEAR_9999, 1),
        (AFTER_YEAR_9999, -1),
    ):
        _one_event_at(exports, stamp, offset_hours)
        load_days(con, exports, "traffic", [DAY])
        quarantined = con.execute(
            "select column_name, raw_value from quality.quarantine where line = 2"
        ).fetchall()
        assert quarantined == [("event_at", str(stamp))], offset_hours


def test_an_item_quantity_or_price_that_is_no_number_quarantines_only_its_event(exports, con):
    """Bug caught: the item's quantity or price read as a number strictly, so one event
    whose item says quantity "two" (JSON Lines) or price "n/a" (a Parquet export typing
    price as text) fails the whole day's load instead of loading that event without a
    value, quarantined only for the quantity that is no whole number."""
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    event = json.loads(lines[2])  # line 3: view_item
    event["items"][0]["quantity"] = "two"
    lines[2] = json.dumps(event)
    (exports / "traffic").mkdir()
    (exports / "traffic" / "2024-01-05.jsonl").write_text("\n".join(lines) + "\n")
    load_days(con, exports, "traffic", [DAY])
    quarantined = con.execute(
        "select column_name, raw_value from quality.quarantine where line = 3"
    ).fetchall()
    assert quarantined == [("quantity", "two")]

    (exports / "traffic" / "2024-01-05.jsonl").unlink()
    item = pl.Struct({"item_id": pl.String(), "quantity": pl.String(), "price": pl.String()})
    pl.DataFrame(
        {
            "event_timestamp": [1704449472000000],
            "event_name": ["view_item"],
            "user_pseudo_id": ["u1"],
            "items": [[{"item_id": "FERN-1", "quantity": "2", "price": "n/a"}]],
        },
        schema_overrides={"items": pl.List(item)},
    ).write_parquet(exports / "traffic" / "2024-01-05.parquet")
    report = load_days(con, exports, "traffic", [DAY])
    assert (report.rows_loaded, report.rows_quarantined) == (1, 0)
    assert con.execute("select sku, quantity, value from raw.traffic_events").fetchall() == [
        ("FERN-1", 2, None)
    ]


def test_an_item_price_that_is_text_or_no_finite_number_is_unreadable_json(exports, con):
    """Bug caught: a price in an item's JSON taken when it is a string ("16.0") or NaN, as
    if only a value both not a number and not finite were unfit: the JSON then has
    another shape than GA4's, and the event must be quarantined naming the items column,
    not loaded with a price read from text or a NaN value."""
    (exports / "traffic").mkdir()
    (exports / "exports.yaml").write_text("traffic: {format: ga4}\n")
    for price in ('"16.0"', "NaN"):
        items = '[{"item_id": "FERN-1", "quantity": "2", "price": ' + price + "}]"
        (exports / "traffic" / "2024-01-05.csv").write_text(
            "event_timestamp,event_name,user_pseudo_id,items\n"
            f'1704449472000000,view_item,u1,"{items.replace(chr(34), 2 * chr(34))}"\n'
        )
        report = load_days(con, exports, "traffic", [DAY])
        assert (report.rows_loaded, report.rows_quarantined) == (0, 1), price
        raw = con.execute("select raw_value from quality.quarantine").fetchall()
        assert raw == [("unreadable JSON in items",)], price


FIRST_INSTANT = -62_135_596_800_000_000  # microseconds since 1970: 0001-01-01 00:00:00
LAST_INSTANT = 253_402_300_799_999_999  # 9999-12-31 23:59:59.999999


def test_the_calendars_first_and_last_instant_are_shifted_like_any_other(exports, con):
    """Bug caught: the window of timestamps safe to shift narrowed by a microsecond
    (`min(offset, -1)`, `max(offset, 1)`), so 0001-01-01 00:00 under +1 hour, or the last
    microsecond of 9999 under -1 hour, stays at UTC while every other event moves to the
    shop's time; both stay inside years 1 to 9999 once shifted."""
    bounds = dataclasses.replace(RowBounds.from_settings(), first_day=dt.date(1, 1, 1))
    _one_event_at(exports, FIRST_INSTANT, 1)
    load_days(con, exports, "traffic", [DAY], bounds=bounds)
    loaded = con.execute("select event_at from raw.traffic_events where _line = 2").fetchall()
    assert loaded == [(dt.datetime(1, 1, 1, 1, 0),)]
    _one_event_at(exports, LAST_INSTANT, -1)
    load_days(con, exports, "traffic", [DAY], bounds=bounds)
    quarantined = con.execute(
        "select raw_value from quality.quarantine where line = 2"
    ).fetchall()  # after its export day: refused by the bound, quoting the shifted time
    assert quarantined == [("9999-12-31 22:59:59.999999",)]


def test_an_item_without_a_quantity_is_worth_one_unit(exports, con):
    """Bug caught: an item with no quantity counted as 0 or 2 units in the event's value
    (price x quantity), so a view_item of a 16.00 print is worth 0.00 or 32.00."""
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    event = json.loads(lines[2])  # line 3: view_item, price 16.0
    del event["items"][0]["quantity"]
    lines[2] = json.dumps(event)
    (exports / "traffic").mkdir()
    (exports / "traffic" / "2024-01-05.jsonl").write_text("\n".join(lines) + "\n")
    load_days(con, exports, "traffic", [DAY])
    value = con.execute("select quantity, value from raw.traffic_events where _line = 3")
    assert value.fetchall() == [(None, 16.0)]
