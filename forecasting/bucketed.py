"""The backtest and the forecast in the run's buckets (settings forecasting.bucket).

Each bucket's SKUs are backtested and forecast on their own series and steps
(forecasting/buckets.py); with ``auto`` every SKU has its bucket (forecasting/auto_bucket.py)
and the three groups run one after the other. There a weekly or monthly class is its own
class in every table: its demand_pattern carries the bucket, e.g. "lumpy (monthly)", so its
choice, accuracy and reliability never mix with the daily SKUs'. With one bucket for all
SKUs the classes keep their plain names.

forecasts.demand_forecast keeps one row per SKU per day whatever the bucket: a week's or
a month's forecast, and its bounds, are spread evenly over the bucket's calendar days, the
days up to the end of the history left out. The reorder step and the overstock rules then
sum the forecast over the calendar days of a lead time or review period in units, with no
conversion of their own; a bucket's daily bounds add up to the bucket's bounds.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

import polars as pl

from config.settings import ForecastingSettings
from forecasting.auto_bucket import choose_buckets, fixed_buckets
from forecasting.bucket_series import bucket_series
from forecasting.buckets import (
    AUTO,
    BUCKETS,
    DAY,
    MONTH,
    WEEK,
    bucket_of_label,
    bucket_plan,
    class_label,
    pattern_of_label,
)
from forecasting.evaluation import Evaluation, evaluate_models
from forecasting.selection import class_choices

NO_ERRORS = pl.DataFrame(
    schema={"sku": pl.String, "model": pl.String, "actual": pl.Float64, "abs_error_7d": pl.Float64}
)
# Tables whose demand_pattern column names the class.
LABELLED = ("demand_backtest", "accuracy_summary", "model_choice", "sku_reliability")


class BucketedDemand(NamedTuple):
    """The demand mart split by bucket, and why each SKU is in its bucket."""

    series: dict[str, pl.DataFrame]
    """bucket -> the series of the SKUs forecast in it (only buckets the run uses)."""
    buckets: pl.DataFrame
    """forecasts.sku_bucket: sku, bucket (day, week or month), reason; sorted by sku. With
    ``auto`` the reason gives the share of trading days, weeks and months the SKU sells in
    (forecasting/auto_bucket.py); with one bucket set, its share of that bucket."""


def bucket_demand(
    demand: pl.DataFrame, settings: ForecastingSettings, calendar: pl.DataFrame | None = None
) -> BucketedDemand:
    """Each SKU's bucket (settings forecasting.bucket) and the series of every bucket used.

    Args:
        demand: ``marts.sku_demand_daily`` rows.
        settings: history_days, min_active_days, series_start and bucket.
        calendar: the shop's trading days of the history window
            (:func:`forecasting.bucket_series.window_trading_days` of the whole mart) when
            ``demand`` holds some SKUs only (default: read off ``demand``).
    """
    if settings.bucket != AUTO:
        series = _series(demand, settings, settings.bucket, calendar)
        return BucketedDemand({settings.bucket: series}, fixed_buckets(series, settings.bucket))
    every = {bucket: _series(demand, settings, bucket, calendar) for bucket in BUCKETS}
    choice = choose_buckets(every)
    groups = {
        bucket: every[bucket].filter(
            pl.col("unique_id").is_in(choice.filter(pl.col("bucket") == bucket)["sku"].implode())
        )
        for bucket in BUCKETS
    }
    return BucketedDemand(groups, choice)


def _series(
    demand: pl.DataFrame,
    settings: ForecastingSettings,
    bucket: str,
    calendar: pl.DataFrame | None = None,
) -> pl.DataFrame:
    return bucket_series(
        demand,
        bucket,
        settings.history_days,
        settings.min_active_days,
        settings.series_start,
        calendar,
    )


def evaluate_by_bucket(
    groups: dict[str, pl.DataFrame], settings: ForecastingSettings
) -> Evaluation:
    """:func:`forecasting.evaluation.evaluate_models` per bucket, the classes labelled."""
    parts = [
        _labelled(
            evaluate_models(series, settings, plan=bucket_plan(settings, bucket)),
            bucket if settings.bucket == AUTO else DAY,
        )
        for bucket, series in groups.items()
        if not series.is_empty()
    ]
    if not parts:
        bucket = next(iter(groups))
        empty = next(iter(groups.values()))
        return evaluate_models(empty, settings, plan=bucket_plan(settings, bucket))
    if len(parts) == 1:
        return parts[0]
    tables = {
        name: pl.concat([part.tables()[name] for part in parts], how="diagonal_relaxed")
        for name in LABELLED
    }
    return Evaluation(**{field: tables[name] for field, name in _FIELDS.items()})


_FIELDS = {
    "backtest": "demand_backtest",
    "accuracy_summary": "accuracy_summary",
    "model_choice": "model_choice",
    "sku_reliability": "sku_reliability",
}


def _labelled(evaluation: Evaluation, bucket: str) -> Evaluation:
    if bucket == DAY:
        return evaluation
    label = pl.col("demand_pattern").map_elements(
        lambda pattern: class_label(pattern, bucket), return_dtype=pl.String
    )
    tables = {
        name: frame.with_columns(label.alias("demand_pattern"))
        for name, frame in evaluation.tables().items()
    }
    return Evaluation(**{field: tables[name] for field, name in _FIELDS.items()})


def _labelled_forecast(forecast: pl.DataFrame, bucket: str) -> pl.DataFrame:
    if bucket == DAY:
        return forecast
    return forecast.with_columns(
        pl.col("demand_pattern").map_elements(
            lambda pattern: class_label(pattern, bucket), return_dtype=pl.String
        )
    )


def bucket_choices(
    choices: pl.DataFrame, bucket: str, classes: pl.DataFrame, settings: ForecastingSettings
) -> pl.DataFrame:
    """The rows of ``choices`` (labelled as in forecasts.model_choice) for the classes of
    ``bucket``, under their plain pattern names; the prior order where the backtest saw no
    SKU in that bucket (``classes``: sku, demand_pattern of the bucket's SKUs)."""
    label = bucket if settings.bucket == AUTO else DAY
    own = choices.filter(
        pl.col("demand_pattern").map_elements(bucket_of_label, return_dtype=pl.String) == label
    ).with_columns(pl.col("demand_pattern").map_elements(pattern_of_label, return_dtype=pl.String))
    if own.is_empty():  # no SKU had this bucket when the backtest ran: the prior order
        own = class_choices(NO_ERRORS, classes, settings.candidate_models, settings.combine_top)
    return own


def as_days(
    forecast: pl.DataFrame, bucket: str, history_end: dt.date, settings: ForecastingSettings
) -> pl.DataFrame:
    """A bucket's forecast (:func:`forecasting.forecast.forecast_demand`) as
    forecasts.demand_forecast rows: spread over the days of a week or month, its classes
    labelled with the bucket under ``auto``."""
    if bucket != DAY:
        forecast = spread_over_days(forecast, bucket, history_end, settings.levels)
    return _labelled_forecast(forecast, bucket if settings.bucket == AUTO else DAY)


def spread_over_days(
    forecast: pl.DataFrame, bucket: str, history_end: dt.date, levels: tuple[int, ...]
) -> pl.DataFrame:
    """A weekly or monthly forecast (one row per bucket, dated on its first day) as one
    row per calendar day after ``history_end``: each day a 1/n share of its bucket's
    forecast and bounds (n = the bucket's days)."""
    if bucket not in (WEEK, MONTH):
        raise ValueError(f"only weekly and monthly forecasts are spread, not {bucket!r}")
    values = ["forecast", *(f"{side}_{level}" for level in levels for side in ("lo", "hi"))]
    end = pl.col("day") + pl.duration(days=6) if bucket == WEEK else pl.col("day").dt.month_end()
    columns = forecast.columns
    return (
        forecast.with_columns(pl.date_ranges("day", end).alias("days"))
        .with_columns(pl.col("days").list.len().alias("n"))
        .explode("days")
        .with_columns(
            pl.col("days").alias("day"),
            *(pl.col(value) / pl.col("n") for value in values),
        )
        .filter(pl.col("day") > history_end)
        .select(columns)
        .sort("sku", "day")
    )
