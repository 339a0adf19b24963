"""The local engine feeds statsforecast's driver the frame's arrays: the same frames out."""

import numpy as np
import polars as pl
import pytest
from statsforecast import StatsForecast

from forecasting import local_engine
from forecasting.models import build_model


def _steps(order: list[str]) -> pl.DataFrame:
    """Three series of unequal length (one sells nothing), rows in the given series order."""
    rng = np.random.default_rng(7)
    lengths = {"B-2": 40, "A-1": 75, "C-3": 58}
    frames = [
        pl.DataFrame(
            {
                "unique_id": [sku] * lengths[sku],
                "ds": np.arange(1, lengths[sku] + 1, dtype=np.int64),
                "y": rng.poisson(0 if sku == "C-3" else 2.5, lengths[sku]).astype(float),
            }
        )
        for sku in order
    ]
    return pl.concat(frames)


MODELS = ("SeasonalESOptimized", "ADIDA", "TSB")


@pytest.mark.parametrize("order", [["A-1", "B-2", "C-3"], ["C-3", "A-1", "B-2"]])
def test_forecast_and_cross_validation_equal_statsforecast(order):
    """Would catch the arrays' keys drifting from statsforecast's frames: a series' future
    steps or window cutoffs counted from another series' end, rows out of statsforecast's
    order (by id, cutoff, step), a model column shifted, or a frame that does not come in
    series order forecast in the wrong order instead of being sorted first."""
    frame = _steps(order)
    models = [build_model(name, 6) for name in MODELS]
    reference = StatsForecast(models=models, freq=1, n_jobs=1)
    expected = reference.forecast(h=9, df=frame)
    assert local_engine.forecast(models, frame, 9, ()).equals(expected)
    expected_windows = reference.cross_validation(h=9, df=frame, n_windows=3, step_size=9)
    assert local_engine.cross_validation(models, frame, 9, 3).equals(expected_windows)


def test_levels_come_out_as_statsforecast_names_them():
    """Would catch the interval columns of the short-history model lost or renamed (the
    forecast's short series take their bands from them)."""
    frame = _steps(["A-1", "B-2", "C-3"])
    models = [build_model("HistoricAverage", 6)]
    expected = StatsForecast(models=models, freq=1, n_jobs=1).forecast(
        h=5, df=frame, level=[80, 95]
    )
    assert local_engine.forecast(models, frame, 5, (95, 80)).equals(expected)


def test_a_series_too_short_for_the_windows_is_named():
    """Would catch a short series cut into windows that reach before its first step, or
    the message naming another than the first of several short series (B-2 has 40
    steps, C-3 58: two windows of 29 steps need 59)."""
    frame = _steps(["A-1", "B-2", "C-3"])
    with pytest.raises(ValueError, match="B-2"):
        local_engine.cross_validation([build_model("ADIDA", 6)], frame, 20, 2)
    with pytest.raises(ValueError, match=r"^2 series \(first: 'B-2'\) are too short"):
        local_engine.cross_validation([build_model("ADIDA", 6)], frame, 29, 2)


def test_two_models_of_one_name_are_refused():
    """Would catch two models under one name writing into one column (StatsForecast
    refuses them; the arrays' path must too)."""
    frame = _steps(["A-1", "B-2", "C-3"])
    with pytest.raises(ValueError, match="unique"):
        local_engine.forecast([build_model("ADIDA", 6), build_model("ADIDA", 6)], frame, 3, ())
