"""The backtest's edges, checked by hand on tiny series: the smallest training history it
accepts, a series too short for any window, forecasts below zero, and families whose
cross-validation rows come back in different orders."""

import datetime as dt

import polars as pl
import pytest

from forecasting.backtest import _side_by_side, cross_validate_grid, windows_per_series

BENCHMARKS = ["Naive", "SeasonalNaive"]  # the candidates every run must include


def _daily(values: list[float]) -> pl.DataFrame:
    """unique_id, ds (Date), y: one series "A" observed on consecutive days."""
    first = dt.date(2024, 1, 1)
    return pl.DataFrame(
        {
            "unique_id": ["A"] * len(values),
            "ds": [first + dt.timedelta(days=i) for i in range(len(values))],
            "y": values,
        }
    )


def test_one_training_observation_is_enough_and_none_is_refused():
    """Bug: the guard refusing min_train = 1 (`<= 1` or `< 2`) stops a backtest whose
    windows may start right after a series' first day; a guard letting 0 through (`< 0`)
    accepts a window with nothing to train on. 3 days, horizon 1, min_train 1: two windows,
    forecasting days 2 and 3 from the day before (Naive)."""
    with pytest.raises(ValueError, match="min_train must be at least 1"):
        cross_validate_grid(_daily([1.0, 2.0, 3.0]), BENCHMARKS, 1, 2, 0, 1)
    grid = cross_validate_grid(_daily([1.0, 2.0, 3.0]), BENCHMARKS, 1, 2, 1, 1)
    naive = grid.frame().select("window", "step", "y", "Naive")
    assert naive.rows() == [(1, 1, 2.0, 1.0), (2, 1, 3.0, 2.0)]


def test_a_series_too_short_for_a_window_has_zero_windows_not_fewer():
    """Bug: clipping the window count at -1 instead of 0 reports -1 windows for a series
    far too short (1 observation, 4 needed before a window of 2: (1 - 4) // 2 = -2), and
    any sum of the windows judged would subtract it. The 10-step series has 3 windows."""
    steps = pl.DataFrame(
        {"unique_id": ["SHORT"] + ["LONG"] * 10, "ds": [1] + list(range(1, 11))},
        schema={"unique_id": pl.String, "ds": pl.Int64},
    )
    windows = windows_per_series(steps, horizon=2, n_windows=5, min_train=4)
    assert windows.sort("unique_id").rows() == [("LONG", 10, 3), ("SHORT", 1, 0)]


def test_a_forecast_below_zero_is_clipped_to_zero():
    """Bug: clipping the forecasts at -1 instead of 0 keeps negative demand, which scores
    better than 0 against nothing sold and orders less than nothing. A series falling by
    5 a day from 55 to 5, then 4 days of no sales: AutoETS follows the trend below zero
    (5 - 5 x step), which must come back as 0 on every later step."""
    series = _daily([55.0 - 5 * i for i in range(11)] + [0.0] * 4)
    grid = cross_validate_grid(series, [*BENCHMARKS, "AutoETS"], 4, 1, 11, 1)
    ets = grid.frame()["AutoETS"].to_list()
    assert min(ets) >= 0.0
    assert ets[1:] == [0.0, 0.0, 0.0]


def test_families_rows_in_another_order_are_matched_by_key():
    """Bug: putting a family's model columns beside the first family's by position when
    their rows (unique_id, ds, cutoff) come back in another order (as a Dask or Ray
    cluster may return them) gives each row another row's forecast. Here the second
    family's rows are reversed: each forecast must stay with its own day."""
    keys = {"unique_id": ["A", "A", "B"], "ds": [5, 6, 5], "cutoff": [4, 4, 4]}
    first = pl.DataFrame({**keys, "y": [1.0, 2.0, 3.0], "Naive": [10.0, 20.0, 30.0]})
    second = first.select(*keys, "y", pl.col("Naive").alias("TSB") + 1).reverse()
    wide = _side_by_side([first, second])
    assert wide.select(*keys, "Naive", "TSB").rows() == [
        ("A", 5, 4, 10.0, 11.0),
        ("A", 6, 4, 20.0, 21.0),
        ("B", 5, 4, 30.0, 31.0),
    ]
