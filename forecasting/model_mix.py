"""Each series' models, run and combined: the point forecasts of forecasting/forecast.py.

A series is forecast by its class's mix of models (forecasting/nested_choice.py): one
statsforecast call per mix over all the series that use it, every model of the mix at
once, then the mean or the median of the models per step. The same mix is rerun on the
series' last ``INTERVAL_WINDOWS`` windows, whose errors calibrate the class's bands
(forecasting/intervals.py). A series too short for those windows gets the historic
average with its own normal intervals.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import polars as pl

from config.settings import ForecastingSettings
from forecasting import engine
from forecasting.intervals import CLASS, SoldToDate, scaled, scored_days
from forecasting.models import INTERVAL_WINDOWS, SHORT_HISTORY_MODEL, ZERO, build_model
from forecasting.selection import MEDIAN
from forecasting.series_order import series_runs
from forecasting.stable_sums import row_median, stable_row_mean


def combine_models(
    steps: pl.DataFrame,
    assigned: pl.DataFrame,
    classes: pl.DataFrame,
    steps_ahead: int,
    settings: ForecastingSettings,
    season: int,
    calibrate: bool = True,
) -> tuple[pl.DataFrame | None, pl.DataFrame | None, pl.DataFrame | None]:
    """(the short series' historic average with its own bounds; every other series' mean
    or median of its models with its scale; that combination's scored past errors in
    its class, ``classes``: unique_id, demand_pattern), each unique_id, ds (step), ...;
    None where no series is short, or none is not. Without ``calibrate`` the past
    windows are not forecast (the bands reuse earlier quantiles) and the errors are None."""
    levels = settings.levels
    runs = series_runs(steps["unique_id"])
    points, past = [], []
    short_forecast = None
    short = assigned.filter(pl.col("short"))["unique_id"]
    if len(short):
        frame = _rows_of(steps, runs, short)
        model = build_model(SHORT_HISTORY_MODEL, season)
        raw = engine.forecast([model], frame, steps_ahead, levels, engine.cluster_of(settings))
        short_forecast = _tidy(raw, SHORT_HISTORY_MODEL, levels)
    # Series that combine the same models the same way are forecast together, all models
    # in one call.
    mixes = (
        assigned.filter(~pl.col("short"))
        .group_by("unique_id", "label", "combine")
        .agg(pl.col("model").sort())
        .group_by("label", "combine", "model")
        .agg("unique_id")
        .sort("label")
    )
    for label, combine, models, ids in mixes.iter_rows():
        frame = _rows_of(steps, runs, pl.Series(ids))
        point, errors = _point_and_past(
            frame, models, combine, season, steps_ahead, settings, calibrate
        )
        points.append(point.with_columns(pl.lit(label).alias("model")))
        past.append(errors)
    if not points:
        return short_forecast, None, None
    point = pl.concat(points).with_columns(
        (pl.col("ds").min().over("unique_id") - 1).alias("cutoff")
    )
    span = INTERVAL_WINDOWS * steps_ahead
    totals = SoldToDate.of(steps)
    calibration = None
    if calibrate:
        scored = scored_days(pl.concat(past), classes, totals, span)
        calibration = scored.select(CLASS, "y", "forecast", "scale", "score")
    return short_forecast, scaled(point, totals, span).drop("cutoff"), calibration


def _rows_of(steps: pl.DataFrame, runs: pl.DataFrame, ids: pl.Series) -> pl.DataFrame:
    """The rows of the series ``ids`` in ``steps`` (in series order, its ``runs`` from
    :func:`forecasting.series_order.series_runs`), still in series order: which series
    to keep is decided once per series, not once per row."""
    keep = runs["unique_id"].is_in(ids.implode()).to_numpy()
    return steps.filter(pl.Series(np.repeat(keep, runs["rows"].to_numpy())))


def _point_and_past(
    frame: pl.DataFrame,
    models: list[str],
    combine: str,
    season: int,
    steps_ahead: int,
    settings: ForecastingSettings,
    calibrate: bool,
) -> tuple[pl.DataFrame, pl.DataFrame | None]:
    """The mean (or, ``combine`` being ``median``, the median) of ``models`` for each series
    (unique_id, ds, forecast) and, with ``calibrate``, its forecasts of the series' last
    ``INTERVAL_WINDOWS`` windows (unique_id, cutoff, ds, y, forecast; else None). A model
    that cannot forecast a series (NaN) is left out of that series' combination; a
    negative forecast counts as 0."""
    fitted = [name for name in models if name != ZERO]
    past = None
    if fitted:
        built = [build_model(name, season) for name in fitted]
        address = engine.cluster_of(settings)
        point = engine.forecast(built, frame, steps_ahead, (), address)
        if calibrate:
            past = engine.cross_validation(built, frame, steps_ahead, INTERVAL_WINDOWS, address)
    else:
        point, past = _zero_frames(frame, steps_ahead)
    # Zero beside fitted models: a column of zeros in the mean.
    zero = [pl.lit(0.0).alias(ZERO)] if ZERO in models and fitted else []
    clean = [pl.col(name).fill_nan(None).clip(lower_bound=0) for name in fitted]
    mean = (row_median(models) if combine == MEDIAN else stable_row_mean(models)).alias("forecast")
    keys = [pl.col("unique_id").cast(pl.String), pl.col("ds").cast(pl.Int64)]
    point = point.with_columns(*clean, *zero).select(*keys, mean)
    if not calibrate:
        return point, None
    return point, past.with_columns(*clean, *zero).select(
        keys[0], pl.col("cutoff").cast(pl.Int64), keys[1], "y", mean
    )


def _zero_frames(frame: pl.DataFrame, steps_ahead: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Forecasting nothing: its future (unique_id, ds, Zero) and past windows (unique_id,
    cutoff, ds, y, Zero), as statsforecast's forecast and cross-validation would give them."""
    last = pl.col("ds").max().over("unique_id")
    point = (
        frame.group_by("unique_id")
        .agg(pl.col("ds").max())
        .select("unique_id", pl.int_ranges(pl.col("ds") + 1, pl.col("ds") + steps_ahead + 1))
        .explode("ds")
        .with_columns(pl.lit(0.0).alias(ZERO))
    )
    past = frame.filter(pl.col("ds") > last - INTERVAL_WINDOWS * steps_ahead).select(
        "unique_id",
        (last - ((last - pl.col("ds")) // steps_ahead + 1) * steps_ahead).alias("cutoff"),
        "ds",
        "y",
        pl.lit(0.0).alias(ZERO),
    )
    return point, past


def _tidy(raw: pl.DataFrame, alias: str, levels: Sequence[int]) -> pl.DataFrame:
    """The short-history model's forecast with its own bounds, non-negative and ordered."""
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
