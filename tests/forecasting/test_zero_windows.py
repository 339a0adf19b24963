"""Forecasting zero needs no model, but its past windows must be the ones statsforecast
gives the fitted models, or the bands of a class that chose zero are calibrated on other
days than everyone else's. Zero mixed with fitted models, and a class forecasting zero,
still go through forecasting/model_mix.py's combination and scale."""

import polars as pl
from statsforecast.models import Naive

from config.settings import ForecastingSettings
from forecasting import engine
from forecasting.model_mix import _zero_frames, combine_models
from forecasting.models import INTERVAL_WINDOWS, ZERO
from forecasting.selection import MEAN


def test_zero_windows_are_statsforecasts_windows():
    """Bug caught: the zero forecast's past windows given the cutoff of the window before
    (one horizon too early), so its band scales came from the wrong days. Two series of 11
    and 9 steps, horizon 3: the same (cutoff, step) pairs as statsforecast's
    cross-validation, and the future steps right after each series' end."""
    frame = pl.DataFrame(
        {
            "unique_id": ["A"] * 11 + ["B"] * 9,
            "ds": list(range(1, 12)) + list(range(1, 10)),
            "y": [float(v % 4) for v in range(20)],
        }
    )
    point, past = _zero_frames(frame, 3)
    statsforecast = engine.cross_validation([Naive()], frame, 3, INTERVAL_WINDOWS)
    keys = ["unique_id", "cutoff", "ds", "y"]
    expected = statsforecast.select(
        pl.col("unique_id").cast(pl.String), *(pl.col(k).cast(pl.Int64) for k in keys[1:3]), "y"
    )
    got = past.select(pl.col("unique_id").cast(pl.String), *keys[1:])
    assert got.sort(keys).rows() == expected.sort(keys).rows()
    assert point.sort("unique_id", "ds")["ds"].to_list() == [12, 13, 14, 10, 11, 12]


def test_zero_mix_scale_is_the_recent_demand_before_the_forecast():
    """Bug caught: the forecast's cutoff taken one step after its first day instead of one
    step before (the last observed step). The units sold by that cutoff are then looked up
    past the end of the history (none), so a class forecasting zero gets the fallback scale
    of 1 unit instead of its recent mean demand. Series A sells 0 for 6 steps, then 2 a
    step for 6: with horizon 3 the span is the last 6 steps, mean 2.0 (a cutoff one step
    earlier or later reads a mean of 10 / 6, or none). Also caught: the past windows'
    zero forecast written as another constant."""
    steps = pl.DataFrame(
        {
            "unique_id": ["A"] * 12,
            "ds": list(range(1, 13)),
            "y": [0.0] * 6 + [2.0] * 6,
        }
    )
    assigned = pl.DataFrame(
        {
            "unique_id": ["A"],
            "short": [False],
            "label": [ZERO],
            "combine": [MEAN],
            "model": [ZERO],
        }
    )
    classes = pl.DataFrame({"unique_id": ["A"], "demand_pattern": ["smooth"]})
    _, point, calibration = combine_models(
        steps, assigned, classes, 3, ForecastingSettings(), season=6, calibrate=True
    )
    assert point.sort("ds").select("ds", "forecast", "scale").rows() == [
        (13, 0.0, 2.0),
        (14, 0.0, 2.0),
        (15, 0.0, 2.0),
    ]
    # The past windows forecast zero too (a constant of 1 or -1 there would shift every
    # error the class's bands are calibrated on).
    assert calibration.sort("y")["forecast"].to_list() == [0.0] * 6


def test_zero_beside_a_fitted_model_counts_as_a_column_of_zeros():
    """Bug caught: the column of zeros left out when Zero is mixed with a fitted model (the
    condition negated), so the mean reads a column that is not there, or a mix meant to
    halve its model's forecast does not. Naive and Zero on series A (last value 5, horizon
    3): the forecast is 5 / 2 on every step, and the two past windows (cutoffs 6 and 9,
    Naive forecasting 6 and 4) are 3 and 2."""
    steps = pl.DataFrame(
        {
            "unique_id": ["A"] * 12,
            "ds": list(range(1, 13)),
            "y": [1.0, 3.0, 5.0, 2.0, 4.0, 6.0, 8.0, 2.0, 4.0, 6.0, 3.0, 5.0],
        }
    )
    assigned = pl.DataFrame(
        {
            "unique_id": ["A", "A"],
            "short": [False, False],
            "label": ["Naive+Zero", "Naive+Zero"],
            "combine": [MEAN, MEAN],
            "model": ["Naive", ZERO],
        }
    )
    classes = pl.DataFrame({"unique_id": ["A"], "demand_pattern": ["smooth"]})
    _, point, calibration = combine_models(
        steps, assigned, classes, 3, ForecastingSettings(), season=6
    )
    assert point.sort("ds")["forecast"].to_list() == [2.5, 2.5, 2.5]
    assert sorted(calibration["forecast"].to_list()) == [2.0, 2.0, 2.0, 3.0, 3.0, 3.0]
