"""Window errors read off a forecast grid: the sums of forecasting.metrics.window_errors
without its group_by.

A grid (forecasting/forecast_grid.py) holds each SKU-window's steps 1 .. horizon on
consecutive rows, so every figure of a SKU-window is a sum along one row of a
(SKU-windows x steps) array. The sums are added as a polars group_by adds them: the
values in step order (weeks in week order) with Kahan's compensated summation
(forecasting/stable_sums.py), so the errors have the same bits as window_errors on the
same forecasts (tests/forecasting/test_forecast_grid.py).
"""

from __future__ import annotations

import numpy as np
import polars as pl

from forecasting.forecast_grid import ForecastGrid
from forecasting.metrics import WEEK_STEPS, scored_errors


def grid_window_errors(
    grid: ForecastGrid, scales: pl.DataFrame, sum_steps: int = WEEK_STEPS
) -> pl.DataFrame:
    """forecasting.metrics.window_errors of every model of ``grid`` (at least one; a
    model's missing forecast is NaN: its window gets a reason and no scores)."""
    first, steps = _windows(grid.keys)
    y = _per_window(grid.keys["y"].to_numpy(), steps)
    days = _per_window(grid.keys["day"].to_physical().to_numpy(), steps)
    heads = grid.keys.select(pl.col("unique_id", "window").gather(first)).with_columns(
        pl.Series("first_day", days.min(axis=1, initial=np.iinfo(days.dtype).max)).cast(pl.Date),
        pl.Series("last_day", days.max(axis=1, initial=np.iinfo(days.dtype).min)).cast(pl.Date),
        # A real column, not a literal: polars divides by a literal as a multiplication by
        # its inverse, which can differ in the last bit from window_errors' division.
        pl.Series("days", np.full(len(first), steps, dtype=np.int64)),
        pl.Series("actual", _kahan(y)),
    )
    parts = []
    for column, model in enumerate(grid.models):
        forecast = _per_window(grid.values[:, column], steps)
        parts.append(
            heads.with_columns(
                pl.lit(model).alias("model"),
                pl.Series("forecast", _kahan(forecast)),
                pl.Series("abs_error", _kahan(np.abs(forecast - y))),
                pl.Series("error", _kahan(forecast - y)),
                pl.Series("missing", np.isnan(forecast).sum(axis=1)),
                pl.Series("abs_error_7d", _week_errors(forecast, y, sum_steps)),
            )
        )
    return scored_errors(pl.concat(parts), scales)


def window_sums(keys: pl.DataFrame, forecast: np.ndarray, sum_steps: int) -> pl.DataFrame:
    """unique_id, window, actual, abs_error_7d of a combined ``forecast`` (one value per
    row of ``keys``: unique_id, window, step, y, sorted by them), as window_errors adds
    them. A SKU-window without a forecast (NaN on its steps) is left out, as a window
    without rows is."""
    first, steps = _windows(keys)
    y = _per_window(keys["y"].to_numpy(), steps)
    f = _per_window(forecast, steps)
    return (
        keys.select(pl.col("unique_id", "window").gather(first))
        .with_columns(
            pl.Series("actual", _kahan(y)),
            pl.Series("abs_error_7d", _week_errors(f, y, sum_steps)),
        )
        .filter(pl.Series(~np.isnan(f).any(axis=1)))
    )


def _windows(keys: pl.DataFrame) -> tuple[np.ndarray, int]:
    """(the first row of each SKU-window, the steps of every window)."""
    lengths = (
        keys.select(pl.struct("unique_id", "window").rle().struct.field("len"))
        .to_series()
        .to_numpy()
    )
    steps = int(lengths[0]) if len(lengths) else 0
    expected = np.tile(np.arange(1, steps + 1), len(lengths))
    if (lengths != steps).any() or not np.array_equal(keys["step"].to_numpy(), expected):
        raise ValueError("every SKU-window of the grid must have the steps 1 .. horizon in order")
    return np.cumsum(lengths) - lengths, steps


def _per_window(values: np.ndarray, steps: int) -> np.ndarray:
    return values.reshape(-1, steps) if steps else values.reshape(0, 0)


def _week_errors(forecast: np.ndarray, y: np.ndarray, sum_steps: int) -> np.ndarray:
    """The sum over the weeks (each ``sum_steps`` steps) of |forecast sum - actual sum|."""
    steps = forecast.shape[1]
    weeks = [slice(start, start + sum_steps) for start in range(0, steps, sum_steps)]
    errors = [np.abs(_kahan(forecast[:, week]) - _kahan(y[:, week])) for week in weeks]
    return _kahan(np.column_stack(errors) if errors else np.zeros((forecast.shape[0], 0)))


def _kahan(columns: np.ndarray) -> np.ndarray:
    """Each row's sum over its columns in order, with Kahan's compensated summation."""
    total = np.zeros(columns.shape[0])
    compensation = np.zeros(columns.shape[0])
    for column in range(columns.shape[1]):
        corrected = columns[:, column] - compensation
        new_total = total + corrected
        compensation = (new_total - total) - corrected
        total = new_total
    return total
