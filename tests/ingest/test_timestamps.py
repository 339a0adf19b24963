"""Date-times with a UTC offset (ISO 8601, as Shopify writes them) load as the shop's local
time: converted to schedule.timezone when it is set, as written when it is not; mixed with
shop-local ones in one file; what still is no date-time is quarantined with its file, line,
column and reason."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from config.settings import ScheduleSettings
from ingest.bounds import RowBounds
from ingest.load import load_days
from ingest.timestamps import first_format_moments
from tests.ingest.test_quarantine import write

HEADER = "order_id,ordered_at,sku,quantity,unit_price,currency\n"
NOT_A_DATETIME = (
    "is not a date-time; export shop local time as YYYY-MM-DD HH:MM:SS, or ISO 8601 with its "
    "UTC offset (e.g. 2024-03-05T14:22:01+01:00)"
)


def _bounds(zone: str | None) -> RowBounds:
    schedule = ScheduleSettings(timezone=zone) if zone else None
    return RowBounds.from_settings(today=dt.date(2024, 11, 30), schedule=schedule)


def _load(exports, con, day: dt.date, lines: list[str], zone: str | None = "Europe/Berlin"):
    write(
        exports, f"orders/{day}.csv", HEADER + "".join(f"{line},S1,1,2.0,EUR\n" for line in lines)
    )
    report = load_days(con, exports, "orders", [day], bounds=_bounds(zone))
    loaded = dict(con.execute("select order_id, ordered_at from raw.orders").fetchall())
    quarantined = con.execute(
        "select file, line, column_name, raw_value, reason from quality.quarantine order by line"
    ).fetchall()
    # Every row read is either loaded or quarantined, never dropped.
    assert report.rows_read == len(lines) == len(loaded) + len(quarantined)
    assert (report.rows_loaded, report.rows_quarantined) == (len(loaded), len(quarantined))
    return loaded, quarantined


def test_offsets_and_z_mixed_with_local_times_in_one_file(exports, con):
    """Bug caught: "2024-03-30T14:22:01+01:00" quarantined as "not a date-time", or loaded
    at its wall-clock time whatever its offset (a -05:00 order 6 hours off in Berlin)."""
    loaded, quarantined = _load(
        exports,
        con,
        dt.date(2024, 3, 30),
        [
            "LOCAL,2024-03-30 10:00:00",  # shop local already: as it is
            "PLUS,2024-03-30T14:22:01+01:00",  # Berlin is +01:00 in March: the same clock
            "ZULU,2024-03-30T13:22:01Z",  # UTC: one hour later in Berlin
            "MINUS,2024-03-30T09:30:00.250-0500",  # New York time, compact offset, fraction
            "HOURS,2024-03-30T20:00+05",  # offset in hours only, no seconds
            "SPACE,2024-03-30 12:00:00 +00:00",  # a space before the offset
            "BADDAY,2024-02-30T10:00:00+01:00",  # 30 February: still no date-time
            "NAMED,2024-03-30 10:00:00 CET",  # a zone name is not an offset
        ],
    )
    assert loaded == {
        "LOCAL": dt.datetime(2024, 3, 30, 10, 0),
        "PLUS": dt.datetime(2024, 3, 30, 14, 22, 1),
        "ZULU": dt.datetime(2024, 3, 30, 14, 22, 1),
        "MINUS": dt.datetime(2024, 3, 30, 15, 30, 0, 250_000),
        "HOURS": dt.datetime(2024, 3, 30, 16, 0),
        "SPACE": dt.datetime(2024, 3, 30, 13, 0),
    }
    file = "orders/2024-03-30.csv"
    assert quarantined == [
        (
            file,
            8,
            "ordered_at",
            "2024-02-30T10:00:00+01:00",
            f'ordered_at "2024-02-30T10:00:00+01:00" {NOT_A_DATETIME}',
        ),
        (
            file,
            9,
            "ordered_at",
            "2024-03-30 10:00:00 CET",
            f'ordered_at "2024-03-30 10:00:00 CET" {NOT_A_DATETIME}',
        ),
    ]


def test_daylight_saving_changes_in_the_shop_zone(exports, con):
    """Bug caught: a fixed offset used for the whole year, so orders after the spring change
    land an hour early (or in the hour that does not exist)."""
    loaded, _ = _load(
        exports,
        con,
        dt.date(2024, 3, 31),
        [
            "BEFORE,2024-03-31T00:59:59Z",  # 01:59:59 CET, the last second of winter time
            "AFTER,2024-03-31T01:00:00Z",  # 03:00 CEST: 02:00 to 03:00 does not exist
            "SUMMER,2024-03-31T12:00:00+02:00",
        ],
    )
    assert loaded == {
        "BEFORE": dt.datetime(2024, 3, 31, 1, 59, 59),
        "AFTER": dt.datetime(2024, 3, 31, 3, 0),
        "SUMMER": dt.datetime(2024, 3, 31, 12, 0),
    }


def test_the_autumn_hour_repeats_as_the_shop_clock_does(exports, con):
    """The two instants an hour apart at the autumn change show the same local time, as a
    shop-local export would write them; both load (nothing is lost or quarantined)."""
    loaded, quarantined = _load(
        exports,
        con,
        dt.date(2024, 10, 27),
        ["FIRST,2024-10-27T00:30:00Z", "SECOND,2024-10-27T01:30:00Z"],
    )
    assert loaded == {
        "FIRST": dt.datetime(2024, 10, 27, 2, 30),
        "SECOND": dt.datetime(2024, 10, 27, 2, 30),
    }
    assert quarantined == []


def test_without_a_shop_zone_the_written_wall_clock_is_kept(exports, con):
    """Bug caught: with schedule.timezone unset, an order at 00:30+01:00 converted to UTC
    and booked on the day before, unlike the shop's own reports; or, across a
    daylight-saving change of the offset, times shifted by the hour the offset moved."""
    loaded, quarantined = _load(
        exports,
        con,
        dt.date(2026, 3, 29),
        [
            "MIDNIGHT,2026-03-01T00:30:00+01:00",  # just after midnight, winter time
            "BEFORE,2026-03-29T01:30:00+01:00",  # the hour before the spring change
            "AFTER,2026-03-29T03:30:00+02:00",  # the hour after it: the offset moved
            "SUMMER,2026-03-30T00:15:00+02:00",  # just after midnight, summer time
            "ZULU,2026-03-29T23:45:00Z",  # the platform wrote UTC: kept as written too
            "LOCAL,2026-03-29 10:00:00",  # no offset: as it is
        ],
        zone=None,
    )
    assert loaded == {
        "MIDNIGHT": dt.datetime(2026, 3, 1, 0, 30),
        "BEFORE": dt.datetime(2026, 3, 29, 1, 30),
        "AFTER": dt.datetime(2026, 3, 29, 3, 30),
        "SUMMER": dt.datetime(2026, 3, 30, 0, 15),
        "ZULU": dt.datetime(2026, 3, 29, 23, 45),
        "LOCAL": dt.datetime(2026, 3, 29, 10, 0),
    }
    assert quarantined == []


def test_a_set_zone_converts_the_same_rows(exports, con):
    """Bug caught: a zone set in the settings ignored (the written clock kept), so a shop
    whose platform writes UTC or another zone books orders near midnight on the wrong day."""
    lines = [
        "MIDNIGHT,2026-03-01T00:30:00+01:00",
        "BEFORE,2026-03-29T01:30:00+01:00",
        "AFTER,2026-03-29T03:30:00+02:00",
        "SUMMER,2026-03-30T00:15:00+02:00",
    ]
    in_utc, _ = _load(exports, con, dt.date(2026, 3, 29), lines, zone="UTC")
    assert in_utc == {
        "MIDNIGHT": dt.datetime(2026, 2, 28, 23, 30),  # the day before in UTC
        "BEFORE": dt.datetime(2026, 3, 29, 0, 30),
        "AFTER": dt.datetime(2026, 3, 29, 1, 30),
        "SUMMER": dt.datetime(2026, 3, 29, 22, 15),
    }


def test_the_same_rows_in_the_zone_they_were_written_in(exports, con):
    """With the zone the offsets belong to (Berlin), converting gives back the written clock
    on both sides of the spring change: unset and set to the shop's zone agree."""
    lines = [
        "MIDNIGHT,2026-03-01T00:30:00+01:00",
        "BEFORE,2026-03-29T01:30:00+01:00",
        "AFTER,2026-03-29T03:30:00+02:00",
        "SUMMER,2026-03-30T00:15:00+02:00",
    ]
    in_berlin, _ = _load(exports, con, dt.date(2026, 3, 29), lines, zone="Europe/Berlin")
    assert in_berlin == {
        "MIDNIGHT": dt.datetime(2026, 3, 1, 0, 30),
        "BEFORE": dt.datetime(2026, 3, 29, 1, 30),
        "AFTER": dt.datetime(2026, 3, 29, 3, 30),
        "SUMMER": dt.datetime(2026, 3, 30, 0, 15),
    }


@pytest.mark.parametrize("iso_rows", [0, 10], ids=["most-values-left", "few-values-left"])
def test_each_value_takes_the_first_format_that_reads_it(iso_rows):
    """Bug caught: values left by the first format read by a later one in the wrong order
    ("01/02/2024" as 2 January when day-first comes first), or put back on the wrong rows,
    whether they are parsed in place (most left) or picked out (few left)."""
    values = pl.Series(["2024-03-05"] * iso_rows + ["01/02/2024", None, "13/02/2024", "x"])
    moments = first_format_moments(values, ("%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y"))
    assert moments.to_list() == [dt.datetime(2024, 3, 5)] * iso_rows + [
        dt.datetime(2024, 2, 1),
        None,
        dt.datetime(2024, 2, 13),
        None,
    ]


def test_offsets_with_minutes_and_negative_offsets():
    """Bug caught: an offset's minutes subtracted from its hours, or dropped, so an order
    written at +05:30 (India) or -03:30 (Newfoundland) landed 60 minutes (or 30) off; the
    whole-hour offsets of the other tests cannot tell those apart. Written forms: with and
    without a colon, hours only, "Z"."""
    from ingest.timestamps import offset_minutes

    text = pl.Series(
        [
            "2024-03-05T14:22:01+05:30",
            "2024-03-05T14:22:01-03:30",
            "2024-03-05T14:22:01+0545",
            "2024-03-05 14:22 -02",
            "2024-03-05T14:22:01Z",
        ]
    )
    assert offset_minutes(text).to_list() == [330, -210, 345, -120, 0]


def test_no_formats_read_nothing():
    """Bug caught: with no formats the answer was not a date-time series of the text's
    length (an expression, or an error from taking the first of no formats), so a column
    whose formats were all removed could not be quarantined row by row."""
    moments = first_format_moments(pl.Series(["2024-03-05", None]), ())
    assert moments.dtype == pl.Datetime("us")
    assert moments.to_list() == [None, None]
