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
class, scaled by each SKU's level (forecasting/intervals.py); the models are run and
combined by forecasting/model_mix.py. Where statsforecast runs is forecasting/engine.py.

Every figure of a series is its own except the bands' quantiles, pooled per class, and
the forecast's length, the same for all series (the steps the series that ends earliest
needs): :func:`forecast_demand` is :func:`prepare_series`, :func:`steps_behind`,
:func:`forecast_unbanded` and :func:`with_class_bands`, which
forecasting/forecast_batches.py runs a batch of SKUs at a time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from config.settings import ForecastingSettings
from forecasting.backtest import step_frame
from forecasting.buckets import DAY, BucketPlan, bucket_end, bucket_plan, steps_after, steps_between
from forecasting.intervals import class_quantiles, with_bounds
from forecasting.model_mix import combine_models
from forecasting.models import SHORT_HISTORY_MODEL, min_history_for_intervals
from forecasting.selection import combination_name, with_combine
from forecasting.series_order import series_runs
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
    check_forecast_settings(settings, horizon)
    plan = plan or bucket_plan(settings, DAY)
    if series.is_empty():
        return pl.DataFrame(schema=output_schema(settings.levels))
    prepared = prepare_series(series, classes)
    history_end = history_end or series["ds"].max()
    steps_ahead = horizon + steps_behind(prepared, history_end, plan)
    part = forecast_unbanded(prepared, choices, horizon, steps_ahead, settings, history_end, plan)
    return with_class_bands([part], settings.levels)


def check_forecast_settings(settings: ForecastingSettings, horizon: int) -> None:
    """Reject a bad trading calendar or horizon before any fitting."""
    week_mask(settings.trading_weekdays)
    if horizon < 1:
        raise ValueError(f"horizon must be at least 1 trading day, got {horizon}")


@dataclass(frozen=True)
class PreparedSeries:
    """Series ready for the models: ``steps`` (unique_id, ds: step 1, 2, 3 ..., y) in series
    order and ``per_series`` (unique_id, observations, last_day, demand_pattern)."""

    steps: pl.DataFrame
    per_series: pl.DataFrame


def prepare_series(series: pl.DataFrame, classes: pl.DataFrame) -> PreparedSeries:
    """Number the steps of ``series`` and give each its class (arguments as
    :func:`forecast_demand`'s)."""
    steps = step_frame(series)
    return PreparedSeries(steps.select("unique_id", "ds", "y"), _per_series(steps, classes))


def steps_behind(prepared: PreparedSeries, history_end: dt.date, plan: BucketPlan) -> int:
    """The most steps between a series' end and the shop's: every series is forecast that
    much further, so the shop's forecast window is covered."""
    last_days = prepared.per_series["last_day"].unique()
    return max(steps_between(last, history_end, plan) for last in last_days)


@dataclass(frozen=True)
class UnbandedForecast:
    """A forecast before its class bands: ``banded`` (the short series' rows, with their
    own bounds), ``point`` (the other series' rows, with their scale; bounds to add) and
    ``calibration`` (demand_pattern, y, forecast, scale, score: the scaled errors of
    the point forecasts on their past windows); rows dated, each SKU's first days only."""

    banded: pl.DataFrame | None
    point: pl.DataFrame | None
    calibration: pl.DataFrame | None


def forecast_unbanded(
    prepared: PreparedSeries,
    choices: pl.DataFrame,
    horizon: int,
    steps_ahead: int,
    settings: ForecastingSettings,
    history_end: dt.date,
    plan: BucketPlan,
    calibrate: bool = True,
) -> UnbandedForecast:
    """The forecasts of ``prepared``'s series, ``steps_ahead`` steps from each series' end
    (the same for every series of the run, :func:`steps_behind`), dated and cut to each
    SKU's first ``horizon`` steps after ``history_end``, bands not yet added. Each
    figure is the series' own: a catalog can be forecast a batch of series at a time.
    Without ``calibrate`` the past windows are not forecast and ``calibration`` is None:
    the bands are to come from quantiles calibrated before (:func:`with_class_bands`)."""
    per_series = prepared.per_series
    assigned = _assign_models(per_series, choices, min_history_for_intervals(steps_ahead))
    classes_by_id = per_series.select("unique_id", "demand_pattern")
    short, point, calibration = combine_models(
        prepared.steps, assigned, classes_by_id, steps_ahead, settings, plan.season, calibrate
    )
    future = _future_steps(per_series["last_day"].unique(), steps_ahead, plan)

    def dated(frame: pl.DataFrame | None) -> pl.DataFrame | None:
        if frame is None:
            return None
        return _dated(frame, per_series, future, history_end, horizon)

    return UnbandedForecast(dated(short), dated(point), calibration)


def band_quantiles(parts: Sequence[UnbandedForecast], levels: Sequence[int]) -> pl.DataFrame:
    """The quantiles of each class's calibration days over all ``parts`` (forecast with
    ``calibrate``): demand_pattern, q_lo_<level>, q_hi_<level> (forecasting/intervals.py)."""
    calibration = [part.calibration for part in parts if part.point is not None]
    if any(frame is None for frame in calibration):
        raise ValueError("a part was forecast without calibrate: its errors are not known")
    return class_quantiles(pl.concat(calibration), levels)


def with_class_bands(
    parts: Sequence[UnbandedForecast],
    levels: Sequence[int],
    quantiles: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """The forecast of every part, the point forecasts banded with their class's
    ``quantiles`` (by default :func:`band_quantiles` of the parts): the output of
    :func:`forecast_demand`, sorted by sku, day."""
    frames = [part.banded for part in parts if part.banded is not None]
    points = [part.point for part in parts if part.point is not None]
    if points:
        if quantiles is None:
            quantiles = band_quantiles(parts, levels)
        frames.append(with_bounds(pl.concat(points), quantiles, levels))
    columns = list(output_schema(levels))
    return pl.concat(frames, how="diagonal").select(columns).sort("sku", "day")


def _dated(
    frame: pl.DataFrame,
    per_series: pl.DataFrame,
    future: pl.DataFrame,
    history_end: dt.date,
    horizon: int,
) -> pl.DataFrame:
    """``frame`` (unique_id, ds: step, ...) as sku, day: each series' first ``horizon``
    steps that end after ``history_end``, in no particular order
    (:func:`with_class_bands` sorts)."""
    # A step's day rises with the step, so the steps a series keeps depend on its last
    # day alone: those that end after history_end (a week or month still running on it
    # is the first step forecast), the first ``horizon`` of them. Deciding that on the
    # few (last_day, step) rows spares sorting the forecast by sku and day to count.
    kept = (
        future.filter(pl.col("end") > history_end)
        .sort("last_day", "step")
        .filter(pl.int_range(pl.len()).over("last_day") < horizon)
        .drop("end")
    )
    return (
        frame.join(
            per_series.select("unique_id", "observations", "last_day", "demand_pattern"),
            on="unique_id",
        )
        .with_columns((pl.col("ds") - pl.col("observations")).alias("step"))
        .join(kept, on=["last_day", "step"])
        .rename({"unique_id": "sku"})
        .drop("ds", "observations", "last_day", "step")
    )


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
