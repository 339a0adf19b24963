"""The forecast grid's edges, worked by hand: a grid without models, a constant model added
between two others, and medians of a grid with one row or two models."""

import datetime as dt

import numpy as np
import polars as pl
import pytest

from forecasting.forecast_grid import ForecastGrid, selected_forecasts
from forecasting.selection import MEDIAN

SCHEMA = {
    "unique_id": pl.String,
    "window": pl.Int64,
    "step": pl.Int64,
    "day": pl.Date,
    "y": pl.Float64,
    "model": pl.String,
    "forecast": pl.Float64,
}
CLASSES = pl.DataFrame({"sku": ["a", "b"], "demand_pattern": ["smooth", "smooth"]})


def _forecasts(values: dict[str, list[float]]) -> pl.DataFrame:
    """SKU a's forecasts on window 1, one step per value: model -> its forecast per step."""
    day = dt.date(2024, 3, 1)
    return pl.DataFrame(
        [
            ("a", 1, step, day + dt.timedelta(days=step), 3.0, model, forecast)
            for model, forecasts in values.items()
            for step, forecast in enumerate(forecasts, start=1)
        ],
        schema=SCHEMA,
        orient="row",
    )


def _median_of(models: list[str]) -> pl.DataFrame:
    return pl.DataFrame({"demand_pattern": "smooth", "model": models, "combine": MEDIAN})


def test_no_forecasts_give_a_grid_without_models_that_selects_nothing():
    """Bugs caught: a batch without forecasts given a grid of one model column that no model
    names (or a grid that cannot be built): the grid must have no column, and selecting
    from it gives no row rather than an index error."""
    empty = pl.DataFrame(schema=SCHEMA)
    grid = ForecastGrid.of(empty)
    assert (grid.models, grid.values.shape) == ([], (0, 0))
    selected = selected_forecasts(empty, CLASSES, _median_of(["A", "B", "C"]))
    assert selected.is_empty()
    assert selected.columns == list(SCHEMA)


def test_a_grid_left_without_models_round_trips_and_selects_nothing():
    """Bugs caught: a grid whose rows have no model column left (``only`` of models it
    lacks) read back from its frame with a column no model names (or not at all), and its
    median taken at a column that does not exist (the guard on the column count read the
    row count instead). Its rows have no forecast: selecting from it gives no row."""
    grid = ForecastGrid.of(_forecasts({"A": [1.0, 2.0], "B": [3.0, 4.0]})).only(["Naive"])
    assert (grid.models, grid.values.shape) == ([], (2, 0))
    again = ForecastGrid.from_frame(grid.frame())
    assert (again.models, again.values.shape) == ([], (2, 0))
    assert again.keys.equals(grid.keys)
    for chosen in (grid, again):
        assert chosen.selected(CLASSES, _median_of(["A", "B"])).is_empty()


def test_a_constant_model_goes_between_the_models_around_it_in_name_order():
    """Bug caught: the constant added as two columns, so the model after it in name order
    (C) reads the constant's values and the grid has a column more than its models."""
    grid = ForecastGrid.of(_forecasts({"A": [1.0, 2.0], "C": [5.0, 6.0]}))
    added = grid.with_constant("B", 7.0)
    assert added.models == ["A", "B", "C"]
    assert added.values.shape == (2, 3)
    frame = added.frame()
    assert frame["A"].to_list() == [1.0, 2.0]
    assert frame["B"].to_list() == [7.0, 7.0]
    assert frame["C"].to_list() == [5.0, 6.0]


def test_the_median_of_a_one_row_grid_is_its_middle_forecast():
    """Bug caught: the upper middle value's position capped at the grid's last row (0 here)
    instead of its last column: the median of 1, 4 and 10 would be (4 + 1) / 2 = 2.5."""
    forecasts = _forecasts({"A": [1.0], "B": [10.0], "C": [4.0]})
    selected = selected_forecasts(forecasts, CLASSES, _median_of(["A", "B", "C"]))
    assert selected["forecast"].to_list() == [4.0]


def test_the_median_of_a_two_model_grid_is_halfway_between_them():
    """Bug caught: the upper middle value's position capped two columns before the end
    instead of one: with two models it is capped at the first (lower) one, and the median
    of 1 and 4 (2.5) would be 1, and of 8 and 2 (5) would be 2."""
    forecasts = _forecasts({"A": [1.0, 8.0], "B": [4.0, 2.0]})
    grid = ForecastGrid.of(forecasts)
    assert grid.values.shape == (2, 2)
    selected = selected_forecasts(forecasts, CLASSES, _median_of(["A", "B"]))
    assert selected["forecast"].to_list() == pytest.approx([2.5, 5.0])
    assert np.array_equal(selected["step"].to_numpy(), [1, 2])
