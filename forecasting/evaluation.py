"""The backtest as a whole: every candidate on every SKU, the class choices, the accuracy report.

The latest backtest window is the holdout. The class choices judged on it are made on the
earlier windows only, so ``selected`` competes with the single models out of sample; the
choices the live forecast uses are made again on all windows, the holdout included
(forecasting.selection.class_choices on forecasts.demand_backtest).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from config.settings import ForecastingSettings
from forecasting.backtest import cross_validate, step_frame, window_starts
from forecasting.demand import classify_demand
from forecasting.forecast import season_steps
from forecasting.metrics import accuracy, naive_scale, window_errors
from forecasting.models import SEASONAL_NAIVE
from forecasting.selection import SELECTED, class_choices, combination_name, selected_forecasts

ALL_CLASSES = "all"
# The bench's SF1 catalog in one batch (1.9 GB peak for the backtest step there).
BACKTEST_BATCH_SKUS = 4_000


@dataclass(frozen=True)
class Evaluation:
    backtest: pl.DataFrame  # forecasts.demand_backtest
    accuracy_summary: pl.DataFrame  # forecasts.accuracy_summary


def evaluate_models(
    series: pl.DataFrame,
    settings: ForecastingSettings,
    batch_skus: int = BACKTEST_BATCH_SKUS,
) -> Evaluation:
    """Backtest every candidate, choose per class, and report the holdout accuracy.

    Args:
        series: unique_id, ds (Date), y (from :func:`forecasting.demand.demand_series`).
        settings: the forecasting settings: ``candidate_models`` (keys of
            ``forecasting.models.CANDIDATES``), ``horizon_days`` per backtest window (the
            last window is the holdout), ``backtest_windows`` (at least 2: choices are made
            on the earlier ones), ``backtest_min_train_days`` (fewest observations before a
            series' first window), the season (``season_length`` over the
            ``trading_weekdays``), ``combine_top`` (models each class averages, see
            forecasting.selection.class_choices) and ``dask_address``.
        batch_skus: SKUs backtested at a time (memory, not results, depends on it).

    Returns:
        backtest: one row per SKU, model (candidates and ``selected``) and window with the
        errors of forecasting.metrics.ERROR_SCHEMA plus demand_pattern (as classified on the
        history before the holdout) and chosen (the models ``selected`` averaged).
        accuracy_summary: one row per model and class (and ``all``) on the holdout window.
    """
    n_windows = settings.backtest_windows
    if n_windows < 2:
        raise ValueError(
            f"forecasting.backtest_windows must be at least 2 (choose on the earlier, "
            f"judge on the last), got {n_windows}"
        )
    steps = step_frame(series)
    starts = window_starts(
        steps, settings.horizon_days, n_windows, settings.backtest_min_train_days
    )
    scales = naive_scale(steps, starts, _season(settings))
    errors, holdout_forecasts = _backtest_in_batches(series, scales, settings, batch_skus)

    holdout_start = starts.filter(pl.col("window") == n_windows).select("unique_id", "first_step")
    before_holdout = steps.join(holdout_start, on="unique_id").filter(
        pl.col("ds") < pl.col("first_step")
    )
    holdout_classes = classify_demand(
        before_holdout.select("unique_id", pl.col("day").alias("ds"), "y")
    )
    holdout_choices = class_choices(
        errors.filter(pl.col("window") < n_windows),
        holdout_classes,
        settings.candidate_models,
        settings.combine_top,
    )
    selected = selected_forecasts(holdout_forecasts, holdout_classes, holdout_choices)
    chosen = _chosen_labels(holdout_choices)
    backtest = (
        pl.concat([errors, window_errors(selected, scales)])
        .join(holdout_classes.select("sku", "demand_pattern"), on="sku", how="left")
        .join(chosen, on="demand_pattern", how="left")
        .with_columns(pl.when(pl.col("model") == SELECTED).then(pl.col("chosen")).alias("chosen"))
        .sort("sku", "model", "window")
    )
    holdout = backtest.filter(
        (pl.col("window") == n_windows) & pl.col("demand_pattern").is_not_null()
    )
    summary = pl.concat(
        [
            accuracy(holdout, ["model", "demand_pattern"]),
            accuracy(holdout, ["model"]).with_columns(pl.lit(ALL_CLASSES).alias("demand_pattern")),
        ],
        how="diagonal",
    )
    return Evaluation(backtest, _with_naive_ratio(summary, chosen))


def _season(settings: ForecastingSettings) -> int:
    return season_steps(settings.season_length, settings.trading_weekdays)


def _backtest_in_batches(
    series: pl.DataFrame, scales: pl.DataFrame, settings: ForecastingSettings, batch_skus: int
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(every window's errors, the holdout window's forecasts), ``batch_skus`` SKUs at a time.

    The forecasts of every window, model and step are ~700 rows per SKU: a batch of SKUs
    at a time keeps their memory fixed as the catalog grows. Each series is forecast on
    its own, so the batches give the same rows (7-day error sums may differ in the last
    bits: 5e-13 at SF1); the holdout window's forecasts are kept for the class choices,
    which need every SKU's errors.
    """
    ids = series["unique_id"].unique().sort()
    errors_parts, holdout_parts = [], []
    for first in range(0, max(ids.len(), 1), batch_skus):
        batch = series.filter(pl.col("unique_id").is_in(ids.slice(first, batch_skus).implode()))
        forecasts = cross_validate(
            batch,
            settings.candidate_models,
            settings.horizon_days,
            settings.backtest_windows,
            settings.backtest_min_train_days,
            _season(settings),
            settings.dask_address,
        )
        errors_parts.append(window_errors(forecasts, scales))
        holdout_parts.append(forecasts.filter(pl.col("window") == settings.backtest_windows))
    return pl.concat(errors_parts), pl.concat(holdout_parts)


def _chosen_labels(choices: pl.DataFrame) -> pl.DataFrame:
    return (
        choices.sort("rank")
        .group_by("demand_pattern", maintain_order=True)
        .agg(pl.col("model"))
        .select(
            "demand_pattern",
            pl.col("model").map_elements(combination_name, return_dtype=pl.String).alias("chosen"),
        )
    )


def _with_naive_ratio(summary: pl.DataFrame, chosen: pl.DataFrame) -> pl.DataFrame:
    """Add wape_vs_seasonal_naive (< 1 beats it) and, on ``selected`` rows, the chosen models."""
    naive = summary.filter(pl.col("model") == SEASONAL_NAIVE).select(
        "demand_pattern", pl.col("wape").alias("naive_wape")
    )
    return (
        summary.join(naive, on="demand_pattern", how="left")
        .join(chosen, on="demand_pattern", how="left")
        .select(
            "model",
            "demand_pattern",
            "skus",
            "wape",
            "wape_7d",
            "mase",
            "bias",
            (pl.col("wape") / pl.col("naive_wape")).alias("wape_vs_seasonal_naive"),
            pl.col("first_day").alias("holdout_first_day"),
            pl.col("last_day").alias("holdout_last_day"),
            pl.when(pl.col("model") == SELECTED).then(pl.col("chosen")).alias("chosen"),
        )
        .sort("demand_pattern", "wape", nulls_last=True)
    )
