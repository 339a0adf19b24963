"""forecasting/model_mix.py keeps every forecast it hands on at or above zero: a fitted
model's negative forecast counts as 0, and the short-history model's normal bounds are
cut at 0 and kept around the point forecast."""

import polars as pl
import pytest

from config.settings import ForecastingSettings
from forecasting.model_mix import combine_models
from forecasting.models import SHORT_HISTORY_MODEL
from forecasting.selection import MEAN


def _assigned(unique_id: str, model: str, short: bool) -> pl.DataFrame:
    """One series forecast by one model (the frame forecasting/forecast.py assigns)."""
    return pl.DataFrame(
        {
            "unique_id": [unique_id],
            "short": [short],
            "label": [model],
            "combine": [MEAN],
            "model": [model],
        }
    )


def test_a_fitted_models_negative_forecast_counts_as_zero():
    """Bug caught: a fitted model's forecast clipped at -1 instead of 0, so a falling
    series is forecast to sell negative units. AutoTheta extends the fall of 20, 18 .. 2,
    1, 0 below zero (about -1.7, -3.3, -5.0 ahead, and about -2.0 on the last past
    window's last step): every forecast and every past-window forecast is 0 or more."""
    steps = pl.DataFrame(
        {
            "unique_id": ["A"] * 12,
            "ds": list(range(1, 13)),
            "y": [20.0, 18.0, 16.0, 14.0, 12.0, 10.0, 8.0, 6.0, 4.0, 2.0, 1.0, 0.0],
        }
    )
    classes = pl.DataFrame({"unique_id": ["A"], "demand_pattern": ["smooth"]})
    _, point, calibration = combine_models(
        steps, _assigned("A", "AutoTheta", False), classes, 3, ForecastingSettings(), season=6
    )
    assert point["forecast"].to_list() == [0.0, 0.0, 0.0]
    assert calibration["forecast"].min() == 0.0


def test_short_series_bounds_are_cut_at_zero_and_hold_the_point():
    """Bugs caught: the short-history model's bounds clipped at -1 (a lower bound of about
    -0.47 kept) or at 1 (the lower bound raised to 1, then held down to the point forecast
    0.25; the upper bound of about 0.97 raised to 1). Series B sold 0, 0, 0, 1: the
    historic average 0.25 with normal bounds 0.25 -/+ 0.72 (80 %) and 1.10 (95 %)."""
    steps = pl.DataFrame({"unique_id": ["B"] * 4, "ds": [1, 2, 3, 4], "y": [0.0, 0.0, 0.0, 1.0]})
    classes = pl.DataFrame({"unique_id": ["B"], "demand_pattern": ["lumpy"]})
    short, point, calibration = combine_models(
        steps,
        _assigned("B", SHORT_HISTORY_MODEL, True),
        classes,
        2,
        ForecastingSettings(levels=(80, 95)),
        season=6,
    )
    assert point is None and calibration is None
    columns = ["ds", "forecast", "lo_80", "hi_80", "lo_95", "hi_95"]
    expected = [
        (5, 0.25, 0.0, 0.9664091, 0.0, 1.3456532),
        (6, 0.25, 0.0, 0.9664091, 0.0, 1.3456532),
    ]
    got = short.sort("ds").select(columns).rows()
    assert [pytest.approx(row, abs=1e-6) for row in expected] == got
