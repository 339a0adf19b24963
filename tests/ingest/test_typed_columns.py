"""Typed Parquet columns skip the text round trip, and bad values quarantine as from text."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from ingest.cast_text import as_text
from ingest.load import load_days
from tests.ingest.damage import write

DAY = dt.date(2024, 1, 5)
AT = dt.datetime(2024, 1, 5, 10, 0, 1)
NAN, INF = float("nan"), float("inf")


def quarantine(con):
    return con.execute(
        "select line, column_name, raw_value, reason from quality.quarantine order by line"
    ).fetchall()


def write_parquet(exports, relative, frame):
    path = exports / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.write_parquet(path)


def test_columns_of_the_contract_type_stay_typed_and_others_become_text():
    frame = pl.DataFrame(
        {
            "event_at": pl.Series([AT], dtype=pl.Datetime("us", "UTC")),
            "event_name": ["page_view"],
            "user_id": ["u1"],
            "quantity": pl.Series([2], dtype=pl.Int32),  # not Int64: parsed from text
            "value": [1.5],
            "_line": [1],
        }
    )
    text, notes = as_text("traffic", frame, "traffic/2024-01-05.parquet")
    assert notes == []
    assert text.schema["event_at"] == pl.Datetime("us")  # the time zone dropped, wall clock kept
    assert text.schema["value"] == pl.Float64
    assert text.schema["quantity"] == pl.String
    assert text.schema["session_id"] == pl.String  # absent optional column: null text
    assert text.select("event_at", "quantity", "value", "session_id").row(0) == (AT, "2", 1.5, None)


def test_a_date_time_column_for_a_date_stays_typed_as_its_date():
    frame = pl.DataFrame({"snapshot_date": [AT], "sku": ["S1"], "on_hand": [3]})
    text, _ = as_text("inventory", frame, "inventory/2024-01-05.parquet")
    assert text.schema["snapshot_date"] == pl.Date
    assert text["snapshot_date"].to_list() == [DAY]


TRAFFIC = {
    "event_at": [AT, AT, AT, None, AT],
    "event_name": ["page_view"] * 5,
    "user_id": ["u1"] * 5,
    "event_id": ["e1", "e2", "e3", "e4", "e1"],
    "quantity": [2, 1, 1, 1, 1],
    "value": [1.5, NAN, INF, 1.0, 2.0],
}
NOT_A_NUMBER = "is not a number; export digits with a dot for decimals, e.g. 2.55"


@pytest.mark.parametrize("typed", [True, False], ids=["typed", "as-text"])
def test_typed_parquet_values_quarantine_with_the_reasons_of_their_text(exports, con, typed):
    frame = pl.DataFrame(TRAFFIC)
    if not typed:  # the same values as text take the parsing path: same result expected
        frame = frame.with_columns(pl.all().cast(pl.String))
    write_parquet(exports, "traffic/2024-01-05.parquet", frame)

    report = load_days(con, exports, "traffic", [DAY])

    assert quarantine(con) == [
        (2, "value", "NaN", f'value "NaN" {NOT_A_NUMBER}'),
        (3, "value", "inf", f'value "inf" {NOT_A_NUMBER}'),
        (
            4,
            "event_at",
            None,
            "event_at is missing; every traffic row needs event_at, fill it in the export",
        ),
        (
            5,
            "event_id",
            "e1",
            'duplicate event_id "e1" also on line 1; that line is loaded, '
            "export each event_id once per file",
        ),
    ]
    assert con.execute(
        "select event_at, event_id, quantity, value, _line from raw.traffic_events"
    ).fetchall() == [(AT, "e1", 2, 1.5, 1)]
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (5, 1, 4)


INVENTORY = {
    "snapshot_date": [DAY, DAY, None, DAY],
    "sku": ["S1", "S2", "S3", "S1"],
    "on_hand": [3, -2, 1, 5],
    "on_order": [0, None, None, None],
}


@pytest.mark.parametrize("typed", [True, False], ids=["typed", "as-text"])
def test_typed_dates_and_numbers_are_quoted_as_text_in_reasons(exports, con, typed):
    frame = pl.DataFrame(INVENTORY)
    if not typed:
        frame = frame.with_columns(pl.all().cast(pl.String))
    write_parquet(exports, "inventory/2024-01-05.parquet", frame)

    load_days(con, exports, "inventory", [DAY])

    key = "(snapshot_date, sku, location)"
    assert quarantine(con) == [
        (
            2,
            "on_hand",
            "-2",
            'on_hand "-2" is negative; export the sellable units on hand (0 or more)',
        ),
        (
            3,
            "snapshot_date",
            None,
            "snapshot_date is missing; every inventory row needs snapshot_date, "
            "fill it in the export",
        ),
        (
            4,
            "snapshot_date, sku, location",
            "2024-01-05 | S1",
            f'duplicate {key} "2024-01-05, S1, main" also on line 1; '
            f"that line is loaded, export each {key} once per file",
        ),
    ]
    assert con.execute(
        "select snapshot_date, sku, on_hand, on_order, location, _line from raw.inventory"
    ).fetchall() == [(DAY, "S1", 3, 0, None, 1)]  # location defaults in staging


def test_files_typed_and_as_text_in_one_chunk_load_together(exports, con):
    typed = pl.DataFrame({"event_at": [AT], "event_name": ["page_view"], "user_id": ["u1"]})
    write_parquet(exports, "traffic/2024-01-05.parquet", typed)
    as_text_day = typed.with_columns(
        pl.col("event_at").dt.offset_by("1d").dt.strftime("%Y-%m-%d %H:%M:%S")
    )
    write_parquet(exports, "traffic/2024-01-06.parquet", as_text_day)

    report = load_days(con, exports, "traffic")

    assert report.rows_loaded == 2
    assert con.execute(
        "select event_at, _file from raw.traffic_events order by event_at"
    ).fetchall() == [
        (AT, "traffic/2024-01-05.parquet"),
        (AT + dt.timedelta(days=1), "traffic/2024-01-06.parquet"),
    ]


def test_the_calendar_span_is_years_1_to_9999_in_every_unit():
    """Bug caught: the span of the years exports can write computed one unit short at
    either end (9999-12-31 itself, or its last second, taken for a date beyond the
    calendar and quarantined), or not clipped to Int64 for nanoseconds. The expected
    values come from Python's own calendar, not from the constants under test."""
    from ingest.cast_text import calendar_span

    epoch = dt.datetime(1970, 1, 1)
    first, last = dt.datetime(1, 1, 1), dt.datetime(9999, 12, 31, 23, 59, 59, 999_999)
    assert calendar_span(pl.Date()) == (
        (first.date() - epoch.date()).days,
        (last.date() - epoch.date()).days,
    )
    micros = (
        (first - epoch) // dt.timedelta(microseconds=1),
        (last - epoch) // dt.timedelta(microseconds=1),
    )
    assert calendar_span(pl.Datetime("us")) == micros
    assert calendar_span(pl.Datetime("ms")) == (micros[0] // 1000, micros[1] // 1000)
    assert calendar_span(pl.Datetime("ns")) == (-(2**63), 2**63 - 1)


def test_parquet_days_read_together_keep_each_file_its_lines(exports, con):
    """Bug caught: Parquet days read in one call numbered as one file (the second day's
    first row on line 3), tagged with the wrong file or day, or a day with other columns
    read with the rest (its new column lost, or the read refused)."""
    day = pl.DataFrame(
        {"event_at": [AT, AT], "event_name": ["page_view", "nope"], "user_id": ["u1", "u2"]}
    )
    write_parquet(exports, "traffic/2024-01-05.parquet", day)
    write_parquet(exports, "traffic/2024-01-06.parquet", day.reverse())
    write_parquet(exports, "traffic/2024-01-07.parquet", day.with_columns(pl.lit("x").alias("new")))

    report = load_days(con, exports, "traffic")

    assert [(f.file, f.rows_read, f.rows_loaded, f.rows_quarantined) for f in report.files] == [
        ("traffic/2024-01-05.parquet", 2, 1, 1),
        ("traffic/2024-01-06.parquet", 2, 1, 1),
        ("traffic/2024-01-07.parquet", 2, 1, 1),
    ]
    assert con.execute(
        "select _file, _export_date, _line, user_id, _extra from raw.traffic_events order by _file"
    ).fetchall() == [
        ("traffic/2024-01-05.parquet", dt.date(2024, 1, 5), 1, "u1", None),
        ("traffic/2024-01-06.parquet", dt.date(2024, 1, 6), 2, "u1", None),
        ("traffic/2024-01-07.parquet", dt.date(2024, 1, 7), 1, "u1", '{"new":"x"}'),
    ]
    assert con.execute(
        "select file, line, raw_value from quality.quarantine order by file"
    ).fetchall() == [
        ("traffic/2024-01-05.parquet", 2, "nope"),
        ("traffic/2024-01-06.parquet", 1, "nope"),
        ("traffic/2024-01-07.parquet", 2, "nope"),
    ]


def test_a_damaged_parquet_day_among_good_ones_is_named(exports, con):
    """Bug caught: one unreadable day among days read together fails the read with no
    file named (or is skipped silently)."""
    day = pl.DataFrame({"event_at": [AT], "event_name": ["page_view"], "user_id": ["u1"]})
    write_parquet(exports, "traffic/2024-01-05.parquet", day)
    write_parquet(exports, "traffic/2024-01-07.parquet", day)
    (exports / "traffic/2024-01-06.parquet").write_bytes(b"PAR1 not really parquet PAR1")

    with pytest.raises(Exception, match=r"traffic/2024-01-06.parquet is not a readable Parquet"):
        load_days(con, exports, "traffic")


def test_boolean_words_load_as_booleans_and_other_words_are_quarantined(exports, con):
    """Bug caught: a boolean column's text passed on unparsed: DuckDB happens to read the
    usual words, but a word that is neither ("maybe") then failed the whole load with a
    conversion error instead of quarantining its line."""
    write(
        exports,
        "catalog/2024-01-05.csv",
        "sku,unit_cost,is_product\nS1,1,no\nS2,1,Y\nS3,1,0\nS4,1,TRUE\nS5,1, f \nS6,1,\n"
        "S7,1,maybe\n",
    )
    report = load_days(con, exports, "catalog", [dt.date(2024, 1, 5)])
    assert (report.rows_loaded, report.rows_quarantined) == (6, 1)
    assert con.execute("select sku, is_product from raw.catalog order by sku").fetchall() == [
        ("S1", False), ("S2", True), ("S3", False), ("S4", True), ("S5", False), ("S6", None),
    ]  # fmt: skip
    assert con.execute("select line, raw_value, reason from quality.quarantine").fetchall() == [
        (8, "maybe", 'is_product "maybe" is not true or false')
    ]


def test_values_on_the_calendars_first_and_last_instant_stay_typed():
    """Bug caught: the calendar check written `<= first` (or `>= last`), so a column
    holding 0001-01-01 00:00 or 9999-12-31 23:59:59.999999, both printable, is taken for
    one beyond the calendar: every value of it goes through text, and a date-time given
    for a date is quoted in quarantine as a date-time instead of as its date."""
    first, last = dt.datetime(1, 1, 1), dt.datetime(9999, 12, 31, 23, 59, 59, 999_999)
    for value in (first, last):
        frame = pl.DataFrame({"snapshot_date": [value, AT], "sku": ["S1", "S2"], "on_hand": 1})
        text, _ = as_text("inventory", frame, "inventory/2024-01-05.parquet")
        assert text["snapshot_date"].to_list() == [value.date(), DAY], value
        traffic = pl.DataFrame({"event_at": [value, AT], "event_name": ["page_view"] * 2})
        text, _ = as_text("traffic", traffic.with_columns(user_id=pl.lit("u1")), "t.parquet")
        assert text["event_at"].to_list() == [value, AT], value
    dates = pl.DataFrame(
        {"snapshot_date": [first.date(), last.date()], "sku": ["S1", "S2"], "on_hand": 1}
    )
    text, _ = as_text("inventory", dates, "inventory/2024-01-05.parquet")
    assert text["snapshot_date"].to_list() == [first.date(), last.date()]


def test_a_zoned_column_beyond_the_calendar_keeps_its_wall_clock_time(exports, con):
    """Bug caught: a zoned date-time column that also holds a sentinel beyond year 9999
    turned into text with its UTC offset, so its good values are moved into the shop's
    time zone (10:00 in Berlin loads as 04:00 for a New York shop) where the same column
    without the sentinel keeps the wall-clock time the export wrote."""
    from config.settings import ScheduleSettings
    from ingest.bounds import RowBounds

    berlin = pl.Series([AT]).dt.replace_time_zone("Europe/Berlin").to_physical()
    sentinel = 2**62  # microseconds since 1970: a year far beyond 9999
    event_at = pl.Series([berlin[0], sentinel]).cast(pl.Datetime("us", "Europe/Berlin"))
    frame = pl.DataFrame(
        {"event_at": event_at, "event_name": ["page_view"] * 2, "user_id": ["u1", "u2"]}
    )
    write_parquet(exports, "traffic/2024-01-05.parquet", frame)
    new_york = ScheduleSettings(timezone="America/New_York")
    bounds = RowBounds.from_settings(today=DAY, schedule=new_york)
    load_days(con, exports, "traffic", [DAY], bounds=bounds)
    assert con.execute("select user_id, event_at from raw.traffic_events").fetchall() == [
        ("u1", AT)
    ]
    (raw,) = con.execute("select raw_value from quality.quarantine").fetchone()
    assert raw == str(sentinel)
