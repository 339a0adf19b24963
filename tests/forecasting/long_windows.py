"""The backtest's forecasts in long form, one row per model, as the tests read them."""

import polars as pl

from forecasting.backtest import cross_validate_grid
from forecasting.forecast_grid import KEYS


def cross_validate(*args, **kwargs) -> pl.DataFrame:
    """:func:`forecasting.backtest.cross_validate_grid` (same arguments) as one row per
    series, window, step and model: unique_id, window, step, day, y, model, forecast
    (null where the model failed to forecast), sorted by unique_id, model, window, step."""
    grid = cross_validate_grid(*args, **kwargs)
    return (
        grid.frame()
        .unpivot(index=KEYS, on=grid.models, variable_name="model", value_name="forecast")
        .with_columns(pl.col("forecast").fill_nan(None))
        .select(*KEYS, "model", "forecast")
        .sort("unique_id", "model", "window", "step")
    )
