"""The candidate models as built for a run, and the history the bands need, by hand."""

import polars as pl
import pytest

from forecasting import engine
from forecasting.models import build_model, min_history_for_intervals


def test_seasonal_window_average_averages_the_last_four_seasons():
    """Bug caught: the seasonal window average built over another number of seasons. A
    season of 2 steps, history 1 10 2 20 3 30 4 40: the next two steps are the mean of
    the last four odd steps, (1 + 2 + 3 + 4) / 4 = 2.5, and of the even ones, 25 (three
    seasons would give 3 and 30)."""
    frame = pl.DataFrame(
        {"unique_id": ["A"] * 8, "ds": list(range(1, 9)), "y": [1.0, 10, 2, 20, 3, 30, 4, 40]}
    )
    model = build_model("SeasonalWindowAverage", season_steps=2)
    result = engine.forecast([model], frame, horizon=2, levels=())
    assert result["SeasonalWindowAverage"].to_list() == pytest.approx([2.5, 25.0])


def test_bands_need_two_windows_of_the_horizon_and_a_point_to_fit_on():
    """Bug caught: a series one or more steps short of two calibration windows plus a
    fitting point given bands from its own errors (or one long enough refused them): for
    a 7-step horizon that is 2 x 7 + 1 = 15 observations."""
    assert min_history_for_intervals(7) == 15
    assert min_history_for_intervals(1) == 3
