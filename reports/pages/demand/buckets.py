"""The demand page in the run's buckets: the words each figure is labelled with, and the
headline tiles summed over every bucket group.

The forecast runs in days, weeks or months (forecasting.bucket), or per SKU with ``auto``
(forecasts.sku_bucket says which and why). Every error figure is in the SKU's bucket: the
plain WAPE per step (a day, a week or a month) and the WAPE on the sums the class choice
scores (7-day sums of a daily series, single weeks or months otherwise). Under ``auto`` a
weekly or monthly class is labelled with its bucket, "lumpy (weekly)", as
forecasting/buckets.py writes it, and has its own `all (weekly)` row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import polars as pl

from warehouse.frames import query, table_exists

DAY, WEEK, MONTH = "day", "week", "month"
ORDER = (DAY, WEEK, MONTH)
# The suffix a weekly or monthly class carries under bucket auto ("lumpy (weekly)").
LABEL_SUFFIX = {WEEK: " (weekly)", MONTH: " (monthly)"}


@dataclass(frozen=True)
class BucketWords:
    """How the page names one bucket's figures."""

    step: str  # the plain WAPE's step: "daily"
    short: str  # the sums in a label: "7-day"
    sums: str  # the sums the choice scores: "7-day sums"
    units: str  # the holdout's steps: "days"
    naive: str  # what seasonal naive forecasts in this bucket
    last: str  # what plain Naive repeats: "last month"


WORDS = {
    DAY: BucketWords(
        "daily", "7-day", "7-day sums", "days", "last week's same weekday", "last day"
    ),
    WEEK: BucketWords(
        "weekly", "1-week", "1-week sums", "weeks", "the same week a year before", "last week"
    ),
    MONTH: BucketWords(
        "monthly", "1-month", "1-month sums", "months", "the same month a year before", "last month"
    ),
}


def run_words(buckets: list[str]) -> BucketWords:
    """The words of a run whose SKUs are in ``buckets``: one bucket's own, or for a mix
    (``auto``) words naming each, e.g. "7-day or 1-week sums"."""
    present = [b for b in ORDER if b in buckets] or [DAY]
    if len(present) == 1:
        return WORDS[present[0]]

    def either(field: str) -> str:
        values = [getattr(WORDS[b], field) for b in present]
        return ", ".join(values[:-1]) + " or " + values[-1]

    return BucketWords(
        f"{either('step')} (each SKU's bucket)",
        either("short"),
        either("short") + " sums",
        either("units"),
        either("naive"),
        either("last"),
    )


def sku_buckets(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """forecasts.sku_bucket (sku, bucket, reason); every SKU daily in a warehouse built
    before the table existed (no rows)."""
    if not table_exists(con, "forecasts.sku_bucket"):
        return pl.DataFrame(schema={"sku": pl.String, "bucket": pl.String, "reason": pl.String})
    return query(con, "select sku, bucket, reason from forecasts.sku_bucket order by sku")


def run_buckets(buckets: pl.DataFrame) -> list[str]:
    """The buckets the run's SKUs are forecast in, finest first (day when none is written)."""
    found = set(buckets["bucket"].to_list())
    return [b for b in ORDER if b in found] or [DAY]


def class_bucket(label: str, buckets: list[str]) -> str:
    """The bucket of a class label: the suffix under auto, else the run's one bucket."""
    for bucket, suffix in LABEL_SUFFIX.items():
        if label.endswith(suffix):
            return bucket
    return buckets[0] if len(buckets) == 1 else DAY


def bucket_end(day: dt.date | None, bucket: str) -> dt.date | None:
    """The last day of the bucket a step is dated by: backtest rows date a week or a
    month by its first day, so a holdout "to 2024-11-01" really runs to 2024-11-30."""
    if day is None or bucket == DAY:
        return day
    if bucket == WEEK:
        return day + dt.timedelta(days=6)
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def holdout_by_bucket(con: duckdb.DuckDBPyConnection, buckets: list[str]) -> pl.DataFrame:
    """`selected` on each bucket group's holdout (its last backtest window).

    Returns:
        bucket, skus, actual, abs_error, abs_error_7d, first_day, last_day; one row per
        group in ORDER. The groups' errors add up: sum abs_error / sum actual is the WAPE
        of every SKU in its own bucket.
    """
    rows = query(
        con,
        """select demand_pattern, sku, "window", actual, abs_error, abs_error_7d,
            first_day, last_day
        from forecasts.demand_backtest where model = 'selected'""",
    )
    if rows.is_empty():
        return pl.DataFrame()
    labelled = rows.with_columns(
        pl.col("demand_pattern")
        .map_elements(lambda label: class_bucket(label, buckets), return_dtype=pl.String)
        .alias("bucket")
    )
    holdout = labelled.filter(pl.col("window") == pl.col("window").max().over("bucket"))
    return (
        holdout.group_by("bucket")
        .agg(
            pl.col("sku").n_unique().alias("skus"),
            pl.col("actual").sum(),
            pl.col("abs_error").sum(),
            pl.col("abs_error_7d").sum(),
            pl.col("first_day").min(),
            pl.col("last_day").max(),
        )
        .with_columns(
            pl.struct("last_day", "bucket")
            .map_elements(lambda g: bucket_end(g["last_day"], g["bucket"]), return_dtype=pl.Date)
            .alias("last_day")
        )
        .sort(pl.col("bucket").replace_strict({b: i for i, b in enumerate(ORDER)}))
    )
