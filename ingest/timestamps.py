"""Date-time text of an export as the shop's local wall-clock time.

Exports write shop local time ("2024-03-05 14:22:01", the contract's formats in
``ISO_DATETIME_FORMATS`` plus a format adapter's own). Many platforms (Shopify among them)
write ISO 8601 with a UTC offset instead: "2024-03-05T14:22:01+01:00", "...+0100", "...+01"
or "...Z" for UTC. How such a value is read depends on ``schedule.timezone``:

- unset (the default): the wall-clock time written before the offset is kept. A platform
  writes a shop's orders in the shop's own time with that moment's offset, so "00:30+01:00"
  stays at 00:30 on its day, as in the shop's own reports, and across a daylight-saving
  change the offset changes with the clock and the times stay as written.
- set: the value is the instant it names, shown in that zone: the offset is taken off to
  get UTC, and UTC is converted to the zone, daylight saving included. Use it when the
  platform writes UTC ("...Z") or another zone than the shop's. Across the autumn change
  two instants an hour apart then show the same wall-clock time (as a shop-local export
  would).

Both kinds may be mixed in one file. A value no format parses stays null, and its row is
quarantined by the caller.
"""

from __future__ import annotations

import polars as pl

ISO_DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d",
)


def first_format_moments(text: pl.Series, formats: tuple[str, ...]) -> pl.Series:
    """Each value parsed by the first of `formats` that parses it (null when none does).

    The same as trying every format on every value and keeping the first that parses,
    but a later format is tried only while values are left: one parse per value on a real
    export, which writes one format. A few values left are picked out and parsed alone;
    many (a date column, which the date-time formats before the date format all miss)
    are parsed in place, which costs less than picking them out and putting them back.
    """
    if not formats:
        return pl.repeat(None, text.len(), dtype=pl.Datetime("us"), eager=True)
    moments = text.str.to_datetime(formats[0], strict=False, time_unit="us")
    for candidate in formats[1:]:
        left_count = moments.null_count() - text.null_count()
        if left_count == 0:
            break
        if 2 * left_count > text.len():
            parsed = text.str.to_datetime(candidate, strict=False, time_unit="us")
            moments = moments.fill_null(parsed)
            continue
        left = (moments.is_null() & text.is_not_null()).arg_true()
        parsed = text.gather(left).str.to_datetime(candidate, strict=False, time_unit="us")
        moments = moments.scatter(left, parsed)
    return moments


# A date, a time to the minute or finer, then "Z" or a sign and hours, with or without
# minutes ("+01:00", "+0100", "+01"); spaces allowed before the offset.
_WITH_OFFSET = (
    r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[Zz]|[+-]\d{2}(?::?\d{2})?)$"
)
_OFFSET = r"\s*(?:[Zz]|[+-]\d{2}(?::?\d{2})?)$"


def offset_minutes(text: pl.Series) -> pl.Series:
    """The UTC offset at the end of ISO 8601 text, in minutes east of UTC (0 for "Z")."""
    suffix = text.str.extract(r"([Zz]|[+-]\d{2}(?::?\d{2})?)$", 1)
    sign = pl.when(suffix.str.starts_with("-")).then(-1).otherwise(1)
    digits = suffix.str.replace_all(r"[^0-9]", "")
    hours = digits.str.slice(0, 2).cast(pl.Int64, strict=False).fill_null(0)
    minutes = digits.str.slice(2, 2).replace("", None).cast(pl.Int64, strict=False).fill_null(0)
    return pl.select((sign * (hours * 60 + minutes)).alias("offset")).to_series()


def local_moments(
    text: pl.Series, formats: tuple[str, ...], shop_timezone: str | None
) -> pl.Series:
    """Each value as the shop's local wall-clock time (module docstring); null when no
    format parses it.

    Args:
        text: stripped date-time text (null: blank).
        formats: strptime formats of local times, tried in order (first_format_moments).
        shop_timezone: the IANA zone a value with a UTC offset is shown in; None keeps the
            wall-clock time written before the offset.

    Returns:
        Datetime("us") without a time zone.
    """
    with_offset = text.str.contains(_WITH_OFFSET).fill_null(False)
    if not with_offset.any():
        return first_format_moments(text, formats)
    local_text = pl.select(
        pl.when(with_offset).then(text.str.replace(_OFFSET, "")).otherwise(text)
    ).to_series()
    moments = first_format_moments(local_text, formats)
    if shop_timezone is None:
        return moments
    in_shop_time = (
        pl.select(
            (moments - pl.duration(minutes=offset_minutes(text)))
            .dt.replace_time_zone("UTC")
            .dt.convert_time_zone(shop_timezone)
            .dt.replace_time_zone(None)
        )
        .to_series()
        .dt.cast_time_unit("us")
    )
    return pl.select(pl.when(with_offset).then(in_shop_time).otherwise(moments)).to_series()
