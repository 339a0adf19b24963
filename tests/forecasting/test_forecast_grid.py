"""The combinations computed on the forecast grid have the bits of the group_by they replace.

The reference below is how the backtest combined and scored forecasts before the grid:
one join and group_by per combination (mean added in model-name order, polars' median),
then forecasting.metrics.window_errors. The backtest's tables must not change by a bit,
so every figure is compared as raw float bits on random forecasts."""

import datetime as dt

import numpy as np
import polars as pl
import pytest

from forecasting.forecast_grid import ForecastGrid, selected_forecasts
from forecasting.grid_errors import grid_window_errors, window_sums
from forecasting.metrics import window_errors
from forecasting.models import ROUTES, ZERO
from forecasting.nested_choice import choice_options, option_errors
from forecasting.selection import MEAN, MEDIAN, SELECTED, class_choices, with_combine
from forecasting.stable_sums import stable_mean

MODELS = ["ADIDA", "CrostonSBA", "IMAPA", "SeasonalESOptimized", "SeasonalNaive", "TSB", ZERO]
KEYS = ["unique_id", "window", "step", "day", "y"]
NO_SCALES = pl.DataFrame(
    schema={"unique_id": pl.String, "window": pl.Int64, "naive_scale": pl.Float64}
)


def _group_by_selected(forecasts, classes, choices):
    """The former selected forecast: a join and a group_by per combination."""
    combined = (
        pl.when(pl.col("combine").first() == MEDIAN)
        .then(pl.col("forecast").median())
        .otherwise(stable_mean("forecast", by="model"))
        .alias("forecast")
    )
    return (
        forecasts.join(
            classes.select(pl.col("sku").alias("unique_id"), "demand_pattern"), on="unique_id"
        )
        .join(
            with_combine(choices).select("demand_pattern", "model", "combine"),
            on=["demand_pattern", "model"],
        )
        .group_by(KEYS)
        .agg(combined)
        .with_columns(pl.lit(SELECTED).alias("model"))
        .select(*KEYS[:4], "y", "model", "forecast")
        .sort("unique_id", "window", "step")
    )


def _forecasts(seed: int, skus: int = 60, windows: int = 3, horizon: int = 14) -> pl.DataFrame:
    """Random backtest forecasts: lumpy values of very different sizes, exact zeros, and
    about one (SKU, model) pair in six left out (a failed model's rows)."""
    rng = np.random.default_rng(seed)
    rows = []
    start = dt.date(2024, 1, 1)
    for sku in range(skus):
        uid = f"S{sku:03d}"
        models = [m for m in MODELS if m == ZERO or rng.random() > 1 / 6]
        scale = rng.choice([0.01, 1.0, 300.0])
        for window in range(1, windows + 1):
            for step in range(1, horizon + 1):
                y = float(rng.poisson(2.0) * (rng.random() < 0.5))
                day = start + dt.timedelta(days=window * horizon + step)
                for model in models:
                    value = 0.0 if model == ZERO else rng.gamma(0.6, 2.0) * scale
                    if model != ZERO and rng.random() < 0.1:
                        value = 0.0
                    rows.append((uid, window, step, day, y, model, value))
    return pl.DataFrame(rows, schema=[*KEYS, "model", "forecast"], orient="row")


def _classes(seed: int, skus: int = 60) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    patterns = list(ROUTES)
    # The last few SKUs have no class (no row): they get no selected forecast.
    return pl.DataFrame(
        {
            "sku": [f"S{sku:03d}" for sku in range(skus - 5)],
            "demand_pattern": [patterns[i] for i in rng.integers(0, 4, skus - 5)],
        }
    )


def _bits(frame: pl.DataFrame, column: str) -> list[int]:
    return frame[column].fill_null(-1.0).to_numpy().view("u8").tolist()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_selected_forecasts_have_the_bits_of_the_group_by(seed):
    """Catches a plain sum instead of polars' compensated one (about a row in five of 3-5
    values differs in its last bit), the models added in rank instead of name order, the
    median interpolated as (a + b) / 2, a model without a forecast counted, and a row kept
    for a SKU whose class chose none of the models it has."""
    forecasts, classes = _forecasts(seed), _classes(seed)
    rng = np.random.default_rng(seed)
    for combine in (MEAN, MEDIAN):
        for top in range(1, 6):
            choices = pl.DataFrame(
                [
                    (pattern, model, combine)
                    for pattern in ROUTES
                    for model in rng.permutation(MODELS[:-1])[:top]
                ],
                schema=["demand_pattern", "model", "combine"],
                orient="row",
            )
            got = selected_forecasts(forecasts, classes, choices)
            want = _group_by_selected(forecasts, classes, choices)
            assert got.drop("forecast").equals(want.drop("forecast")), (combine, top)
            assert _bits(got, "forecast") == _bits(want, "forecast"), (combine, top)


def _group_by_options(forecasts, ranking, classes, target, most, sum_steps):
    """The former option errors of one window: a selected forecast and window_errors each."""
    on_target = forecasts.filter(pl.col("window") == target)
    parts = []
    for combined, combine in choice_options(most):
        if combined == 0:
            chosen = pl.DataFrame({"demand_pattern": list(ROUTES), "model": ZERO})
        else:
            chosen = ranking.filter(pl.col("rank") <= combined)
        mix = _group_by_selected(on_target, classes, chosen.with_columns(combine=pl.lit(combine)))
        scored = window_errors(mix, NO_SCALES, sum_steps).select("sku", "actual", "abs_error_7d")
        parts.append(
            scored.join(classes, on="sku").with_columns(
                pl.lit(target, pl.Int64).alias("window"),
                pl.lit(combined, pl.Int64).alias("combined"),
                pl.lit(combine).alias("combine"),
            )
        )
    return pl.concat(parts)


@pytest.mark.parametrize(("seed", "sum_steps"), [(4, 7), (5, 1), (6, 5)])
def test_option_errors_have_the_bits_of_the_group_by(seed, sum_steps):
    """Catches the 7-day sums added in another order or without compensation, a week cut
    at the wrong step, the actual summed over the wrong rows, and a SKU-window scored
    although its class's chosen models have no forecast for it."""
    forecasts, classes = _forecasts(seed), _classes(seed)
    errors = window_errors(forecasts, NO_SCALES, sum_steps).filter(pl.col("reason").is_null())
    batches = [
        ForecastGrid.of(forecasts.filter(pl.col("unique_id") < "S030")),
        ForecastGrid.of(forecasts.filter(pl.col("unique_id") >= "S030")),
    ]
    classes_before = {t: classes for t in (2, 3)}
    got = option_errors(batches, errors, classes_before, [2, 3], MODELS[:-1], 5, sum_steps)
    order = ["window", "combined", "combine", "sku"]
    for target in (2, 3):
        ranking = class_choices(errors.filter(pl.col("window") < target), classes, MODELS, 5)
        want = _group_by_options(forecasts, ranking, classes, target, 5, sum_steps)
        mine = got[target].sort(order)
        want = want.select(mine.columns).sort(order)
        assert mine.drop("actual", "abs_error_7d").equals(want.drop("actual", "abs_error_7d"))
        for column in ("actual", "abs_error_7d"):
            assert _bits(mine, column) == _bits(want, column), (target, column)


@pytest.mark.parametrize(("seed", "sum_steps"), [(8, 7), (9, 1), (10, 5)])
def test_grid_window_errors_have_the_bits_of_window_errors(seed, sum_steps):
    """Catches a sum added without compensation or out of step order, first and last day
    swapped, MASE on the wrong scale (or where the scale is 0 or unknown), a window with a
    missing forecast given scores or no reason, and rows in another order."""
    rng = np.random.default_rng(seed)
    forecasts = _forecasts(seed, skus=40)
    # Every model on every row (as cross-validation gives them), some forecasts missing.
    every = (
        forecasts.select(KEYS)
        .unique()
        .join(pl.DataFrame({"model": MODELS}), how="cross")
        .sort("unique_id", "model", "window", "step")
    )
    values = rng.gamma(0.6, 2.0, every.height) * rng.choice([0, 1, 50], every.height)
    missing = rng.random(every.height) < 0.02
    every = every.with_columns(pl.Series("forecast", values).set(pl.Series(missing), None))
    scales = every.select("unique_id", "window").unique()
    scales = scales.with_columns(
        pl.Series("naive_scale", rng.choice([0.0, 0.7, 3.1, 12.5], scales.height))
    ).filter(pl.Series(rng.random(scales.height) < 0.9))  # some windows without a scale
    # In a grid a missing forecast is NaN (the pivot refuses nulls).
    grid = ForecastGrid.of(every.with_columns(pl.col("forecast").fill_null(float("nan"))))
    got = grid_window_errors(grid, scales, sum_steps)
    want = window_errors(every, scales, sum_steps)
    floats = [c for c, t in want.schema.items() if t == pl.Float64]
    assert got.drop(floats).equals(want.drop(floats))
    for column in floats:
        assert _bits(got, column) == _bits(want, column), column


def test_a_missing_forecast_is_refused():
    """Catches a grid built from forecasts that still hold a failed model's rows: the
    group_by would have combined its null, the grid would skip it."""
    forecasts = _forecasts(7, skus=2).with_columns(
        pl.when(pl.col("step") == 3).then(None).otherwise(pl.col("forecast")).alias("forecast")
    )
    with pytest.raises(ValueError, match="failed models"):
        ForecastGrid.of(forecasts)


def test_windows_of_equal_length_with_steps_out_of_order_are_refused():
    """Bug caught: the grid's shape check passing when only one of its two tests fails
    (``and`` for ``or``): two SKU-windows of two steps each, one written 2, 1, have equal
    lengths, so only the step order shows the rows are not the grid's, and summing them
    as if they were would pair each forecast with another day's sales."""
    keys = pl.DataFrame(
        {
            "unique_id": ["A", "A", "B", "B"],
            "window": [0, 0, 0, 0],
            "step": [1, 2, 2, 1],
            "y": [1.0, 2.0, 3.0, 4.0],
        }
    )
    forecast = np.array([1.0, 2.0, 3.0, 4.0])
    assert window_sums(keys.with_columns(step=pl.Series([1, 2, 1, 2])), forecast, 7).height == 2
    with pytest.raises(ValueError, match="steps 1 .. horizon in order"):
        window_sums(keys, forecast, 7)
