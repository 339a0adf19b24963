"""Where each backtest window starts, counted by hand on short step series."""

import polars as pl

from forecasting.backtest import window_starts


def _steps(observations: dict[str, int]) -> pl.DataFrame:
    """unique_id, ds (steps 1..n): a series of n observations per id."""
    return pl.DataFrame(
        {
            "unique_id": [uid for uid, n in observations.items() for _ in range(n)],
            "ds": [step for n in observations.values() for step in range(1, n + 1)],
        },
        schema={"unique_id": pl.String, "ds": pl.Int64},
    )


def test_the_last_window_is_the_last_horizon_of_steps():
    """Bug: a window starting one step early (observations - k x horizon, without the + 1)
    judges each window's first forecast on the training's last day and leaves the last
    observed step unjudged. 10 steps, horizon 2, 2 windows: windows start at steps 7 and 9
    (steps 7-8 and 9-10)."""
    starts = window_starts(_steps({"A": 10}), horizon=2, n_windows=2, min_train=4)
    assert starts.sort("window").rows() == [("A", 1, 7), ("A", 2, 9)]


def test_a_series_too_short_for_one_window_has_no_start():
    """Bug: a series too short for a window (3 steps, 4 needed before the first) kept a
    row with no window and no first step, which the joins downstream carry as a window
    (polars before 2.0 explodes its empty list of windows into such a row); the 7-step
    series has the one window its length allows (steps 6-7)."""
    starts = window_starts(_steps({"SHORT": 3, "LONG": 7}), horizon=2, n_windows=2, min_train=4)
    assert starts.rows() == [("LONG", 2, 6)]
