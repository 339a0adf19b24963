"""The backtest a batch of SKUs at a time, its forecasts kept on disk between the passes.

The backtest forecasts every window, step and model of every SKU: about 2,700 rows per SKU
with 8 windows. The class choice needs them after the last batch (it ranks the models on
the errors of every SKU of a class before it combines a SKU's forecasts), so holding them
all in memory made the backtest's peak grow with the catalog (12.6 GB at 40,000 SKUs).
Instead each batch's forecasts go to a Parquet file in a temporary folder as soon as the
batch is scored, and the later passes read them back one batch at a time:

1. :func:`backtest_in_batches`: statsforecast's cross-validation and every model's window
   errors, batch by batch (the errors stay in memory: one row per SKU, model and window);
2. ``forecasting.nested_choice.option_errors``: every option of the class choice scored on
   each window, batch by batch, once the models are ranked on every SKU's errors;
3. :func:`chosen_forecast_errors`: the chosen combinations' errors, batch by batch.

Every figure is a SKU's own (a SKU's forecasts and errors never depend on another SKU's)
until the pooled sums, which add in a fixed order (forecasting/stable_sums.py), so the
tables are the same whatever the batch size. The peak is that of one batch.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from config.settings import ForecastingSettings
from forecasting.backtest import cross_validate_grid
from forecasting.buckets import BucketPlan
from forecasting.engine import cluster_of
from forecasting.forecast_grid import ForecastGrid
from forecasting.grid_errors import grid_window_errors
from forecasting.metrics import window_errors
from forecasting.models import INTERVAL_WINDOWS, ROUTES, ZERO

# The models a class may combine, and the zero forecast: the forecasts kept for the choice.
MIXABLE = sorted({name for pool in ROUTES.values() for name in pool} | {ZERO})


class SpilledForecasts:
    """The backtest forecasts of each batch of SKUs, one Parquet file per batch in ``folder``,
    as a grid (forecasting/forecast_grid.py: one row per SKU, window and step, a column
    per model)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.files: list[Path] = []

    def add(self, grid: ForecastGrid) -> None:
        """Write one batch's forecasts."""
        path = self.folder / f"batch-{len(self.files):05d}.parquet"
        grid.frame().write_parquet(path)
        self.files.append(path)

    def batches(self, excluded: pl.DataFrame) -> Iterator[ForecastGrid]:
        """Each batch's forecasts in turn, without the ``excluded`` pairs (sku, model)."""
        for path in self.files:
            yield ForecastGrid.from_frame(pl.read_parquet(path)).without(excluded)


def backtest_in_batches(
    series: pl.DataFrame,
    scales: pl.DataFrame,
    settings: ForecastingSettings,
    batch_skus: int,
    plan: BucketPlan,
    spill: SpilledForecasts,
) -> pl.DataFrame:
    """Every window's errors of every candidate and of zero, ``batch_skus`` SKUs at a time.

    The forecasts of the models a class may choose (and zero) go to ``spill``, one file
    per batch. Each series is forecast on its own, so the batches give the same rows.

    Returns:
        The rows of forecasting.metrics.window_errors for every SKU, model and window.
    """
    ids = series["unique_id"].unique().sort()
    errors = []
    for first in range(0, max(ids.len(), 1), batch_skus):
        batch = series.filter(pl.col("unique_id").is_in(ids.slice(first, batch_skus).implode()))
        forecasts = cross_validate_grid(
            batch,
            settings.candidate_models,
            plan.horizon,
            settings.backtest_windows,
            plan.min_train,
            plan.season,
            cluster_of(settings),
        )
        # Zero is one more column of forecasts, on every SKU's window days.
        grid = forecasts.with_constant(ZERO, 0.0)
        del forecasts
        errors.append(grid_window_errors(grid, scales, plan.sum_steps))
        spill.add(grid.only(MIXABLE))
    return pl.concat(errors)


@dataclass(frozen=True)
class ChosenErrors:
    """What the backtest's reports need of the chosen combinations' forecasts."""

    holdout: pl.DataFrame  # window errors of the holdout choice on the holdout window
    banded_days: pl.DataFrame  # its forecasts on the holdout and the windows its bands use
    live: pl.DataFrame  # window errors of the live choice on every window


def chosen_forecast_errors(
    batches: Iterator[ForecastGrid],
    scales: pl.DataFrame,
    holdout: tuple[pl.DataFrame, pl.DataFrame],
    live: tuple[pl.DataFrame, pl.DataFrame],
    n_windows: int,
    sum_steps: int,
) -> ChosenErrors:
    """The errors of the holdout's and the live choice's combined forecasts, batch by batch.

    Args:
        batches: the backtest forecasts, a batch of SKUs at a time (failed models left out).
        scales: unique_id, window, naive_scale.
        holdout: (sku, demand_pattern classified before the holdout; the holdout choice).
        live: (sku, demand_pattern on the whole history; the live forecast's choice).
        n_windows: the backtest's windows (the last is the holdout).
        sum_steps: steps per error sum.
    """
    on_holdout, banded_days, on_every_window = [], [], []
    for grid in batches:
        mix = grid.selected(*holdout)
        on_holdout.append(
            window_errors(mix.filter(pl.col("window") == n_windows), scales, sum_steps)
        )
        banded_days.append(mix.filter(pl.col("window") >= n_windows - INTERVAL_WINDOWS))
        on_every_window.append(window_errors(grid.selected(*live), scales, sum_steps))
    return ChosenErrors(pl.concat(on_holdout), pl.concat(banded_days), pl.concat(on_every_window))
