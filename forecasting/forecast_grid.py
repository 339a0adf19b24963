"""A batch's backtest forecasts side by side, and the mean or median of any of its models.

The class choice tries many combinations of the same forecasts: on every window after the
first, the mean of a class's top 1 .. N models, the median of its top 3 .. N and zero, and
then the chosen combinations on every window. Combining them in a polars group_by (one
row per SKU, day and model, grouped by SKU-day) repeats a join and a group_by per option
and window. Here the forecasts are laid out once per batch as a grid, one row per SKU,
window and step and one column per model, and each combination is a few array operations
over the columns the class chose.

The results have the bits a group_by gives (tests/forecasting/test_forecast_grid.py
compares them on random forecasts):

- a mean adds the chosen models' forecasts in model-name order (the order
  :func:`forecasting.selection.combined_forecast` sorts a group by) with Kahan's
  compensated summation, which is how polars adds a group's floats, then divides by the
  number of forecasts (forecasting/stable_sums.py);
- a median is polars' linear interpolation between the two middle values:
  ``lower + (upper - lower) * 0.5``;
- a model without a forecast for the SKU (failed, left out) is skipped, as a missing row is.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from forecasting.selection import MEDIAN, SELECTED, with_combine

KEYS = ["unique_id", "window", "step", "day", "y"]


@dataclass(frozen=True)
class ForecastGrid:
    """The forecasts of a batch of SKUs as one row per SKU, window and step."""

    keys: pl.DataFrame  # unique_id, window, step, day, y; sorted by unique_id, window, step
    models: list[str]  # the columns of ``values``, in name order
    values: np.ndarray  # rows x models, NaN where a model has no forecast

    @classmethod
    def of(cls, forecasts: pl.DataFrame) -> ForecastGrid:
        """The grid of backtest forecasts (unique_id, window, step, day, y, model, forecast;
        one row per SKU, window, step and model, failed models' rows left out)."""
        if forecasts["forecast"].null_count():
            # A missing value would be a row a group_by combines (as null) but the grid
            # skips: leave out the failed models' rows instead.
            raise ValueError(
                "backtest forecasts with a missing forecast: leave the failed models out"
            )
        wide = forecasts.pivot(on="model", index=KEYS, values="forecast").sort(
            "unique_id", "window", "step"
        )
        models = sorted(c for c in wide.columns if c not in KEYS)
        values = (
            wide.select(pl.col(models).cast(pl.Float64)).to_numpy()
            if models
            else np.empty((wide.height, 0))
        )
        return cls(wide.select(KEYS), models, np.ascontiguousarray(values, dtype=np.float64))

    def with_constant(self, model: str, value: float) -> ForecastGrid:
        """The grid with one more model that forecasts ``value`` on every row."""
        models = sorted([*self.models, model])
        column = np.full((self.keys.height, 1), value)
        at = models.index(model)
        values = np.hstack([self.values[:, :at], column, self.values[:, at:]])
        return ForecastGrid(self.keys, models, values)

    def only(self, models: list[str]) -> ForecastGrid:
        """The grid of the ``models`` it has."""
        keep = [j for j, model in enumerate(self.models) if model in set(models)]
        return ForecastGrid(self.keys, [self.models[j] for j in keep], self.values[:, keep])

    def frame(self) -> pl.DataFrame:
        """The grid as one frame: its keys and a column per model."""
        return self.keys.with_columns(
            pl.Series(model, self.values[:, j]) for j, model in enumerate(self.models)
        )

    @classmethod
    def from_frame(cls, frame: pl.DataFrame) -> ForecastGrid:
        """The grid written by :meth:`frame`."""
        models = sorted(c for c in frame.columns if c not in KEYS)
        values = frame.select(models).to_numpy() if models else np.empty((frame.height, 0))
        return cls(frame.select(KEYS), models, np.ascontiguousarray(values, dtype=np.float64))

    def without(self, excluded: pl.DataFrame) -> ForecastGrid:
        """The grid with no forecast (NaN) for the ``excluded`` pairs (sku, model)."""
        values = self.values.copy()
        for j, model in enumerate(self.models):
            skus = excluded.filter(pl.col("model") == model)["sku"]
            if len(skus):
                values[self.keys["unique_id"].is_in(skus.implode()).to_numpy(), j] = np.nan
        return ForecastGrid(self.keys, self.models, values)

    def rows(self, keep: pl.Series) -> ForecastGrid:
        """The grid of the rows where ``keep`` (a boolean per row)."""
        return ForecastGrid(self.keys.filter(keep), self.models, self.values[keep.to_numpy()])

    def chosen_columns(
        self, patterns: pl.Series, choices: pl.DataFrame
    ) -> tuple[np.ndarray, np.ndarray]:
        """(rows x models: whether the row's class chose the model, and the model has a
        forecast; per row: whether its class combines by the median). ``patterns`` is each
        row's demand_pattern (null: the SKU has no class), ``choices`` demand_pattern,
        model and optionally combine."""
        choices = with_combine(choices)
        names = sorted(set(choices["demand_pattern"].to_list()))
        code = {name: index for index, name in enumerate(names)}
        column = {model: index for index, model in enumerate(self.models)}
        # One extra class for rows without one: it chooses nothing.
        chosen = np.zeros((len(names) + 1, len(self.models)), dtype=bool)
        median = np.zeros(len(names) + 1, dtype=bool)
        for pattern, model, combine in choices.select(
            "demand_pattern", "model", "combine"
        ).iter_rows():
            if model in column:
                chosen[code[pattern], column[model]] = True
            median[code[pattern]] |= combine == MEDIAN
        row_class = (
            patterns.replace_strict(code, default=len(names), return_dtype=pl.Int64)
            .fill_null(len(names))
            .to_numpy()
        )
        return chosen[row_class] & ~np.isnan(self.values), median[row_class]

    def row_patterns(self, classes: pl.DataFrame) -> pl.Series:
        """Each row's demand_pattern from ``classes`` (sku, demand_pattern); null for a SKU
        without a class."""
        return self.keys.join(
            classes.select(pl.col("sku").alias("unique_id"), "demand_pattern"),
            on="unique_id",
            how="left",
            maintain_order="left",
        )["demand_pattern"]

    def selected(self, classes: pl.DataFrame, choices: pl.DataFrame) -> pl.DataFrame:
        """As :func:`forecasting.selection.selected_forecasts`: each SKU's class's chosen
        models combined, one row per SKU, window and step that has a forecast of one of
        them (model = ``selected``), sorted by unique_id, window, step."""
        use, median = self.chosen_columns(self.row_patterns(classes), choices)
        forecast = combine(self.values, use, median)
        return (
            self.keys.with_columns(pl.lit(SELECTED).alias("model"), pl.Series("forecast", forecast))
            .filter(pl.Series(use.any(axis=1)))
            .select(*KEYS, "model", "forecast")
        )


def selected_forecasts(
    forecasts: pl.DataFrame, classes: pl.DataFrame, choices: pl.DataFrame
) -> pl.DataFrame:
    """The ``selected`` forecast of each SKU: its class's chosen models combined.

    Args:
        forecasts: backtest forecasts: unique_id, window, step, day, y, model, forecast
            (no missing forecast: failed models' rows left out).
        classes: sku, demand_pattern.
        choices: demand_pattern, model and optionally combine (``mean`` or ``median``;
            ``mean`` without it), e.g. from :func:`forecasting.selection.class_choices`.

    Returns:
        The same columns with model = "selected", one row per SKU, window and step.
    """
    return ForecastGrid.of(forecasts).selected(classes, choices)


def combine(values: np.ndarray, use: np.ndarray, median: np.ndarray) -> np.ndarray:
    """Per row, the mean (or, where ``median``, the median) of ``values`` where ``use``;
    NaN where a row uses none."""
    return np.where(median, _medians(values, use), _means(values, use))


def _means(values: np.ndarray, use: np.ndarray) -> np.ndarray:
    # Kahan's compensated sum over the columns in order, skipping the unused ones, as
    # polars adds a group's values (forecasting/stable_sums.py, _compensated_row_mean).
    total = np.zeros(values.shape[0])
    compensation = np.zeros(values.shape[0])
    for column in range(values.shape[1]):
        known = use[:, column]
        corrected = np.where(known, values[:, column], 0.0) - compensation
        new_total = total + corrected
        compensation = np.where(known, (new_total - total) - corrected, compensation)
        total = np.where(known, new_total, total)
    count = use.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def _medians(values: np.ndarray, use: np.ndarray) -> np.ndarray:
    # The unused values sort last as NaN; the two middle values of the used ones are then
    # at (n - 1) // 2 and n // 2, interpolated as polars does.
    ordered = np.sort(np.where(use, values, np.nan), axis=1)
    count = use.sum(axis=1)
    rows = np.arange(values.shape[0])
    lower = ordered[rows, np.maximum(count - 1, 0) // 2] if values.shape[1] else np.nan
    upper = (
        ordered[rows, np.minimum(count // 2, max(values.shape[1] - 1, 0))]
        if values.shape[1]
        else np.nan
    )
    return np.where(count > 0, lower + (upper - lower) * 0.5, np.nan)
