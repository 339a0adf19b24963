"""Which SKUs have a forecast worth planning on (forecasts.sku_reliability).

A SKU's forecast is reliable when, over its backtest windows, it missed the actual weekly
demand by less than two benchmarks did on the same windows: forecasting zero, and the
seasonal naive forecast (the same weekday of the week before), or plain Naive (the last
bucket) where the history is shorter than a season (forecasting/naive_benchmark.py). A SKU
no naive forecast could be computed for is judged on zero alone. Errors are on 7-day sums,
as the class choice scores them: on single days an absolute error favours forecasting
zero for any SKU that sells on fewer than half of its days (the median day sells
nothing), which says nothing about how much stock a week needs.

Where the forecast loses, the SKU is marked "no reliable forecast" with the reason in
words, and the reorder advice stops using its forecast (forecasting/reorder.py).
"""

from __future__ import annotations

import datetime as dt
import math

import polars as pl

from forecasting.buckets import DAY, PER_BUCKET
from forecasting.naive_benchmark import benchmark_name, sku_benchmarks
from forecasting.stable_sums import stable_sum

RELIABILITY_SCHEMA = {
    "sku": pl.String,
    "demand_pattern": pl.String,
    "model": pl.String,  # the forecast judged: the class's chosen model or mean of models
    "windows": pl.Int64,
    "actual": pl.Float64,
    "abs_error_7d": pl.Float64,
    "zero_abs_error_7d": pl.Float64,
    # the naive benchmark's: seasonal naive, else Naive; null when neither forecast the SKU
    "naive_abs_error_7d": pl.Float64,
    "beats_zero": pl.Boolean,
    "beats_naive": pl.Boolean,  # null when no naive benchmark could be computed
    "reliable": pl.Boolean,
    # days (weeks, months for coarser buckets) with a sale in the last `active_days` days
    "sale_days": pl.Int64,
    "reason": pl.String,  # why the forecast is not reliable; null when it is
}


def sku_reliability(
    forecast_errors: pl.DataFrame,
    naive_errors: pl.DataFrame,
    series: pl.DataFrame,
    active_days: int,
    bucket: str = DAY,
) -> pl.DataFrame:
    """Score each SKU's forecast against forecasting zero and its naive benchmark.

    Args:
        forecast_errors: window errors of the forecast being judged: sku, window,
            actual, abs_error_7d, demand_pattern, model.
        naive_errors: the naive benchmarks' window errors: sku, window, model
            (SeasonalNaive or Naive), abs_error_7d (null where it failed).
        series: unique_id, ds, y: the demand history (for the recent sales in the reason).
        active_days: calendar days, up to the last day of ``series``, the reason counts
            sales in (forecasting.min_active_days).
        bucket: the step of ``series`` (day, week or month): the reason counts the steps
            with sales, and the errors measure weekly (daily, weekly series) or monthly
            demand.

    Returns:
        One row per SKU with the columns of ``RELIABILITY_SCHEMA``, sorted by sku.
    """
    rows = ["window"]
    benchmarks = sku_benchmarks(forecast_errors.select("sku", "window"), naive_errors)
    judged = (
        forecast_errors.group_by("sku")
        .agg(
            pl.col("demand_pattern").first(),
            pl.col("model").first(),
            pl.len().cast(pl.Int64).alias("windows"),
            stable_sum("actual", rows).alias("actual"),
            stable_sum("abs_error_7d", rows).alias("abs_error_7d"),
        )
        .join(benchmarks, on="sku", how="left")
        .with_columns(pl.col("actual").alias("zero_abs_error_7d"))
        .with_columns(
            (pl.col("abs_error_7d") < pl.col("zero_abs_error_7d")).alias("beats_zero"),
            (pl.col("abs_error_7d") < pl.col("naive_abs_error_7d")).alias("beats_naive"),
        )
        # Without any naive benchmark only zero judges (the reason says so); a missing
        # benchmark is never counted as beaten in beats_naive.
        .with_columns(
            (pl.col("beats_zero") & pl.col("beats_naive").fill_null(True)).alias("reliable")
        )
        .join(_sale_days(series, active_days), on="sku", how="left")
        .with_columns(pl.col("sale_days").fill_null(0))
    )
    reasons = [_reason(row, active_days, bucket) for row in judged.iter_rows(named=True)]
    return (
        judged.with_columns(pl.Series("reason", reasons, dtype=pl.String))
        .select(pl.col(name).cast(dtype) for name, dtype in RELIABILITY_SCHEMA.items())
        .sort("sku")
    )


def _sale_days(series: pl.DataFrame, active_days: int) -> pl.DataFrame:
    if series.is_empty():
        return pl.DataFrame(schema={"sku": pl.String, "sale_days": pl.Int64})
    since: dt.date = series["ds"].max() - dt.timedelta(days=active_days)
    return (
        series.filter((pl.col("ds") > since) & (pl.col("y") > 0))
        .group_by("unique_id")
        .agg(pl.len().cast(pl.Int64).alias("sale_days"))
        .rename({"unique_id": "sku"})
    )


def _reason(row: dict, active_days: int, bucket: str) -> str | None:
    """E.g. "1 day with sales in the last 90 days; over its 4 backtest windows the forecast
    missed weekly demand by 6.3 units, forecasting zero by 1.0". A SKU that sold nothing
    says so in words ("no sale on an in-stock day in the last 90 days"; "nothing sold in its
    4 backtest windows, so forecasting zero is exact"), never "forecasting zero by 0.0".
    The benchmark is named as used: "seasonal naive by 4.0" or "naive (last month) by 4.0".
    Stock-out and partial days are not demand history, so a SKU that sold out on its last
    sale day says "no sale on an in-stock day", not "no sale"."""
    if row["reliable"]:
        return None
    sales = row["sale_days"] or 0
    recent = (
        f"{_count(sales, bucket)} with sales in the last {active_days} days"
        if sales
        else f"no sale on an in-stock day in the last {active_days} days"
    )
    windows = _count(row["windows"], "backtest window")
    error, zero, naive = (
        _number(row[name]) for name in ("abs_error_7d", "zero_abs_error_7d", "naive_abs_error_7d")
    )
    if not zero:  # no units in any window (or none known): zero is a perfect forecast
        expected = f", where the forecast expected {error:.1f} units" if error else ""
        return f"{recent}; nothing sold in its {windows}{expected}, so forecasting zero is exact"
    if error is None:
        return f"{recent}; over its {windows} the forecast gave no number to score"
    if row["beats_zero"] and naive is not None:
        rival, missed = benchmark_name(row["naive_model"], bucket), naive
    else:
        rival, missed = "forecasting zero", zero
    alone = (
        "" if naive is not None else " (no naive forecast could be computed: judged on zero alone)"
    )
    return (
        f"{recent}; over its {windows} the forecast missed {PER_BUCKET[bucket]} demand by {error:.1f} units, "
        f"{rival} by {missed:.1f}{alone}"
    )


def _count(number: int, noun: str) -> str:
    """ "1 day", "4 backtest windows"."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _number(value: float | None) -> float | None:
    """``value``, or None when it is missing or not a number (NaN)."""
    return None if value is None or math.isnan(value) else value


def with_reliability(forecast: pl.DataFrame, reliability: pl.DataFrame) -> pl.DataFrame:
    """Add each SKU's verdict to its forecast rows (forecasts.demand_forecast).

    Args:
        forecast: one row per SKU and day (sku first).
        reliability: forecasts.sku_reliability (sku, reliable, reason).

    Returns:
        ``forecast`` with reliable (null: the SKU was not backtested, too short a history
        or newer than the last backtest) and reliability_reason (why it is not reliable).
    """
    verdicts = reliability.select("sku", "reliable", pl.col("reason").alias("reliability_reason"))
    return forecast.join(verdicts, on="sku", how="left", maintain_order="left")


def min_max_without_forecast(plan: pl.DataFrame, as_of: dt.date) -> pl.DataFrame:
    """Step 7 of forecasting/reorder.py's docstring: SKUs without a reliable forecast ignore it. Such a
    SKU is needed today when its position is at or below the min, else not at all: without
    a forecast nothing says when it would be, so it is never pulled forward either."""
    unreliable = pl.col("reliability_reason").is_not_null()
    at_min = pl.col("inventory_position") <= pl.col("reorder_point")
    return plan.with_columns(
        pl.when(unreliable)
        .then(0.0)
        .otherwise(pl.col("demand_to_review"))
        .alias("demand_to_review"),
        pl.when(unreliable)
        .then(pl.when(at_min).then(pl.lit(as_of)))
        .otherwise(pl.col("needed_by"))
        .alias("needed_by"),
        pl.when(unreliable)
        .then(None)
        .otherwise(pl.col("projected_stockout_date"))
        .alias("projected_stockout_date"),
    )
