"""Demand forecast per SKU with prediction intervals (forecasts.demand_forecast).

The models see a plain step index (1, 2, 3 ... per series) and forecast steps 1..horizon.
In daily buckets the series skip non-trading days, and step k is mapped back to the k-th
trading day after the series' last day; a weekly season of ``season_length`` calendar days
is therefore ``season_length * trading weekdays / 7`` steps (6 for a shop closed on
Saturdays). In weekly or monthly buckets step k is the k-th week or month after the
series' last one (forecasting/buckets.py).

Which models forecast a SKU is decided by the backtest (forecasting/nested_choice.py): the
mean or the median of its demand-pattern class's best models, or zero. Its bands come from
the errors of that combination on the last two windows of the horizon of every SKU in its
class, scaled by each SKU's level (forecasting/intervals.py). Where
statsforecast runs is forecasting/engine.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import polars as pl

from config.settings import ForecastingSettings
from forecasting import engine
from forecasting.backtest import step_frame
from forecasting.buckets import DAY, BucketPlan, bucket_end, bucket_plan, steps_after, steps_between
from forecasting.intervals import calibrated_bands
from forecasting.models import (
    INTERVAL_WINDOWS,
    SHORT_HISTORY_MODEL,
    ZERO,
    build_model,
    min_history_for_intervals,
)
from forecasting.selection import MEDIAN, combination_name, with_combine
from forecasting.series_order import series_runs, step_numbers
from forecasting.stable_sums import stable_row_mean
from forecasting.trading_calendar import week_mask


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
    choices: pl.DataFrame,
    horizon: int,
    settings: ForecastingSettings,
    history_end: dt.date | None = None,
    plan: BucketPlan | None = None,
) -> pl.DataFrame:
    """Forecast every series ``horizon`` steps ahead with its class's chosen models.

    All SKUs share one forecast window: the ``horizon`` trading days after ``history_end``.
    A series that ends earlier (its last days were stockouts, so they are not history) is
    forecast further ahead and the days up to ``history_end`` are cut, so no forecast row
    is ever in the past. A SKU's forecast is the mean or the median of its class's chosen
    models (a model that cannot forecast the series is left out); its bounds add the
    class's quantiles of that combination's scaled errors on the series' last
    ``INTERVAL_WINDOWS`` windows of the horizon (forecasting/intervals.py). A series too
    short for those windows is forecast by the historic average with its normal intervals.
    Per model one forecast and one cross-validation call over all the SKUs that use it.

    Args:
        series: long frame unique_id (SKU), ds (Date, trading days only), y (units >= 0),
            as from :func:`forecasting.demand.demand_series`.
        classes: sku, demand_pattern for every unique_id in ``series`` (from
            :func:`forecasting.demand.classify_demand`).
        choices: demand_pattern, model, rank and optionally combine (``mean`` or
            ``median``; ``mean`` without it): the models each class combines (model
            ``Zero``: the class forecasts nothing), as in forecasts.model_choice.
        horizon: number of future steps to forecast (the pipeline's is the bucket plan's
            horizon, from ``settings.horizon``).
        settings: the forecasting settings: prediction interval ``levels`` in percent
            (forecasts.demand_forecast expects (80, 95)), the weekly ``season_length`` in
            calendar days, the ``trading_weekdays`` future days fall on (ISO, 1 = Monday)
            and the ``engine`` statsforecast runs on.
        history_end: the last day of history of the shop as a whole (default: the last
            day in ``series``); forecasts start on the first trading day after it, or with
            the week or month holding the day after it.
        plan: the series' bucket (forecasting/buckets.py): its season, and what a step
            is (default: daily buckets, a step a trading day).

    Returns:
        One row per SKU per future step: sku, day (the trading day, or the bucket's first
        day), forecast, lo_<level>, hi_<level> for each level, model, demand_pattern.
        Every value is >= 0 and lo_95 <= lo_80 <= forecast <= hi_80 <= hi_95. Sorted by
        sku, day.
    """
    levels, trading_weekdays = settings.levels, settings.trading_weekdays
    week_mask(trading_weekdays)  # reject a bad calendar before any fitting
    plan = plan or bucket_plan(settings, DAY)
    if horizon < 1:
        raise ValueError(f"horizon must be at least 1 trading day, got {horizon}")
    if series.is_empty():
        return pl.DataFrame(schema=output_schema(levels))
    steps = step_frame(series)
    per_series = _per_series(steps, classes)
    history_end = history_end or series["ds"].max()
    # Steps between a series' end and the shop's: the series must forecast past them.
    behind = max(steps_between(last, history_end, plan) for last in per_series["last_day"].unique())
    steps_ahead = horizon + behind
    assigned = _assign_models(per_series, choices, min_history_for_intervals(steps_ahead))
    classes_by_id = per_series.select("unique_id", "demand_pattern")
    combined = _combine(steps, assigned, classes_by_id, steps_ahead, settings, plan.season)
    dated = (
        combined.join(
            per_series.select("unique_id", "observations", "last_day", "demand_pattern"),
            on="unique_id",
        )
        .with_columns((pl.col("ds") - pl.col("observations")).alias("step"))
        .join(
            _future_steps(per_series["last_day"].unique(), steps_ahead, plan),
            on=["last_day", "step"],
        )
        # A week or month still running on history_end is the first step forecast.
        .filter(pl.col("end") > history_end)
        .rename({"unique_id": "sku"})
        .select(list(output_schema(levels)))
        .sort("sku", "day")
    )
    # Each SKU's first ``horizon`` days.
    return dated.filter(pl.Series(step_numbers(series_runs(dated["sku"])) <= horizon))


def _per_series(steps: pl.DataFrame, classes: pl.DataFrame) -> pl.DataFrame:
    """unique_id, observations, last_day and demand_pattern of every series of ``steps``
    (from :func:`forecasting.backtest.step_frame`)."""
    runs = series_runs(steps["unique_id"])
    last_rows = runs["first_row"] + runs["rows"] - 1
    per_series = runs.select(
        "unique_id",
        pl.col("rows").cast(pl.UInt32).alias("observations"),
        steps["day"].gather(last_rows).alias("last_day"),
    ).join(
        classes.select(pl.col("sku").alias("unique_id"), "demand_pattern"),
        on="unique_id",
        how="left",
    )
    unclassified = per_series.filter(pl.col("demand_pattern").is_null())["unique_id"]
    if len(unclassified):
        raise ValueError(
            f"no demand pattern for {len(unclassified)} series "
            f"(first: {unclassified.sort()[0]!r}); "
            "pass classify_demand(series) as `classes` for the same series"
        )
    return per_series


def _assign_models(
    per_series: pl.DataFrame, choices: pl.DataFrame, min_history: int
) -> pl.DataFrame:
    """unique_id, model, label, combine, short: one row per model a series combines; label
    names the mix; short series (fewer than ``min_history`` observations) get the historic
    average."""
    missing = sorted(set(per_series["demand_pattern"]) - set(choices["demand_pattern"]))
    if missing:
        raise ValueError(
            f"no chosen model for demand pattern(s) {missing}; "
            "pass forecasting.selection.class_choices(...) covering every pattern"
        )
    choices = with_combine(choices)
    labels = (
        choices.sort("rank")
        .group_by("demand_pattern", maintain_order=True)
        .agg(pl.col("model"), pl.col("combine").first())
        .select(
            "demand_pattern",
            "combine",
            pl.struct("model", "combine")
            .map_elements(
                lambda row: combination_name(row["model"], row["combine"]),
                return_dtype=pl.String,
            )
            .alias("label"),
        )
    )
    long_enough = per_series.filter(pl.col("observations") >= min_history)
    short = per_series.filter(pl.col("observations") < min_history).select(
        "unique_id",
        pl.lit(SHORT_HISTORY_MODEL).alias("model"),
        pl.lit(SHORT_HISTORY_MODEL).alias("label"),
        pl.lit("mean").alias("combine"),
        pl.lit(True).alias("short"),
    )
    chosen = (
        long_enough.join(choices.select("demand_pattern", "model"), on="demand_pattern")
        .join(labels, on="demand_pattern")
        .select("unique_id", "model", "label", "combine", pl.lit(False).alias("short"))
    )
    return pl.concat([chosen, short])


def _combine(
    steps: pl.DataFrame,
    assigned: pl.DataFrame,
    classes: pl.DataFrame,
    steps_ahead: int,
    settings: ForecastingSettings,
    season: int,
) -> pl.DataFrame:
    """unique_id, ds (step), forecast, lo_/hi_<level>, model: each series' mean or median
    of its models with bands from the past errors of that combination in its class
    (``classes``: unique_id, demand_pattern), the short series' historic average."""
    levels = settings.levels
    steps = steps.select("unique_id", "ds", "y")
    runs = series_runs(steps["unique_id"])
    parts, points, past = [], [], []
    short = assigned.filter(pl.col("short"))["unique_id"]
    if len(short):
        frame = _rows_of(steps, runs, short)
        model = build_model(SHORT_HISTORY_MODEL, season)
        raw = engine.forecast([model], frame, steps_ahead, levels, engine.cluster_of(settings))
        parts.append(_tidy(raw, SHORT_HISTORY_MODEL, levels))
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
        point, errors = _point_and_past(frame, models, combine, season, steps_ahead, settings)
        points.append(point.with_columns(pl.lit(label).alias("model")))
        past.append(errors)
    if points:
        point = pl.concat(points).with_columns(
            (pl.col("ds").min().over("unique_id") - 1).alias("cutoff")
        )
        span = INTERVAL_WINDOWS * steps_ahead
        banded = calibrated_bands(point, pl.concat(past), steps, classes, span, levels)
        parts.append(banded.drop("cutoff"))
    return pl.concat(parts, how="diagonal")


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
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The mean (or, ``combine`` being ``median``, the median) of ``models`` for each series
    (unique_id, ds, forecast) and its forecasts of the series' last ``INTERVAL_WINDOWS``
    windows (unique_id, cutoff, ds, y, forecast). A model that cannot forecast a series
    (NaN) is left out of that series' combination; a negative forecast counts as 0."""
    fitted = [name for name in models if name != ZERO]
    if fitted:
        built = [build_model(name, season) for name in fitted]
        address = engine.cluster_of(settings)
        point = engine.forecast(built, frame, steps_ahead, (), address)
        past = engine.cross_validation(built, frame, steps_ahead, INTERVAL_WINDOWS, address)
    else:
        point, past = _zero_frames(frame, steps_ahead)
    # Zero beside fitted models: a column of zeros in the mean.
    zero = [pl.lit(0.0).alias(ZERO)] if ZERO in models and fitted else []
    clean = [pl.col(name).fill_nan(None).clip(lower_bound=0) for name in fitted]
    mean = (
        pl.concat_list(models).list.median() if combine == MEDIAN else stable_row_mean(models)
    ).alias("forecast")
    keys = [pl.col("unique_id").cast(pl.String), pl.col("ds").cast(pl.Int64)]
    return (
        point.with_columns(*clean, *zero).select(*keys, mean),
        past.with_columns(*clean, *zero).select(
            keys[0], pl.col("cutoff").cast(pl.Int64), keys[1], "y", mean
        ),
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


def _future_steps(last_days: pl.Series, horizon: int, plan: BucketPlan) -> pl.DataFrame:
    """Rows (last_day, step, day, end): forecast step k after last_day is the k-th trading
    day, week or month; ``end`` is its last day."""
    rows = [
        {"last_day": last, "step": step, "day": day, "end": bucket_end(day, plan.bucket)}
        for last in last_days.to_list()
        for step, day in enumerate(steps_after(last, horizon, plan), start=1)
    ]
    schema = {"last_day": pl.Date, "step": pl.Int64, "day": pl.Date, "end": pl.Date}
    return pl.DataFrame(rows, schema=schema)
