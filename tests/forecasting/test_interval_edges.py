"""Prediction bands worked by hand at their edges: the quantile ranks, the below-band rule,
bounds on the band, the scale of each window and the running totals it reads."""

import polars as pl
import pytest

from forecasting.intervals import (
    SoldToDate,
    calibrated_bands,
    class_quantiles,
    coverage,
    scaled,
    with_bounds,
)


def _scored(y: list[float], forecast: float) -> pl.DataFrame:
    """One class's calibration days at scale 1, scored as scored_days scores them."""
    return pl.DataFrame(
        {"demand_pattern": "a", "y": y, "forecast": forecast, "scale": 1.0}
    ).with_columns(((pl.col("y") - pl.col("forecast")) / pl.col("scale")).alias("score"))


def test_the_80_band_of_thirty_days_takes_the_third_score_and_the_27th():
    """Bug caught: the miss share computed as 1 - level / 101 (lower quantile -7, upper 17).

    Thirty days scored -10 .. 19 (forecast 20, so no lower bound is clipped). 80 %: the
    lower quantile is the floor(0.1 * 29) = 2nd score (0-based), -8; the two days under it
    are below the band, so the upper bound must hold 0.8 + 2/30 of the days: the
    ceil(0.8667 * 31) - 1 = 26th score, 16."""
    quantiles = class_quantiles(_scored([float(y) for y in range(10, 40)], 20.0), (80,))
    assert quantiles.rows(named=True) == [{"demand_pattern": "a", "q_lo_80": -8.0, "q_hi_80": 16.0}]


@pytest.mark.parametrize(
    ("under_the_bound", "upper"),
    [
        # Exactly at the noise margin: not below (strict <).
        (1e-6 * (1 + 1.0), 8.0),
        # Past the margin: below, so the upper quantile moves up a rank.
        (2.5e-6, 9.0),
        # Within the margin: float noise, not below.
        (1.5e-6, 8.0),
    ],
)
def test_a_day_is_below_the_band_only_past_the_noise_margin(under_the_bound, upper):
    """Bugs caught in the below-band rule (y < lower - 1e-6 * (1 + |lower|)): <= for <
    (the day exactly at the margin counted below), the margin divided by 1 + |lower|
    (5e-7: a day 1.5e-6 or 2e-6 under counted below), 0 + |lower| (1e-6, likewise) and
    2 + |lower| (3e-6: a day 2.5e-6 under not counted).

    Twelve days at forecast 2: one day under the bound by the given amount, one on the
    lower quantile (score -1, so the lower bound is 2 - 1 = 1), ten scored 0 .. 9. 80 %:
    the lower quantile is the floor(0.1 * 11) = 1st score, -1. No day below: the upper
    quantile is the ceil(0.8 * 13) - 1 = 10th score, 8; one day below: the
    ceil((0.8 + 1/12) * 13) - 1 = 11th, 9."""
    y = [1.0 - under_the_bound, 1.0, *(float(y) for y in range(2, 12))]
    quantiles = class_quantiles(_scored(y, 2.0), (80,))
    assert quantiles["q_lo_80"].to_list() == [-1.0]
    assert quantiles["q_hi_80"].to_list() == [upper]


def test_a_50_band_on_one_calibration_day_is_that_day():
    """Bug caught: the upper rank clipped to at least 1 (the 2nd of one score: an index
    error). One day scored 3: 50 %, the lower quantile is 3 and the upper one the
    ceil(0.5 * 2) - 1 = 0th score, 3."""
    quantiles = class_quantiles(_scored([5.0], 2.0), (50,))
    assert quantiles.rows(named=True) == [{"demand_pattern": "a", "q_lo_50": 3.0, "q_hi_50": 3.0}]


def test_a_day_on_either_bound_is_inside_the_band():
    """Bugs caught: a day on the lower bound (a 0 on a slow mover's band [0, 2]) or on
    the upper bound counted as a miss (y > lo or y < hi instead of >= and <=). Of the
    days 0 and 2 on the band [0, 2] and 3 above it, two are inside."""
    banded = pl.DataFrame({"demand_pattern": "a", "y": [0.0, 2.0, 3.0], "lo_80": 0.0, "hi_80": 2.0})
    assert coverage(banded, ["demand_pattern"], [80]).rows() == [("a", pytest.approx(2 / 3))]


def test_the_lower_bound_is_clipped_at_zero():
    """Bug caught: the lower bound clipped at -1 instead of 0 (a band below no sale at
    all). Forecast 1, scale 2, lower quantile -0.75: 1 - 1.5 = -0.5, clipped to 0; the
    upper quantile 0.5 gives 1 + 1 = 2."""
    point = pl.DataFrame({"demand_pattern": ["a"], "forecast": [1.0], "scale": [2.0]})
    quantiles = pl.DataFrame({"demand_pattern": ["a"], "q_lo_80": [-0.75], "q_hi_80": [0.5]})
    banded = with_bounds(point, quantiles, (80,))
    assert banded.rows(named=True) == [
        {"demand_pattern": "a", "forecast": 1.0, "lo_80": 0.0, "hi_80": 2.0}
    ]


def test_the_scale_of_each_window_by_hand():
    """The scale of a window: the larger of the mean demand over the ``span`` (3) steps up
    to its cutoff and its mean forecast; where both are 0, the mean demand up to the
    cutoff; where that is 0 too, 1.

    Series a sells 3, 1, 0, 2, 5, 1 (running totals 3, 4, 4, 6, 11, 12), b sells 0, 1, 0,
    0, 0 (0, 1, 1, 1, 1), c sells 0, 0. Windows (series, cutoff, forecast):

    - a, 4, 0.5: (6 - 3) / 3 = 1. Catches the total looked up one step late (the default
      offset -1: (11 - 4) / 3), the first step of a series taken as outside it (step > 1
      or >= 2: the total before the window as 0, 6 / 3), a row one step early
      (first + step - 2) and a level of 1 taken as too small (level > 1: 6 / 4).
    - a, 6, 0.5: (12 - 4) / 3 = 8/3. Catches the series' last step taken as outside it
      (step < rows: no total, the forecast 0.5).
    - a, 2, 0.5: 4 / 2 = 2 (no step before the history: nothing sold before). Catches
      the missing total before the window filled with 1 (3 / 2) or -1 (5 / 2).
    - b, 3, 0.1: (1 - 0) / 3 = 1/3, step 0 before the window being outside the series.
      Catches step >= 1 as >= 0 (step 0 read as the row before b's first: a's total 12,
      (1 - 12) / 3 < 0.1, so 0.1).
    - b, 5, 0: nothing sold in steps 3 .. 5 and no forecast, so the mean up to the
      cutoff, 1 / 5. Catches level >= 0 or > -1 (scale 0), the mean as total * cutoff (5)
      and a mean up to the cutoff below 1 taken as 0 (whole > 1: scale 1).
    - c, 2, 0: nothing ever sold, no forecast: 1. Catches whole >= 0 or > -1 (scale 0)
      and a last resort of 2 or 0."""
    history = pl.DataFrame(
        {
            "unique_id": ["a"] * 6 + ["b"] * 5 + ["c"] * 2,
            "ds": [1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 1, 2],
            "y": [3.0, 1.0, 0.0, 2.0, 5.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0],
        }
    )
    windows = pl.DataFrame(
        {
            "unique_id": ["a", "a", "a", "b", "b", "c"],
            "cutoff": [4, 6, 2, 3, 5, 2],
            "forecast": [0.5, 0.5, 0.5, 0.1, 0.0, 0.0],
        }
    )
    result = scaled(windows, SoldToDate.of(history), span=3)
    assert result.columns == ["unique_id", "cutoff", "forecast", "scale"]
    assert result["scale"].to_list() == pytest.approx([1.0, 8 / 3, 2.0, 1 / 3, 0.2, 1.0])


def test_units_sold_before_the_history_or_of_an_unknown_series_are_null():
    """Bugs caught: a series missing from the history read as one step long (its step 1
    reading the first row of the history, 5), and the placeholder row of a step outside
    every series set to 1 (an index error on a one-row history). The history is one
    series of one step, 5 sold."""
    totals = SoldToDate.of(pl.DataFrame({"unique_id": ["a"], "ds": [1], "y": [5.0]}))
    cutoffs = pl.DataFrame({"unique_id": ["a", "z"], "cutoff": [1, 1]})
    assert totals.at(cutoffs).to_list() == [5.0, None]
    assert totals.at(cutoffs, 1).to_list() == [None, None]


def test_a_history_with_a_step_missing_is_refused():
    """Bug caught: the history refused only when a series is split in two runs and its
    steps are out of order (and for or): series a has steps 1 and 3, one run."""
    history = pl.DataFrame({"unique_id": ["a", "a"], "ds": [1, 3], "y": [1.0, 2.0]})
    with pytest.raises(ValueError, match="steps 1, 2, 3"):
        SoldToDate.of(history)


def test_calibrated_bands_add_the_bounds_and_nothing_else():
    """Bug caught: the class column, joined on for the class's quantiles, left in the
    result (``not`` on the test whether the forecast brought it). Series a, steps 1 .. 4
    selling 2 a day, is banded at cutoff 4 from its errors at cutoff 2 (forecast 2,
    actuals 1 and 3)."""
    history = pl.DataFrame({"unique_id": "a", "ds": [1, 2, 3, 4], "y": 2.0})
    past = pl.DataFrame({"unique_id": "a", "cutoff": 2, "y": [1.0, 3.0], "forecast": 2.0})
    point = pl.DataFrame({"unique_id": ["a"], "cutoff": [4], "forecast": [2.0]})
    classes = pl.DataFrame({"unique_id": ["a"], "demand_pattern": ["smooth"]})
    banded = calibrated_bands(point, past, history, classes, span=2, levels=(80,))
    assert banded.columns == [*point.columns, "lo_80", "hi_80"]
