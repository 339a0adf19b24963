"""Forecast errors per SKU, model and window, and their aggregation into accuracy figures.

Definitions (over any set of SKU-days, e.g. one pattern class in the holdout window):

- WAPE = sum |forecast - actual| / sum actual. Scale-free and robust to the many zero
  days of intermittent demand (a per-day percentage error would divide by zero).
- WAPE on 7-day sums: the same on the sums of 7 consecutive forecast days (steps 1-7,
  8-14, ...): what a weekly replenishment decision feels; a model that puts a sale on the
  wrong day of the week is not punished twice.
  A weekly or monthly series scores each step
  on its own instead (forecasting/buckets.py): 7 steps there would be 7 weeks or months.
- bias = sum (forecast - actual) / sum actual: > 0 over-forecasts.
- MASE = a SKU-window's mean absolute error / the mean absolute error of the seasonal
  naive forecast in-sample (on that SKU's observations before the window); the figure of
  a set is the mean over its SKU-windows with a non-zero scale. Below 1 beats a one-step
  seasonal naive forecast on the SKU's own history.
"""

from __future__ import annotations

import polars as pl

from forecasting.stable_sums import stable_mean, stable_sum

WEEK_STEPS = 7

ERROR_SCHEMA = {
    "sku": pl.String,
    "model": pl.String,
    "window": pl.Int64,
    "first_day": pl.Date,
    "last_day": pl.Date,
    "days": pl.Int64,
    "actual": pl.Float64,
    "forecast": pl.Float64,
    "abs_error": pl.Float64,
    "abs_error_7d": pl.Float64,
    "error": pl.Float64,
    "naive_scale": pl.Float64,
    "mase": pl.Float64,
    "reason": pl.String,  # why the model has no errors here (it failed to forecast); else null
}
# The figures a failed forecast does not have.
SCORES = ("forecast", "abs_error", "abs_error_7d", "error", "mase")


def naive_scale(
    steps: pl.DataFrame, window_starts: pl.DataFrame, season_steps: int
) -> pl.DataFrame:
    """In-sample MAE of the seasonal naive forecast before each window.

    Args:
        steps: unique_id, ds (Int64 step), y (from :func:`forecasting.backtest.step_frame`).
        window_starts: unique_id, window, first_step (the window's first step).
        season_steps: season length in steps.

    Returns:
        unique_id, window, naive_scale (null when fewer than ``season_steps + 1``
        observations precede the window).
    """
    diffs = (
        steps.sort("unique_id", "ds")
        .with_columns(
            (pl.col("y") - pl.col("y").shift(season_steps).over("unique_id")).abs().alias("d")
        )
        .with_columns(
            pl.col("d").fill_null(0.0).cum_sum().over("unique_id").alias("cum_d"),
            pl.col("d").is_not_null().cum_sum().over("unique_id").alias("cum_n"),
        )
        .select("unique_id", (pl.col("ds") + 1).alias("first_step"), "cum_d", "cum_n")
    )
    return window_starts.join(diffs, on=["unique_id", "first_step"], how="left").select(
        "unique_id",
        "window",
        pl.when(pl.col("cum_n") > 0).then(pl.col("cum_d") / pl.col("cum_n")).alias("naive_scale"),
    )


def window_errors(
    forecasts: pl.DataFrame, scales: pl.DataFrame, sum_steps: int = WEEK_STEPS
) -> pl.DataFrame:
    """Errors of each model on each SKU's backtest window (forecasts.demand_backtest).

    Args:
        forecasts: unique_id, window, step, day, y, model, forecast (from
            :func:`forecasting.backtest.cross_validate`, or the selected forecasts).
        scales: unique_id, window, naive_scale (from :func:`naive_scale`).
        sum_steps: consecutive steps summed for abs_error_7d: 7 days of a daily series
            (a week), 1 for a weekly or monthly one (forecasting/buckets.py).

    Returns:
        One row per sku, model and window with the columns of ``ERROR_SCHEMA``. A window
        with a missing (null) forecast on any day has no scores, and its reason says on how
        many days the model gave none: a partial sum would read as a real forecast.
    """
    keys = ["unique_id", "model", "window"]
    weekly = (
        forecasts.group_by(*keys, ((pl.col("step") - 1) // sum_steps).alias("week"))
        .agg((stable_sum("forecast", "step") - stable_sum("y", "step")).abs().alias("week_error"))
        .group_by(keys)
        .agg(stable_sum("week_error", "week").alias("abs_error_7d"))
    )
    errors = forecasts.group_by(keys).agg(
        pl.col("day").min().alias("first_day"),
        pl.col("day").max().alias("last_day"),
        pl.len().cast(pl.Int64).alias("days"),
        stable_sum("y", "step").alias("actual"),
        stable_sum("forecast", "step").alias("forecast"),
        stable_sum((pl.col("forecast") - pl.col("y")).abs(), "step").alias("abs_error"),
        stable_sum(pl.col("forecast") - pl.col("y"), "step").alias("error"),
        pl.col("forecast").null_count().alias("missing"),
    )
    return scored_errors(errors.join(weekly, on=keys), scales)


def scored_errors(sums: pl.DataFrame, scales: pl.DataFrame) -> pl.DataFrame:
    """The rows of :func:`window_errors` from each SKU-window-model's sums (unique_id,
    model, window, first_day, last_day, days, actual, forecast, abs_error, error, missing,
    abs_error_7d): MASE on the window's naive scale, and no scores where a day had no
    forecast."""
    return (
        sums.join(scales, on=["unique_id", "window"], how="left")
        .with_columns(
            pl.when(pl.col("naive_scale") > 0)
            .then(pl.col("abs_error") / pl.col("days") / pl.col("naive_scale"))
            .alias("mase"),
            pl.when(pl.col("missing") > 0)
            .then(pl.format("no forecast on {} of {} days", "missing", "days"))
            .alias("reason"),
        )
        .with_columns(
            pl.when(pl.col("reason").is_null()).then(pl.col(score)).alias(score) for score in SCORES
        )
        .rename({"unique_id": "sku"})
        .select(list(ERROR_SCHEMA))
        .sort("sku", "model", "window")
    )


def accuracy(errors: pl.DataFrame, by: list[str]) -> pl.DataFrame:
    """Aggregate window errors into WAPE, WAPE on 7-day sums, bias and MASE.

    Args:
        errors: rows of :func:`window_errors` (any subset, e.g. the holdout window).
        by: grouping columns, e.g. ["model"] or ["model", "demand_pattern"].

    Returns:
        by columns, skus, actual, wape, wape_7d, bias, mase, first_day, last_day. A set
        with no actual demand has null WAPE and bias.
    """
    rows = ["sku", "window"]  # unique within a group: the order the sums add in
    actual = stable_sum("actual", rows)
    return (
        errors.group_by(by)
        .agg(
            pl.col("sku").n_unique().cast(pl.Int64).alias("skus"),
            actual.alias("actual"),
            pl.when(actual > 0).then(stable_sum("abs_error", rows) / actual).alias("wape"),
            pl.when(actual > 0).then(stable_sum("abs_error_7d", rows) / actual).alias("wape_7d"),
            pl.when(actual > 0).then(stable_sum("error", rows) / actual).alias("bias"),
            stable_mean("mase", rows).alias("mase"),  # the mean leaves out SKUs without one
            pl.col("first_day").min().alias("first_day"),
            pl.col("last_day").max().alias("last_day"),
        )
        .sort(by)
    )
