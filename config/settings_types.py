"""Value types of the settings models: ranges, allowed values and the spellings they accept.

Each type carries its constraint in its JSON schema, so one schema serves both the error
messages (config/settings_errors.py) and the generated page docs/settings.md. Where a
constraint is a pattern rather than a range, `x-type` and `x-allowed` in the schema say
it in words.
"""

from __future__ import annotations

import datetime as dt
import re
import urllib.parse
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema

from config.currencies import ISO_4217

PositiveInt = Annotated[int, Field(ge=1)]
NonNegativeInt = Annotated[int, Field(ge=0)]
PositiveFloat = Annotated[float, Field(gt=0)]
NonNegativeFloat = Annotated[float, Field(ge=0)]
# A share of a whole: 0 and 1 included.
Share = Annotated[float, Field(ge=0, le=1)]
# A share that must hold something: above 0, at most 1.
PositiveShare = Annotated[float, Field(gt=0, le=1)]
# A probability target such as a cycle service level: 0 and 1 are not reachable targets.
ServiceLevel = Annotated[float, Field(gt=0, lt=1)]
# The reorder list's class targets read empirical lead-time demand quantiles, where 1 is a
# reachable target: cover the largest lead-time demand seen.
ClassServiceLevel = Annotated[float, Field(gt=0, le=1)]
# A prediction-interval level in percent.
IntervalLevel = Annotated[int, Field(gt=0, lt=100)]
IsoWeekday = Annotated[int, Field(ge=1, le=7)]


def _spelled(aliases: dict[str, str]):
    """A before-validator mapping the spellings people write onto the canonical value.

    A value it does not recognise passes through unchanged, so the error names what the
    file said, not a rewritten form of it.
    """

    def canonical(value: Any) -> Any:
        if isinstance(value, str):
            key = re.sub(r"[\s_]+", "-", value.strip().lower())
            return aliases.get(key, value)
        return value

    return BeforeValidator(canonical)


Policy = Annotated[
    Literal["order-up-to", "eoq"],
    _spelled({"order-up-to": "order-up-to", "orderupto": "order-up-to", "eoq": "eoq"}),
]
TimeUnit = Annotated[
    Literal["D", "W", "M"],
    _spelled(
        {
            **dict.fromkeys(("d", "day", "days"), "D"),
            **dict.fromkeys(("w", "week", "weeks"), "W"),
            **dict.fromkeys(("m", "month", "months"), "M"),
        }
    ),
]


def _iso_date(value: Any) -> Any:
    """A date (YAML reads an unquoted 2011-06-30 as one) or an ISO string, kept as ISO text."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            raise ValueError("not a date") from None
    return value


IsoDate = Annotated[
    str,
    BeforeValidator(_iso_date),
    WithJsonSchema(
        {"type": "string", "format": "date", "x-type": "ISO date", "x-allowed": "YYYY-MM-DD"}
    ),
]


def _currency(value: Any) -> Any:
    """An ISO 4217 code in any case ("gbp" is GBP), checked against config/currencies.py."""
    if isinstance(value, str):
        if not re.fullmatch(r"[A-Za-z]{3}", value.strip()):
            raise ValueError("not a three-letter currency code")
        if value.strip().upper() not in ISO_4217:
            raise ValueError(f"code {value.strip().upper()} is not in ISO 4217")
        return value.strip().upper()
    return value


CurrencyCode = Annotated[
    str,
    BeforeValidator(_currency),
    WithJsonSchema(
        {
            "type": "string",
            "x-type": "currency code",
            "x-allowed": "from ISO 4217, in any case, e.g. GBP",
        }
    ),
]


def _time_zone(value: Any) -> Any:
    """An IANA time zone name, e.g. Europe/London, checked against the zone database."""
    if isinstance(value, str):
        try:
            ZoneInfo(value.strip())
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{value!r} is not an IANA time zone name") from None
        return value.strip()
    return value


TimeZone = Annotated[
    str,
    BeforeValidator(_time_zone),
    WithJsonSchema(
        {"type": "string", "x-type": "time zone", "x-allowed": "IANA name, e.g. Europe/London"}
    ),
]

# DuckDB's memory_limit: a number and a byte unit (1000- or 1024-based), or a share of RAM.
_SIZE = re.compile(r"\d+(\.\d+)?\s*([KMGT]i?B|[KMGT]|B|%)", re.IGNORECASE)


def _duckdb_size(value: str) -> str:
    if not _SIZE.fullmatch(value.strip()):
        raise ValueError("not a DuckDB size")
    return value.strip()


MemoryLimit = Annotated[
    str,
    AfterValidator(_duckdb_size),
    WithJsonSchema(
        {
            "type": "string",
            "x-type": "DuckDB size",
            "x-allowed": "such as 6GB, 512MB or 80% (of RAM); units KB, MB, GB, TB "
            "or KiB, MiB, GiB, TiB",
        }
    ),
]


# An e-mail address as SMTP takes it: local part @ domain (a dotted name, or a host such as
# localhost). No display names: the alert sender sets those.
_EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*")


def _email_address(value: Any) -> Any:
    if isinstance(value, str):
        if not _EMAIL.fullmatch(value.strip()):
            raise ValueError("not an e-mail address")
        return value.strip()
    return value


EmailAddress = Annotated[
    str,
    BeforeValidator(_email_address),
    WithJsonSchema(
        {"type": "string", "x-type": "e-mail address", "x-allowed": "such as ops@shop.example"}
    ),
]


def http_url(value: Any) -> Any:
    """An absolute http(s) URL with a host, kept as written (no trailing slash added)."""
    if isinstance(value, str):
        parts = urllib.parse.urlsplit(value.strip())
        try:
            parts.port  # noqa: B018 - raises on a port that is not a number
        except ValueError:
            raise ValueError("its port is not a number") from None
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("not an http(s) URL with a host")
        return value.strip()
    return value


HttpUrl = Annotated[
    str,
    BeforeValidator(http_url),
    WithJsonSchema(
        {"type": "string", "x-type": "URL", "x-allowed": "http:// or https:// with a host"}
    ),
]
