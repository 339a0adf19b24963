"""Frames in series order are recognised in one pass; anything else is sorted."""

import datetime as dt

import polars as pl
import pytest

from forecasting.series_order import (
    in_series_order,
    is_in_series_order,
    rows_per_series,
    series_runs,
    step_numbers,
)

DAY = dt.date(2024, 3, 1)


@pytest.mark.parametrize(
    ("ids", "steps"),
    [
        (["a", "b", "a"], [1, 1, 2]),  # a series split in two runs
        (["b", "a"], [1, 1]),  # runs in descending id order
        (["a", "a", "b"], [2, 1, 1]),  # time falling inside a series
        (["a", "a"], [1, 1]),  # a step twice
    ],
)
def test_a_frame_out_of_order_is_sorted(ids, steps):
    """Would catch the order check passing a frame whose series are split, in the wrong
    order or out of time order: statsforecast would then fit each run as a series of its
    own, or fit a series backwards. A step twice is not rising time either (a check of
    >= 0 or > -1 on the steps' differences would pass it)."""
    frame = pl.DataFrame({"unique_id": ids, "ds": steps, "y": [1.0] * len(ids)})
    assert not is_in_series_order(frame)
    assert in_series_order(frame).equals(frame.sort("unique_id", "ds"))


def test_a_frame_in_order_is_kept_and_numbered():
    """Would catch a frame in order copied or reordered (a new series' first day may be
    earlier than the last day of the series before it), and steps counted across series."""
    frame = pl.DataFrame(
        {
            "unique_id": ["a", "a", "a", "b", "b", "c"],
            "ds": [DAY + dt.timedelta(days=d) for d in (3, 5, 6, 0, 1, 2)],
        }
    )
    assert in_series_order(frame) is frame
    runs = series_runs(frame["unique_id"])
    assert runs.rows() == [("a", 0, 3), ("b", 3, 2), ("c", 5, 1)]
    assert step_numbers(runs).tolist() == [1, 2, 3, 1, 2, 1]


def test_rows_per_series_counts_split_series_whole():
    """Would catch a series whose rows are not together counted by its last run only."""
    ids = pl.Series("unique_id", ["a", "b", "a", "a"])
    assert sorted(rows_per_series(ids).rows()) == [("a", 3), ("b", 1)]
