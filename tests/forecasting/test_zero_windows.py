"""Forecasting zero needs no model, but its past windows must be the ones statsforecast
gives the fitted models, or the bands of a class that chose zero are calibrated on other
days than everyone else's."""

import polars as pl
from statsforecast.models import Naive

from forecasting import engine
from forecasting.model_mix import _zero_frames
from forecasting.models import INTERVAL_WINDOWS


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
