"""The share of a row's values above a threshold, by binary search in rows sorted once."""

import numpy as np

from forecasting.sorted_rows import share_above


def test_the_binary_search_counts_as_a_comparison_with_every_value_does():
    """Catches an off-by-one in the search (a value equal to the threshold counted as
    above, the last value never reached) and unknown values counted: every row, with
    thresholds on, between and beyond its values, NaN-padded rows and a row with no known
    value, gives the same floats as comparing the threshold with every value."""
    rng = np.random.default_rng(7)
    values = rng.integers(0, 6, (40, 9)).astype(float)
    values[5:15, 6:] = np.nan  # rows with fewer known values (a longer lead time)
    values[3] = np.nan  # no known value at all
    values[4, 1:] = np.nan  # one known value: its share is 0 or 1, never "none known"
    counted = (~np.isnan(values)).sum(axis=1)
    ordered = np.sort(values)
    rows = np.array([0, 3, 4, 5, 6, 14, 20, 39, 20])
    for threshold in (-1.0, 0.0, 2.0, 2.5, 5.0, 9.0):
        thresholds = np.full(len(rows), threshold) + rng.integers(0, 2, len(rows))
        above = (values[rows] > thresholds[:, None]).sum(axis=1)  # NaN is never above
        known = counted[rows]
        expected = np.where(known > 0, above / np.maximum(known, 1), 0.0)
        assert np.array_equal(share_above(ordered, counted, rows, thresholds), expected)
