"""The backtest as a whole: every candidate on every SKU, the class choices, the accuracy report.

The latest backtest window is the holdout. The class choices judged on it (which models,
how many of them to combine and how, or the zero forecast) are made on the earlier windows
only (forecasting/nested_choice.py), so ``selected`` competes with the single models and with
the two benchmarks, forecasting zero (``Zero``) and seasonal naive (or Naive where the
history is shorter than a season: forecasting/naive_benchmark.py), out of sample. The
choices the live forecast uses are made the same way on all windows, the holdout included
(forecasts.model_choice), and each SKU's forecast is judged against the benchmarks on its
windows (forecasts.sku_reliability).

A model that fails on a SKU (statsforecast returns no forecast: the series is too short
for its season or window) is excluded for that SKU on every window: its rows keep a
reason and no scores, it is never averaged into the SKU's forecast, and the accuracy of
each model is measured on the SKUs it could forecast.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from config.settings import ForecastingSettings
from forecasting.backtest import step_frame, window_starts
from forecasting.backtest_batches import (
    ChosenErrors,
    SpilledForecasts,
    backtest_in_batches,
    chosen_forecast_errors,
)
from forecasting.buckets import DAY, BucketPlan, bucket_plan
from forecasting.demand import classify_demand
from forecasting.intervals import calibrated_bands, coverage
from forecasting.metrics import accuracy, naive_scale
from forecasting.models import INTERVAL_WINDOWS
from forecasting.naive_benchmark import NAIVE_BENCHMARKS, class_benchmarks
from forecasting.nested_choice import nested_choices, option_errors
from forecasting.reliability import sku_reliability
from forecasting.selection import SELECTED, combination_name

ALL_CLASSES = "all"
# The backtest's peak grows with the SKUs of a batch (about 0.7 MB each), not with the
# catalog: at the bench's SF1 (4,000 SKUs) 1.3 GB in batches of 1,000 against 3.0 GB in one.
BACKTEST_BATCH_SKUS = 1_000
HOLDOUT_CHOICE, FORECAST_CHOICE = "holdout", "forecast"


@dataclass(frozen=True)
class Evaluation:
    backtest: pl.DataFrame  # forecasts.demand_backtest
    accuracy_summary: pl.DataFrame  # forecasts.accuracy_summary
    model_choice: pl.DataFrame  # forecasts.model_choice
    sku_reliability: pl.DataFrame  # forecasts.sku_reliability

    def tables(self) -> dict[str, pl.DataFrame]:
        """Each frame under the name of its table in the forecasts schema."""
        return {
            "demand_backtest": self.backtest,
            "accuracy_summary": self.accuracy_summary,
            "model_choice": self.model_choice,
            "sku_reliability": self.sku_reliability,
        }


def evaluate_models(
    series: pl.DataFrame,
    settings: ForecastingSettings,
    batch_skus: int = BACKTEST_BATCH_SKUS,
    plan: BucketPlan | None = None,
) -> Evaluation:
    """Backtest every candidate, choose per class, and report the holdout accuracy.

    Args:
        series: unique_id, ds (Date), y (from :func:`forecasting.demand.demand_series`).
        settings: the forecasting settings: ``candidate_models`` (keys of
            ``forecasting.models.CANDIDATES``), ``backtest_windows`` (at least 2: choices
            are made on the earlier ones), ``combine_top`` (the most models a class combines),
            ``levels`` (the bands whose holdout coverage is measured), ``min_active_days``
            (the recent sales a reliability reason counts) and ``engine``.
        batch_skus: SKUs backtested at a time (memory, not results, depends on it).
        plan: the steps of the series' bucket (forecasting/buckets.py): the window length
            (the horizon), the fewest observations before a series' first window, the
            season and the steps the class choice sums its errors over. Default: daily
            buckets as the settings give them.

    Returns:
        backtest: one row per SKU, model (candidates, ``Zero`` and ``selected``) and window
        with the errors of forecasting.metrics.ERROR_SCHEMA plus demand_pattern (as
        classified on the history before the holdout) and chosen (the models ``selected``
        averaged). accuracy_summary: one row per model and class (and ``all``) on the
        holdout window. model_choice: the class choices for the holdout and for the
        forecast. sku_reliability: the live forecast of each SKU against the benchmarks.
    """
    n_windows = settings.backtest_windows
    if n_windows < 2:
        raise ValueError(
            f"forecasting.backtest_windows must be at least 2 (choose on the earlier, "
            f"judge on the last), got {n_windows}"
        )
    plan = plan or bucket_plan(settings, DAY)
    steps = step_frame(series)
    starts = window_starts(steps, plan.horizon, n_windows, plan.min_train)
    scales = naive_scale(steps, starts, plan.season)
    classes_before = _classes_before(steps, starts, n_windows)
    errors, (holdout_choice, live_choice), chosen_errors = _backtest_and_choose(
        series, scales, classes_before, settings, batch_skus, plan
    )
    holdout_classes, live_classes = classes_before[n_windows], classes_before[n_windows + 1]
    chosen = _chosen_labels(holdout_choice)
    backtest = (
        pl.concat([errors, chosen_errors.holdout])
        .join(holdout_classes.select("sku", "demand_pattern"), on="sku", how="left")
        .join(chosen.select("demand_pattern", "chosen"), on="demand_pattern", how="left")
        .with_columns(pl.when(pl.col("model") == SELECTED).then(pl.col("chosen")).alias("chosen"))
        .sort("sku", "model", "window")
    )
    holdout = backtest.filter(
        (pl.col("window") == n_windows)
        & pl.col("demand_pattern").is_not_null()
        & pl.col("reason").is_null()
    )
    summary = pl.concat(
        [
            accuracy(holdout, ["model", "demand_pattern"]),
            accuracy(holdout, ["model"]).with_columns(pl.lit(ALL_CLASSES).alias("demand_pattern")),
        ],
        how="diagonal",
    )
    bands = _holdout_coverage(
        chosen_errors.banded_days,
        holdout_classes,
        steps,
        starts,
        n_windows,
        plan.horizon,
        settings.levels,
    )
    return Evaluation(
        backtest,
        _with_naive_ratio(summary, chosen, bands),
        pl.concat(
            [
                holdout_choice.with_columns(pl.lit(HOLDOUT_CHOICE).alias("used_for")),
                live_choice.with_columns(pl.lit(FORECAST_CHOICE).alias("used_for")),
            ]
        ),
        _reliability(chosen_errors.live, errors, live_classes, live_choice, series, settings, plan),
    )


def _backtest_and_choose(
    series: pl.DataFrame,
    scales: pl.DataFrame,
    classes_before: dict[int, pl.DataFrame],
    settings: ForecastingSettings,
    batch_skus: int,
    plan: BucketPlan,
) -> tuple[pl.DataFrame, tuple[pl.DataFrame, pl.DataFrame], ChosenErrors]:
    """(every model's window errors, (the holdout's choice, the live choice), the chosen
    combinations' errors): the backtest in batches (forecasting/backtest_batches.py), its
    forecasts in a temporary folder until the choices are scored."""
    n_windows, candidates, most = (
        settings.backtest_windows,
        settings.candidate_models,
        settings.combine_top,
    )
    with tempfile.TemporaryDirectory(prefix="orderpulse-backtest-") as folder:
        spill = SpilledForecasts(Path(folder))
        errors, failed = _without_failed(
            backtest_in_batches(series, scales, settings, batch_skus, plan, spill)
        )
        usable = errors.filter(pl.col("reason").is_null())
        # every window after the first, tried once for both choices
        tried = option_errors(
            spill.batches(failed),
            usable,
            classes_before,
            range(2, n_windows + 1),
            candidates,
            most,
            plan.sum_steps,
        )
        choices = tuple(
            nested_choices(tried, usable, classes_before, windows, candidates, most)
            for windows in (range(1, n_windows), range(1, n_windows + 1))
        )
        chosen_errors = chosen_forecast_errors(
            spill.batches(failed),
            scales,
            (classes_before[n_windows], choices[0]),
            (classes_before[n_windows + 1], choices[1]),
            n_windows,
            plan.sum_steps,
        )
    return errors, choices, chosen_errors


def _classes_before(
    steps: pl.DataFrame, starts: pl.DataFrame, n_windows: int
) -> dict[int, pl.DataFrame]:
    """window -> the demand pattern of each SKU judged on it, classified on the history
    before it; ``n_windows + 1`` -> every SKU classified on its whole history."""
    classes = {}
    for window in range(2, n_windows + 1):
        first = starts.filter(pl.col("window") == window).select("unique_id", "first_step")
        before = steps.join(first, on="unique_id").filter(pl.col("ds") < pl.col("first_step"))
        classes[window] = classify_demand(
            before.select("unique_id", pl.col("day").alias("ds"), "y")
        )
    classes[n_windows + 1] = classify_demand(
        steps.select("unique_id", pl.col("day").alias("ds"), "y")
    )
    return classes


def _without_failed(errors: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Exclude each model from every window of the SKUs it failed to forecast on any window.

    Returns:
        The errors, a failed model's rows kept (without scores) with the reason, e.g.
        "excluded for this SKU: no forecast on 14 of 14 days of window 1"; and the failed
        (sku, model) pairs, whose forecasts no mix may average.
    """
    failed = (
        errors.filter(pl.col("reason").is_not_null())
        .sort("window")
        .group_by("sku", "model")
        .agg(
            pl.format(
                "excluded for this SKU: {} of window {}",
                pl.col("reason").first(),
                pl.col("window").first(),
            ).alias("excluded")
        )
    )
    marked = errors.join(failed, on=["sku", "model"], how="left").with_columns(
        pl.coalesce("excluded", "reason").alias("reason")
    )
    scores = ("forecast", "abs_error", "abs_error_7d", "error", "mase")
    marked = marked.with_columns(
        pl.when(pl.col("reason").is_null()).then(pl.col(c)).alias(c) for c in scores
    ).drop("excluded")
    return marked, failed.select("sku", "model")


def _holdout_coverage(
    mix: pl.DataFrame,
    classes: pl.DataFrame,
    steps: pl.DataFrame,
    starts: pl.DataFrame,
    n_windows: int,
    horizon: int,
    levels: tuple[int, ...],
) -> pl.DataFrame:
    """demand_pattern (and ``all``), coverage_<level>: the share of holdout days inside the
    bands of ``selected``, its bands built as the live forecast builds them
    (forecasting/intervals.py), calibrated on its errors on the windows just before the
    holdout: the holdout's own days never widen or narrow its bands."""
    windows = mix.join(
        starts.select("unique_id", "window", (pl.col("first_step") - 1).alias("cutoff")),
        on=["unique_id", "window"],
    )
    past = windows.filter(pl.col("window").is_between(n_windows - INTERVAL_WINDOWS, n_windows - 1))
    by_id = classes.select(pl.col("sku").alias("unique_id"), "demand_pattern")
    banded = calibrated_bands(
        windows.filter(pl.col("window") == n_windows),
        past,
        steps,
        by_id,
        INTERVAL_WINDOWS * horizon,
        levels,
    ).join(by_id, on="unique_id")
    return pl.concat(
        [
            coverage(banded, ["demand_pattern"], levels),
            coverage(
                banded.with_columns(pl.lit(ALL_CLASSES).alias("demand_pattern")),
                ["demand_pattern"],
                levels,
            ),
        ]
    )


def _reliability(
    live_errors: pl.DataFrame,
    errors: pl.DataFrame,
    classes: pl.DataFrame,
    choice: pl.DataFrame,
    series: pl.DataFrame,
    settings: ForecastingSettings,
    plan: BucketPlan,
) -> pl.DataFrame:
    """forecasts.sku_reliability: the live choice's forecast (``live_errors``: its errors on
    every backtest window of each SKU) against forecasting zero and its naive benchmark
    (seasonal naive, else Naive)."""
    live = live_errors.join(classes.select("sku", "demand_pattern"), on="sku")
    labels = _chosen_labels(choice).select("demand_pattern", pl.col("chosen").alias("model"))
    judged = live.drop("model").join(labels, on="demand_pattern")
    naive = errors.filter(pl.col("model").is_in(NAIVE_BENCHMARKS)).select(
        "sku", "window", "model", "abs_error_7d"
    )
    return sku_reliability(judged, naive, series, settings.min_active_days, plan.bucket)


def _chosen_labels(choices: pl.DataFrame) -> pl.DataFrame:
    """demand_pattern, chosen (the name of the class's forecast), combined."""
    return (
        choices.sort("rank")
        .group_by("demand_pattern", maintain_order=True)
        .agg(pl.col("model"), pl.col("combined").first(), pl.col("combine").first())
        .select(
            "demand_pattern",
            pl.struct("model", "combine")
            .map_elements(
                lambda row: combination_name(row["model"], row["combine"]),
                return_dtype=pl.String,
            )
            .alias("chosen"),
            "combined",
        )
    )


def _with_naive_ratio(
    summary: pl.DataFrame, chosen: pl.DataFrame, bands: pl.DataFrame
) -> pl.DataFrame:
    """Add the ratios to the class's naive benchmark (< 1 beats it: seasonal naive, or Naive
    where seasonal naive did not score every SKU of the class) and, on ``selected`` rows,
    the chosen models, how many it combines and the holdout coverage of its bands."""
    naive = class_benchmarks(summary).drop("naive_model")
    on_selected = [c for c in bands.columns if c != "demand_pattern"]
    return (
        summary.join(naive, on="demand_pattern", how="left")
        .join(chosen, on="demand_pattern", how="left")
        .join(bands, on="demand_pattern", how="left")
        .select(
            "model",
            "demand_pattern",
            "skus",
            "wape",
            "wape_7d",
            "mase",
            "bias",
            (pl.col("wape") / pl.col("naive_wape")).alias("wape_vs_seasonal_naive"),
            (pl.col("wape_7d") / pl.col("naive_7d")).alias("wape_7d_vs_seasonal_naive"),
            pl.col("first_day").alias("holdout_first_day"),
            pl.col("last_day").alias("holdout_last_day"),
            *(
                pl.when(pl.col("model") == SELECTED).then(pl.col(c)).alias(c)
                for c in ("chosen", "combined", *on_selected)
            ),
        )
        .sort("demand_pattern", "wape", "model", nulls_last=True)
    )
