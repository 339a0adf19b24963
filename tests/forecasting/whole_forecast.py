"""The forecast of every bucket group in one go: the oracle the batched forecast
(forecasting/forecast_batches.py) is compared with, and the bucket tests' forecast."""

import datetime as dt

import polars as pl

from config.settings import ForecastingSettings
from forecasting.bucketed import as_days, bucket_choices
from forecasting.buckets import bucket_plan
from forecasting.demand import classify_demand
from forecasting.forecast import forecast_demand


def forecast_by_bucket(
    groups: dict[str, pl.DataFrame],
    choices: pl.DataFrame,
    settings: ForecastingSettings,
    history_end: dt.date,
) -> pl.DataFrame:
    """forecasts.demand_forecast: every group forecast in its bucket, then as days.

    Args:
        groups: bucket -> series (:attr:`BucketedDemand.series`).
        choices: demand_pattern (labelled as in forecasts.model_choice), model, rank.
        settings: the forecasting settings.
        history_end: the shop's last day of demand history.

    Returns:
        One row per SKU per future day (trading days for daily SKUs, every calendar day of
        a weekly or monthly SKU's buckets), columns as
        :func:`forecasting.forecast.forecast_demand`.
    """
    parts = []
    for bucket, series in groups.items():
        if series.is_empty() and parts:
            continue
        plan = bucket_plan(settings, bucket)
        classes = classify_demand(series)
        forecast = forecast_demand(
            series,
            classes,
            bucket_choices(choices, bucket, classes, settings),
            plan.horizon,
            settings,
            history_end=history_end,
            plan=plan,
        )
        parts.append(as_days(forecast, bucket, history_end, settings))
    # Each part comes sorted by sku, day: one part needs no sort again.
    return parts[0] if len(parts) == 1 else pl.concat(parts).sort("sku", "day")
