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

import numpy as np
import polars as pl

from forecasting.buckets import DAY, MONTH, WEEK
from forecasting.series_order import series_runs

# The share of buckets with a sale a bucket needs to be chosen.
MIN_SELLING_SHARE = 0.5
CHOICE_SCHEMA = {"sku": pl.String, "bucket": pl.String, "reason": pl.String}
STEP_NAMES = {DAY: "trading days", WEEK: "weeks", MONTH: "months"}


def choose_buckets(series_by_bucket: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """The bucket of every SKU in the daily series, by the rule of the module docstring.

    Args:
        series_by_bucket: day, week and month -> that bucket's series (unique_id, ds, y),
            as from :func:`forecasting.bucket_series.bucket_series`.

    Returns:
        sku, bucket, reason: the rule's outcome with the shares it was judged on (e.g.
        "weekly: sells on 31 % of its 250 trading days, in 62 % of its 52 weeks, in 92 %
        of its 12 months"), sorted by sku.
    """
    shares = {bucket: _selling_share(series_by_bucket[bucket]) for bucket in (DAY, WEEK, MONTH)}
    joined = (
        shares[DAY]
        .join(shares[WEEK], on="sku", how="left", suffix="_week")
        .join(shares[MONTH], on="sku", how="left", suffix="_month")
    )
    rows = [_choice(row) for row in joined.iter_rows(named=True)]
    return pl.DataFrame(rows, schema=CHOICE_SCHEMA).sort("sku")


def fixed_buckets(series: pl.DataFrame, bucket: str) -> pl.DataFrame:
    """sku, bucket, reason for a run whose one bucket is set (forecasting.bucket), e.g.
    "set: forecasting.bucket week; sells in 62 % of its 52 weeks"."""
    shares = _selling_share(series)
    return pl.DataFrame(
        [
            {
                "sku": row["sku"],
                "bucket": bucket,
                "reason": f"set: forecasting.bucket {bucket}; "
                + _sells(row["selling"], row["steps"], STEP_NAMES[bucket]),
            }
            for row in shares.iter_rows(named=True)
        ],
        schema=CHOICE_SCHEMA,
    ).sort("sku")


def _selling_share(series: pl.DataFrame) -> pl.DataFrame:
    """sku, selling (steps with a sale), steps: read off each series' run of rows (the
    series come in series order, forecasting/series_order.py), else grouped."""
    runs = series_runs(series["unique_id"])
    if runs.height == 0 or runs["unique_id"].n_unique() != runs.height:
        return series.group_by(pl.col("unique_id").alias("sku")).agg(
            (pl.col("y") > 0).sum().alias("selling"), pl.len().alias("steps")
        )
    sold = (series["y"] > 0).cast(pl.Int64).to_numpy()
    return pl.DataFrame(
        {
            "sku": runs["unique_id"],
            "selling": np.add.reduceat(sold, runs["first_row"].to_numpy()),
            "steps": runs["rows"],
        }
    )


def _sells(selling: int, steps: int, name: str) -> str:
    verb = "sells on" if name == STEP_NAMES[DAY] else "sells in"
    return f"{verb} {selling / steps:.0%} of its {steps} {name}".replace("%", " %")


def _choice(row: dict) -> dict:
    judged = [_sells(row["selling"], row["steps"], STEP_NAMES[DAY])]
    for suffix, bucket in (("_week", WEEK), ("_month", MONTH)):
        if row[f"steps{suffix}"] is not None:
            judged.append(
                "in "
                + _sells(
                    row[f"selling{suffix}"], row[f"steps{suffix}"], STEP_NAMES[bucket]
                ).removeprefix("sells in ")
            )
    shares = ", ".join(judged)

    def chosen(bucket: str, why: str = "") -> dict:
        name = {DAY: "daily", WEEK: "weekly", MONTH: "monthly"}[bucket]
        return {"sku": row["sku"], "bucket": bucket, "reason": f"{name}: {shares}{why}"}

    if row["selling"] >= MIN_SELLING_SHARE * row["steps"]:
        return chosen(DAY)
    if row["steps_week"] is None:
        return chosen(DAY, "; no complete week of history yet")
    if row["selling_week"] >= MIN_SELLING_SHARE * row["steps_week"]:
        return chosen(WEEK)
    if row["steps_month"] is None:
        return chosen(WEEK, "; no complete month of history yet")
    return chosen(MONTH)
