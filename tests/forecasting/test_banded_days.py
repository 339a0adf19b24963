"""The windows the backtest keeps for the holdout's bands (forecasting/backtest_batches.py)."""

import datetime as dt

import polars as pl

from forecasting.backtest_batches import chosen_forecast_errors
from forecasting.forecast_grid import ForecastGrid
from forecasting.models import INTERVAL_WINDOWS


def test_the_bands_keep_the_holdout_and_the_windows_just_before_it():
    """Bug caught: the windows kept for the bands cut one short (`window > n - k` instead of
    `>= n - k`), so the holdout's bands are calibrated on one window fewer than the live
    forecast's (forecasting/evaluation.py reads windows n - k .. n - 1 of what is kept).

    One SKU, one model, one-step windows 1 .. 4 with window 4 the holdout: the bands need
    the holdout and the INTERVAL_WINDOWS (2) windows before it, windows 2, 3 and 4."""
    n_windows = 4
    forecasts = pl.DataFrame(
        {
            "unique_id": ["a"] * n_windows,
            "window": list(range(1, n_windows + 1)),
            "step": [1] * n_windows,
            "day": [dt.date(2024, 1, w) for w in range(1, n_windows + 1)],
            "y": [1.0, 2.0, 3.0, 4.0],
            "model": ["Naive"] * n_windows,
            "forecast": [2.0] * n_windows,
        }
    )
    classes = pl.DataFrame({"sku": ["a"], "demand_pattern": ["smooth"]})
    choices = pl.DataFrame({"demand_pattern": ["smooth"], "model": ["Naive"]})
    scales = pl.DataFrame(
        {"unique_id": ["a"] * n_windows, "window": list(range(1, 5)), "naive_scale": [1.0] * 4}
    )
    errors = chosen_forecast_errors(
        iter([ForecastGrid.of(forecasts)]),
        scales,
        (classes, choices),
        (classes, choices),
        n_windows,
        1,
    )
    assert INTERVAL_WINDOWS == 2
    assert errors.banded_days["window"].to_list() == [2, 3, 4]
