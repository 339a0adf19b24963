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


def test_a_row_done_at_its_last_value_waits_for_the_others():
    """Catches the search's cap on the middle index set past the last column (the
    columns, or one more): a row whose values all lie at or below its threshold is done
    with low at the column count, while a row with a threshold under all its values still
    searches; the next step reads the done row at that index, off the end of the row.
    Row 0 (1, 2, 3, 4 under 10) is done after two steps, row 1 (the same under 0.5) after
    three: shares 0 and 1."""
    ordered = np.array([[1.0, 2.0, 3.0, 4.0], [1.0, 2.0, 3.0, 4.0]])
    counted = np.array([4, 4])
    shares = share_above(ordered, counted, np.array([0, 1]), np.array([10.0, 0.5]))
    assert shares.tolist() == [0.0, 1.0]
