"""The bucket of each SKU under ``forecasting.bucket: auto``: slow movers monthly.

The rule: a SKU is forecast in the finest bucket in which it sells in at least half the
buckets of its series (its ADI there is at most 2):

- daily when it sells on at least half its trading days;
- else weekly when it sells in at least half its complete weeks;
- else monthly.

Below one sale every other bucket the series is mostly zeros, the models forecast a
thin rate that a zero forecast beats bucket by bucket, and nothing says in which of the
next few buckets the sale will come; one bucket coarser the same demand is a series with
a sale in most steps. A SKU without a complete week (or month) yet stays in the finer
bucket: its history is too short for the coarser one, and the short-history model
forecasts it.
"""

from __future__ import annotations

import polars as pl

from forecasting.buckets import DAY, MONTH, WEEK

# The share of buckets with a sale a bucket needs to be chosen.
MIN_SELLING_SHARE = 0.5
CHOICE_SCHEMA = {"sku": pl.String, "bucket": pl.String, "reason": pl.String}


def choose_buckets(series_by_bucket: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """The bucket of every SKU in the daily series, by the rule of the module docstring.

    Args:
        series_by_bucket: day, week and month -> that bucket's series (unique_id, ds, y),
            as from :func:`forecasting.bucket_series.bucket_series`.

    Returns:
        sku, bucket, reason (e.g. "sells in 3 of its 52 weeks (6 %)"), sorted by sku.
    """
    shares = {bucket: _selling_share(series_by_bucket[bucket]) for bucket in (DAY, WEEK, MONTH)}
    joined = (
        shares[DAY]
        .join(shares[WEEK], on="sku", how="left", suffix="_week")
        .join(shares[MONTH], on="sku", how="left", suffix="_month")
    )
    rows = [_choice(row) for row in joined.iter_rows(named=True)]
    return pl.DataFrame(rows, schema=CHOICE_SCHEMA).sort("sku")


def _selling_share(series: pl.DataFrame) -> pl.DataFrame:
    """sku, selling (steps with a sale), steps."""
    return series.group_by(pl.col("unique_id").alias("sku")).agg(
        (pl.col("y") > 0).sum().alias("selling"), pl.len().alias("steps")
    )


def _choice(row: dict) -> dict:
    def sells(suffix: str, name: str) -> str:
        selling, steps = row[f"selling{suffix}"], row[f"steps{suffix}"]
        return f"sells in {selling} of its {steps} {name} ({selling / steps:.0%})"

    if row["selling"] >= MIN_SELLING_SHARE * row["steps"]:
        return {"sku": row["sku"], "bucket": DAY, "reason": sells("", "trading days")}
    if row["steps_week"] is None:
        return {"sku": row["sku"], "bucket": DAY, "reason": "no complete week of history yet"}
    if row["selling_week"] >= MIN_SELLING_SHARE * row["steps_week"]:
        return {"sku": row["sku"], "bucket": WEEK, "reason": sells("_week", "weeks")}
    if row["steps_month"] is None:
        return {"sku": row["sku"], "bucket": WEEK, "reason": "no complete month of history yet"}
    return {"sku": row["sku"], "bucket": MONTH, "reason": sells("_week", "weeks")}
