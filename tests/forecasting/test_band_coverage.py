"""The holdout coverage of prediction bands, counted by hand."""

import polars as pl
import pytest

from forecasting.intervals import coverage


def test_coverage_counts_days_with_bounds_only_and_works_with_one_level():
    """Bugs caught: days without bounds counted as misses (coverage 1/3, not 1/2), or the
    bounds looked up at a second level a run with one level (forecasting.levels: [80])
    does not have. Of the two days with an 80 % band [4, 6], the actual 5 is inside and
    10 is not."""
    banded = pl.DataFrame(
        {
            "demand_pattern": ["smooth"] * 3,
            "y": [5.0, 10.0, 7.0],
            "lo_80": [4.0, 4.0, None],
            "hi_80": [6.0, 6.0, None],
        }
    )
    assert coverage(banded, ["demand_pattern"], [80]).rows() == [("smooth", pytest.approx(0.5))]
