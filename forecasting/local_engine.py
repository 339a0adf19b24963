"""statsforecast's per-series driver in this process, fed the arrays of a frame in series order.

``StatsForecast.forecast`` and ``cross_validation`` turn a long frame into one array of
values and the offsets where each series starts (a ``GroupedArray``), run every model on
every series through that array's own loop, and turn the results back into a frame. Our
frames already come one series after the other in time order (forecasting/series_order.py),
so the arrays are a slice of the frame, and the result's keys are built from the same
runs: what is left is statsforecast's loop over the series, the same model calls on the
same values (so the same forecasts, to the bit), without its frame handling (validation,
sorting, building the result, about a tenth of its time on the daily forecast).

The results have the columns, types and row order ``StatsForecast`` gives.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import polars as pl
from statsforecast.core import GroupedArray

from forecasting.series_order import in_series_order, series_runs


def _grouped(
    models: list[Any], frame: pl.DataFrame
) -> tuple[GroupedArray, pl.DataFrame, np.ndarray]:
    """The series as statsforecast's grouped array, their runs (unique_id, first_row,
    rows) and the step (ds) of every row."""
    names = [repr(model) for model in models]
    if len(set(names)) != len(names):  # as StatsForecast checks: one column per model
        raise ValueError(f"model names must be unique, got {names}; give each an alias")
    ordered = in_series_order(frame)
    runs = series_runs(ordered["unique_id"])
    indptr = np.append(0, runs["rows"].cum_sum().to_numpy()).astype(np.int32)
    values = ordered["y"].cast(pl.Float64).to_numpy().reshape(-1, 1)
    return GroupedArray(values, indptr), runs, ordered["ds"].to_numpy()


def forecast(
    models: list[Any], frame: pl.DataFrame, horizon: int, levels: Sequence[int]
) -> pl.DataFrame:
    """As ``StatsForecast(models, freq=1).forecast(h=horizon, df=frame, level=levels)``.

    Args:
        models: unfitted statsforecast models.
        frame: unique_id (String), ds (Int64 step), y.
        horizon: steps ahead.
        levels: interval levels in percent; none: the mean only.

    Returns:
        unique_id, ds and the models' columns, horizon rows per series.
    """
    grouped, runs, steps = _grouped(models, frame)
    result = grouped.forecast(models=models, h=horizon, level=sorted(levels))
    last = steps[runs["first_row"].to_numpy() + runs["rows"].to_numpy() - 1]
    ahead = np.repeat(last, horizon) + np.tile(np.arange(1, horizon + 1), len(last))
    keys = pl.DataFrame(
        {
            "unique_id": runs["unique_id"].gather(np.repeat(np.arange(runs.height), horizon)),
            "ds": pl.Series(ahead, dtype=pl.Int64),
        }
    )
    return _with_columns(keys, result["cols"], result["forecasts"])


def cross_validation(
    models: list[Any], frame: pl.DataFrame, horizon: int, n_windows: int
) -> pl.DataFrame:
    """As ``StatsForecast(models, freq=1).cross_validation(h=horizon, df=frame,
    n_windows=n_windows, step_size=horizon)``.

    Returns:
        unique_id, ds, cutoff, y and the models' columns, sorted by unique_id, cutoff, ds.

    Raises:
        ValueError: a series is not longer than the ``n_windows`` windows.
    """
    grouped, runs, steps = _grouped(models, frame)
    test_size = horizon * n_windows
    short = runs.filter(pl.col("rows") <= test_size)["unique_id"]
    if len(short):
        raise ValueError(
            f"{len(short)} series (first: {short[0]!r}) are too short for {n_windows} "
            f"windows of {horizon} steps; leave them out or use fewer windows"
        )
    result = grouped.cross_validation(
        models=models, h=horizon, test_size=test_size, step_size=horizon
    )
    # Window w (0 = the oldest) of a series ends ``test_size - w * horizon`` rows before
    # its end; the rows come series by series, window by window, step by step.
    ends = runs["first_row"].to_numpy() + runs["rows"].to_numpy()
    back = test_size - horizon * np.arange(n_windows)
    cutoff_rows = (ends[:, None] - back[None, :] - 1).ravel()
    cutoffs = np.repeat(steps[cutoff_rows], horizon)
    days = steps[
        np.repeat(cutoff_rows, horizon) + np.tile(np.arange(1, horizon + 1), len(cutoff_rows))
    ]
    keys = pl.DataFrame(
        {
            "unique_id": runs["unique_id"].gather(
                np.repeat(np.arange(runs.height), n_windows * horizon)
            ),
            "ds": pl.Series(days, dtype=pl.Int64),
            "cutoff": pl.Series(cutoffs, dtype=pl.Int64),
        }
    )
    return _with_columns(keys, result["cols"], result["forecasts"])


def _with_columns(keys: pl.DataFrame, names: list[str], values: np.ndarray) -> pl.DataFrame:
    return keys.with_columns(
        pl.Series(name, values[:, column]) for column, name in enumerate(names)
    )
