"""Holdout validation of the purchase models: the split, per-customer and total errors,
period-by-period cumulative tracking, the conditional expectation by calibration
frequency, and the naive baseline every model must beat."""

from __future__ import annotations

import math
from datetime import date, timedelta
from types import ModuleType

import numpy as np
import polars as pl

from forecasting.clv.summary import ClvSummary, unit_days
from forecasting.stable_sums import stable_mean

HOLDOUT_SHARE = 1 / 3  # by default the last third of the order history is the holdout
MAX_FREQUENCY_BUCKET = 7  # the conditional expectation pools calibration frequencies 7+
NAIVE = "naive"


def default_split(first_day: date, last_day: date) -> tuple[date, date]:
    """Calibration end and holdout end from the data: the holdout is the last third of the
    days from the first to the last order day (at least one day), ending on the last day."""
    span = (last_day - first_day).days
    holdout_days = max(1, round(span * HOLDOUT_SHARE))
    return last_day - timedelta(days=holdout_days), last_day


def split_dates(
    calibration_end: str | None, holdout_end: str | None, first_day: date, last_day: date
) -> tuple[date, date]:
    """The calibration and holdout ends of a run: the settings' ISO dates where given,
    otherwise derived from the order history (holdout_end = the last order day; the
    calibration end leaves the last third of the history before it as the holdout).

    Args:
        calibration_end, holdout_end: `clv.calibration_end` / `clv.holdout_end`, or None.
        first_day, last_day: first and last order day in the data.

    Returns:
        (calibration_end, holdout_end).
    """
    holdout = date.fromisoformat(holdout_end) if holdout_end else last_day
    calibration = (
        date.fromisoformat(calibration_end)
        if calibration_end
        else default_split(first_day, holdout)[0]
    )
    if calibration > holdout:
        raise ValueError(
            f"clv.calibration_end {calibration} is after the holdout end {holdout}; "
            "set clv.calibration_end earlier or clv.holdout_end later"
        )
    return calibration, holdout


def summary_arrays(summary: ClvSummary) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """frequency, recency and T of the summary as float arrays, the models' inputs."""
    c = summary.customers
    return tuple(c[k].to_numpy().astype(float) for k in ("frequency", "recency", "T"))


def naive_predictions(summary: ClvSummary) -> np.ndarray:
    """Each customer repeats their calibration rate: x / T repeat purchases per time unit
    over the holdout (0 for a customer first seen on the calibration end)."""
    x, _, T = summary_arrays(summary)
    rate = np.divide(x, T, out=np.zeros_like(x), where=T > 0)
    return rate * summary.holdout_length


def holdout_errors(predicted: np.ndarray, actual: np.ndarray) -> dict[str, float]:
    """Per-customer mean absolute error and RMSE, and the totals with their relative error.

    Returns:
        mae, rmse, predicted (total), actual (total), total_error_pct ((predicted - actual)
        / actual x 100, NaN without actual purchases).
    """
    error = predicted - actual
    total_actual = float(actual.sum())
    return {
        "mae": float(np.mean(np.abs(error))) if len(error) else math.nan,
        "rmse": float(np.sqrt(np.mean(error**2))) if len(error) else math.nan,
        "predicted": float(predicted.sum()),
        "actual": total_actual,
        "total_error_pct": 100 * (float(predicted.sum()) - total_actual) / total_actual
        if total_actual
        else math.nan,
    }


def cumulative_tracking(
    summary: ClvSummary, fitted: dict[str, tuple[ModuleType, dict[str, float]]]
) -> pl.DataFrame:
    """Cumulative repeat purchases of the calibration customers, actual vs each model, by period.

    Period k covers days [start + (k-1) u, start + k u) with start the first purchase day
    and u the time unit in days, up to the holdout end. The prediction sums each customer's
    E[X(t)] from their first purchase to the period's end (Fader, Hardie & Lee 2005, fig. 3).

    Args:
        summary: the calibration summary.
        fitted: model name -> (model module, fitted parameters).

    Returns:
        One row per model and period: model, period, period_end (last day), is_holdout,
        actual_repeat_purchases (in the period), actual_cumulative, predicted (in the
        period), predicted_cumulative.
    """
    schema = {
        "model": pl.String,
        "period": pl.Int64,
        "period_end": pl.Date,
        "is_holdout": pl.Boolean,
        "actual_repeat_purchases": pl.Int64,
        "actual_cumulative": pl.Int64,
        "predicted": pl.Float64,
        "predicted_cumulative": pl.Float64,
    }
    if summary.customers.is_empty() or not fitted:
        return pl.DataFrame(schema=schema)
    days = unit_days(summary.time_unit)
    start = summary.customers["first_purchase"].min()
    periods = math.ceil(((summary.holdout_end - start).days + 1) / days)
    ends_days = np.arange(1, periods + 1) * days  # exclusive period ends, in days from start
    offsets = (summary.repeat_purchases["order_date"] - start).dt.total_days().to_numpy()
    actual_cumulative = np.searchsorted(np.sort(offsets), ends_days, side="left")
    # Sorted: the predicted totals below add one term per cohort, in this order.
    firsts = summary.customers.group_by("first_purchase").len().sort("first_purchase")
    first_offsets = (firsts["first_purchase"] - start).dt.total_days().to_numpy().astype(float)
    counts = firsts["len"].to_numpy()
    ages = np.clip(ends_days[:, None] - first_offsets[None, :], 0, None) / days
    period_end = [start + timedelta(days=math.ceil(e) - 1) for e in ends_days]
    frames = []
    for name, (module, params) in fitted.items():
        predicted_cumulative = (module.expected_purchases_new(params, ages) * counts[None, :]).sum(
            axis=1
        )
        frames.append(
            pl.DataFrame(
                {
                    "model": name,
                    "period": np.arange(1, periods + 1),
                    "period_end": period_end,
                    "is_holdout": [e > summary.calibration_end for e in period_end],
                    "actual_repeat_purchases": np.diff(actual_cumulative, prepend=0),
                    "actual_cumulative": actual_cumulative,
                    "predicted": np.diff(predicted_cumulative, prepend=0.0),
                    "predicted_cumulative": predicted_cumulative,
                },
                schema=schema,
            )
        )
    return pl.concat(frames)


def conditional_expectation(
    summary: ClvSummary, predictions: dict[str, np.ndarray]
) -> pl.DataFrame:
    """Mean holdout repeat purchases, actual vs predicted, by calibration frequency 0..7+.

    Args:
        summary: the calibration summary (holdout_frequency is the actual).
        predictions: model name -> per-customer holdout predictions (the naive baseline too).

    Returns:
        One row per model and frequency: model, calibration_frequency (7 = 7 or more),
        frequency_label, customers, actual_mean, predicted_mean.
    """
    bucket = pl.col("frequency").clip(upper_bound=MAX_FREQUENCY_BUCKET)
    base = summary.customers.select(
        bucket.alias("calibration_frequency"), pl.col("holdout_frequency").cast(pl.Float64)
    )
    frames = []
    for name, predicted in predictions.items():
        frames.append(
            base.with_columns(predicted=pl.Series(predicted, dtype=pl.Float64))
            .group_by("calibration_frequency")
            .agg(
                customers=pl.len(),
                actual_mean=stable_mean("holdout_frequency"),
                predicted_mean=stable_mean("predicted"),
            )
            .with_columns(model=pl.lit(name))
        )
    if not frames:
        return pl.DataFrame(
            schema={
                "model": pl.String,
                "calibration_frequency": pl.Int64,
                "frequency_label": pl.String,
                "customers": pl.Int64,
                "actual_mean": pl.Float64,
                "predicted_mean": pl.Float64,
            }
        )
    return (
        pl.concat(frames)
        .with_columns(
            pl.col("calibration_frequency").cast(pl.Int64),
            pl.col("customers").cast(pl.Int64),
            frequency_label=pl.when(pl.col("calibration_frequency") == MAX_FREQUENCY_BUCKET)
            .then(pl.lit(f"{MAX_FREQUENCY_BUCKET}+"))
            .otherwise(pl.col("calibration_frequency").cast(pl.String)),
        )
        .select(
            "model",
            "calibration_frequency",
            "frequency_label",
            "customers",
            "actual_mean",
            "predicted_mean",
        )
        .sort("model", "calibration_frequency")
    )
