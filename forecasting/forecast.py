"""Daily demand forecast per SKU with prediction intervals (forecasts.demand_forecast).

The series skip non-trading days, so the models see a plain step index (1, 2, 3 ... per
series) and forecast steps 1..horizon; step k is mapped back to the k-th trading day after
the series' last day. A weekly season of ``season_length`` calendar days is therefore
``season_length * trading weekdays / 7`` steps (6 for a shop closed on Saturdays).

Statsforecast runs with ``n_jobs=1``: on this stack forking worker processes after
DuckDB or polars have started threads risks a deadlock, and for these fast models one
process is quicker than two anyway.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import polars as pl
from statsforecast import StatsForecast

from forecasting.models import build_model, model_group
from forecasting.trading_calendar import count_trading_days, trading_days_after, week_mask


def season_steps(season_length: int, trading_weekdays: Sequence[int]) -> int:
    """Season length in series steps: trading days within ``season_length`` calendar days."""
    return max(1, round(season_length * len(set(trading_weekdays)) / 7))


def output_schema(levels: Sequence[int]) -> dict[str, pl.DataType]:
    bounds = {f"{side}_{level}": pl.Float64() for level in levels for side in ("lo", "hi")}
    return {
        "sku": pl.String(),
        "day": pl.Date(),
        "forecast": pl.Float64(),
        **bounds,
        "model": pl.String(),
        "demand_pattern": pl.String(),
    }


def forecast_demand(
    series: pl.DataFrame,
    classes: pl.DataFrame,
    horizon: int,
    levels: Sequence[int] = (80, 95),
    season_length: int = 7,
    trading_weekdays: Sequence[int] = (1, 2, 3, 4, 5, 7),
    history_end: dt.date | None = None,
) -> pl.DataFrame:
    """Forecast every series ``horizon`` trading days ahead, the model chosen by demand pattern.

    All SKUs share one forecast window: the ``horizon`` trading days after ``history_end``.
    A series that ends earlier (its last days were stockouts, so they are not history) is
    forecast further ahead and the days up to ``history_end`` are cut, so no forecast row
    is ever in the past.

    Args:
        series: long frame unique_id (SKU), ds (Date, trading days only), y (units >= 0),
            as from :func:`forecasting.demand.demand_series`.
        classes: sku, demand_pattern for every unique_id in ``series`` (from
            :func:`forecasting.demand.classify_demand`).
        horizon: number of future trading days to forecast.
        levels: prediction interval levels in percent; forecasts.demand_forecast expects
            (80, 95).
        season_length: weekly season in calendar days.
        trading_weekdays: ISO weekdays the shop trades (1 = Monday); future days are these.
        history_end: the last day of history of the shop as a whole (default: the last
            day in ``series``); forecasts start on the first trading day after it.

    Returns:
        One row per SKU per future trading day: sku, day, forecast, lo_<level>, hi_<level>
        for each level, model, demand_pattern. Every value is >= 0 and
        lo_95 <= lo_80 <= forecast <= hi_80 <= hi_95. Sorted by sku, day.
    """
    week_mask(trading_weekdays)  # reject a bad calendar before any fitting
    if horizon < 1:
        raise ValueError(f"horizon must be at least 1 trading day, got {horizon}")
    if series.is_empty():
        return pl.DataFrame(schema=output_schema(levels))
    per_series = (
        series.group_by("unique_id")
        .agg(pl.len().alias("observations"), pl.col("ds").max().alias("last_day"))
        .join(
            classes.select(pl.col("sku").alias("unique_id"), "demand_pattern"),
            on="unique_id",
            how="left",
        )
    )
    unclassified = per_series.filter(pl.col("demand_pattern").is_null())["unique_id"]
    if len(unclassified):
        raise ValueError(
            f"no demand pattern for {len(unclassified)} series "
            f"(first: {unclassified.sort()[0]!r}); "
            "pass classify_demand(series) as `classes` for the same series"
        )
    history_end = history_end or series["ds"].max()
    # Trading days between a series' end and the shop's: the series must forecast past them.
    behind = max(count_trading_days(last, history_end, trading_weekdays) for last in per_series["last_day"])
    steps_ahead = horizon + behind
    per_series = per_series.with_columns(
        pl.struct("demand_pattern", "observations")
        .map_elements(
            lambda s: model_group(s["demand_pattern"], s["observations"], steps_ahead),
            return_dtype=pl.String,
        )
        .alias("group")
    )
    steps = (
        series.sort("unique_id", "ds")
        .with_columns((pl.int_range(pl.len()).over("unique_id") + 1).alias("step"))
        .select("unique_id", pl.col("step").alias("ds"), "y")
    )
    season = season_steps(season_length, trading_weekdays)
    parts = []
    for group in sorted(per_series["group"].unique()):
        members = per_series.filter(pl.col("group") == group).select("unique_id")
        model = build_model(group, season, steps_ahead)
        engine = StatsForecast(models=[model], freq=1, n_jobs=1)
        raw = engine.forecast(h=steps_ahead, df=steps.join(members, on="unique_id"), level=list(levels))
        parts.append(_tidy(raw, model.alias, levels))
    forecasts = pl.concat(parts)
    return (
        forecasts.join(
            per_series.select("unique_id", "observations", "last_day", "demand_pattern"),
            on="unique_id",
        )
        .with_columns((pl.col("ds") - pl.col("observations")).alias("step"))
        .join(
            _future_days(per_series["last_day"].unique(), steps_ahead, trading_weekdays),
            on=["last_day", "step"],
        )
        .filter(pl.col("day") > history_end)
        .filter(pl.int_range(pl.len()).over("unique_id", order_by="day") < horizon)
        .rename({"unique_id": "sku"})
        .select(list(output_schema(levels)))
        .sort("sku", "day")
    )


def _tidy(raw: pl.DataFrame, alias: str, levels: Sequence[int]) -> pl.DataFrame:
    """Rename statsforecast's columns and make the bounds non-negative and ordered."""
    point = pl.col(alias).clip(lower_bound=0).fill_nan(0.0)
    bounds = []
    for level in levels:
        # A bound can be NaN (one observation has no spread): fall back to the point forecast.
        lo = (
            pl.col(f"{alias}-lo-{level}")
            .fill_nan(None)
            .fill_null(pl.col(alias))
            .clip(lower_bound=0)
        )
        hi = (
            pl.col(f"{alias}-hi-{level}")
            .fill_nan(None)
            .fill_null(pl.col(alias))
            .clip(lower_bound=0)
        )
        bounds += [
            pl.min_horizontal(lo, point).alias(f"lo_{level}"),
            pl.max_horizontal(hi, point).alias(f"hi_{level}"),
        ]
    return raw.select(
        pl.col("unique_id").cast(pl.String),
        pl.col("ds").cast(pl.Int64),
        point.alias("forecast"),
        *bounds,
        pl.lit(alias).alias("model"),
    )


def _future_days(
    last_days: pl.Series, horizon: int, trading_weekdays: Sequence[int]
) -> pl.DataFrame:
    """Rows (last_day, step, day): forecast step k after last_day is the k-th trading day."""
    rows = [
        {"last_day": last, "step": step, "day": day}
        for last in last_days.to_list()
        for step, day in enumerate(trading_days_after(last, horizon, trading_weekdays), start=1)
    ]
    return pl.DataFrame(rows, schema={"last_day": pl.Date, "step": pl.Int64, "day": pl.Date})
