"""The UCI Online Shoppers Purchasing Intention layout (Sakar et al. 2019): one row per session.

Each row is a web session with page counts (`Administrative`, `Informational`,
`ProductRelated`), durations, rates, `Month`, `OperatingSystems`, `Browser`, `Region`,
`TrafficType`, `VisitorType`, `Weekend` and whether it bought (`Revenue`). It has no
visitor id, no date (Month only, no year) and no products, so each session becomes the
funnel events it implies, enough for session-level conversion and abandonment:

- `page_view` for every session;
- one `view_item` when it viewed product pages (`ProductRelated` > 0);
- `add_to_cart`, `begin_checkout` and `purchase` when `Revenue` is TRUE.

The session and visitor ids are the file and line (`traffic/2024-01-05.csv:2`). The export
gives the month but no day or year, so a session is dated the first day of its `Month`
(`Feb`, `Mar`, ..., also the quirk `June`) in the year that puts it on or before the export
day (a file exported 2024-01-05 holds Feb..Dec 2023), or in the year the `year` key of the
exports.yaml section names. Events start at 00:00:00, one second apart in funnel order.
`source` is `traffic-type-N`; `visitor_type` maps `New_Visitor`, `Returning_Visitor` and
`Other` to new, returning and other; device (the export has operating system and browser
codes only), country (region codes) and medium stay empty; the page metrics are not read.
All events of a session keep the session's `_line`, so a loader that counts distinct lines
reconciles input lines (see docs/formats.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from ingest.cast import FALSE_WORDS, TRUE_WORDS
from ingest.formats.base import ExportFormat
from ingest.source import LINE

SOURCE_REQUIRED = ("Month", "ProductRelated", "TrafficType", "VisitorType", "Revenue")
CONFIG_KEYS = ("year",)
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
VISITOR_TYPES = {"new_visitor": "new", "returning_visitor": "returning", "other": "other"}
FUNNEL = ("page_view", "view_item", "add_to_cart", "begin_checkout", "purchase")


def missing_columns(kind: str, header: list[str], config: Mapping[str, Any]) -> list[str]:
    return [name for name in SOURCE_REQUIRED if name not in header]


def _month_number() -> pl.Expr:
    """1-12 from `Month` (first three letters, any case), null when it names no month."""
    prefix = pl.col("Month").cast(pl.String()).str.strip_chars().str.slice(0, 3).str.to_lowercase()
    return prefix.replace_strict(MONTHS, range(1, 13), default=None, return_dtype=pl.Int32())


def _session_day(year: int | None) -> pl.Expr:
    """First day of the session's month, in `year` or the last year not after the export day."""
    export_day = pl.col("_export_date").cast(pl.Date())
    if year is not None:
        return pl.date(year, _month_number(), 1)
    this_year = pl.date(export_day.dt.year(), _month_number(), 1)
    last_year = pl.date(export_day.dt.year() - 1, _month_number(), 1)
    return pl.when(this_year <= export_day).then(this_year).otherwise(last_year)


def _problem(frame: pl.DataFrame) -> pl.Expr:
    """Why a session's funnel cannot be known, else null.

    The text becomes the session's only event name, which the contract's event rule
    quarantines with the raw value: a session is never guessed into or out of the funnel.
    """
    revenue = pl.col("Revenue").cast(pl.String()).str.strip_chars().str.to_lowercase()
    product_pages = pl.col("ProductRelated").cast(pl.String()).cast(pl.Float64(), strict=False)
    return (
        pl.when(~revenue.is_in(TRUE_WORDS + FALSE_WORDS) | revenue.is_null())
        .then(pl.format("Revenue {} is not TRUE or FALSE", pl.col("Revenue").cast(pl.String())))
        .when(_month_number().is_null())
        .then(pl.format("Month {} is not a month name", pl.col("Month").cast(pl.String())))
        .when(
            ~pl.col("VisitorType").cast(pl.String()).str.to_lowercase().is_in(list(VISITOR_TYPES))
        )
        .then(
            pl.format(
                "VisitorType {} is not New_Visitor, Returning_Visitor or Other",
                pl.col("VisitorType").cast(pl.String()),
            )
        )
        .when(product_pages.is_null() | (product_pages < 0))
        .then(
            pl.format(
                "ProductRelated {} is not a page count", pl.col("ProductRelated").cast(pl.String())
            )
        )
    )


def to_contract(kind: str, frame: pl.DataFrame, config: Mapping[str, Any]) -> pl.DataFrame:
    revenue = pl.col("Revenue").cast(pl.String()).str.strip_chars().str.to_lowercase()
    product_pages = pl.col("ProductRelated").cast(pl.String()).cast(pl.Float64(), strict=False)
    sessions = frame.select(
        pl.concat_str([pl.col("_file"), pl.col(LINE).cast(pl.String())], separator=":").alias(
            "session_id"
        ),
        pl.format("traffic-type-{}", pl.col("TrafficType").cast(pl.String())).alias("source"),
        pl.col("VisitorType")
        .cast(pl.String())
        .str.to_lowercase()
        .replace_strict(VISITOR_TYPES, default=None)
        .alias("visitor_type"),
        _session_day(config.get("year")).alias("session_day"),
        _problem(frame).alias("problem"),
        pl.concat_list(
            pl.lit("page_view"),
            pl.when(product_pages > 0).then(pl.lit("view_item")),
            *(pl.when(revenue.is_in(TRUE_WORDS)).then(pl.lit(step)) for step in FUNNEL[2:]),
        ).alias("steps"),
        pl.col(LINE),
        pl.col("_file"),
        pl.col("_export_date"),
    )
    events = (
        sessions.with_columns(
            pl.when(pl.col("problem").is_null())
            .then(pl.col("steps").list.drop_nulls())
            .otherwise(pl.concat_list(pl.col("problem")))
        )
        .explode("steps")
        .with_columns(pl.int_range(pl.len()).over("_file", LINE).alias("step"))
    )
    return events.select(
        event_at=pl.col("session_day").cast(pl.Datetime("us"))
        + pl.duration(seconds=pl.col("step")),
        event_name=pl.col("steps"),
        user_id=pl.col("session_id"),
        session_id=pl.col("session_id"),
        event_id=pl.format("{}:{}", pl.col("session_id"), pl.col("steps")),
        source=pl.col("source"),
        visitor_type=pl.col("visitor_type"),
        **{LINE: pl.col(LINE), "_file": pl.col("_file"), "_export_date": pl.col("_export_date")},
    )


FORMAT = ExportFormat(
    "online-shoppers", ("traffic",), missing_columns, to_contract, config_keys=CONFIG_KEYS
)
