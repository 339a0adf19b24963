"""The holdout's band coverage in the backtest summary, worked by hand on one series."""

import polars as pl
import pytest

from forecasting.evaluation import _holdout_coverage


def test_holdout_bands_are_scaled_by_the_demand_before_each_window():
    """Bug caught: a window's cutoff taken after its first day instead of before it
    (`first_step + 1`), so each band's scale reads the days it is meant to forecast.

    One series, steps 1-7 selling 2, 2, 2, 2, 4, 8, 10; one-day windows starting at steps
    5 and 6 (calibration) and 7 (the holdout), each forecast 2. Scales are the mean of the
    two steps up to the cutoff (or the forecast, if larger): window 1 (cutoff 4) 2, score
    (4 - 2) / 2 = 1; window 2 (cutoff 5) 3, score (8 - 2) / 3 = 2; the holdout (cutoff 6)
    6. With two scores the 80 % band is [2, 2 + 6 * 2 = 14], and the holdout's 10 is inside:
    coverage 1. Cut after the first day, the scales read steps 5-7 and the holdout's band is
    [2, 3.3]: coverage 0."""
    steps = pl.DataFrame(
        {"unique_id": ["a"] * 7, "ds": list(range(1, 8)), "y": [2.0, 2, 2, 2, 4, 8, 10]}
    )
    starts = pl.DataFrame({"unique_id": ["a"] * 3, "window": [1, 2, 3], "first_step": [5, 6, 7]})
    mix = pl.DataFrame(
        {"unique_id": ["a"] * 3, "window": [1, 2, 3], "y": [4.0, 8.0, 10.0], "forecast": [2.0] * 3}
    )
    classes = pl.DataFrame({"sku": ["a"], "demand_pattern": ["smooth"]})
    bands = _holdout_coverage(mix, classes, steps, starts, 3, 1, (80,))
    assert dict(bands.iter_rows()) == {"smooth": pytest.approx(1.0), "all": pytest.approx(1.0)}


def test_holdout_bands_are_scaled_by_the_two_days_just_before_each_window():
    """Bugs caught: each window's cutoff one step too early (`first_step - 2`: the scale
    skips the last day before the window) or on the window's first day (`first_step`: the
    scale reads the day being forecast).

    One series, steps 1-7 selling 2, 2, 2, 2, 6, 6, 12; one-day windows starting at steps 5
    and 6 (calibration) and 7 (the holdout), each forecast 2; scales are the mean of the two
    steps up to the cutoff (or the forecast, if larger). Cut right (4, 5, 6): scales 2, 4,
    6, scores (6 - 2) / 2 = 2 and (6 - 2) / 4 = 1, so the holdout's 80 % band is
    [2, 2 + 6 * 2 = 14] and its 12 is inside. A step early (3, 4, 5): scales 2, 2, 4, scores
    2 and 2, band [2, 10]. On the first day (5, 6, 7): scales 4, 6, 9, scores 1 and 2/3,
    band [2, 11]. Both leave the 12 out: coverage 0."""
    steps = pl.DataFrame(
        {"unique_id": ["a"] * 7, "ds": list(range(1, 8)), "y": [2.0, 2, 2, 2, 6, 6, 12]}
    )
    starts = pl.DataFrame({"unique_id": ["a"] * 3, "window": [1, 2, 3], "first_step": [5, 6, 7]})
    mix = pl.DataFrame(
        {"unique_id": ["a"] * 3, "window": [1, 2, 3], "y": [6.0, 6.0, 12.0], "forecast": [2.0] * 3}
    )
    classes = pl.DataFrame({"sku": ["a"], "demand_pattern": ["smooth"]})
    bands = _holdout_coverage(mix, classes, steps, starts, 3, 1, (80,))
    assert dict(bands.iter_rows()) == {"smooth": pytest.approx(1.0), "all": pytest.approx(1.0)}
