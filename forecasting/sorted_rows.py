"""Counting a row's values above a threshold in rows sorted once, for many thresholds.

The budgeted policy replay (forecasting/budget_replay.py) asks every day, for each SKU
that wants an order, what share of its planned L-day demand sums lies above its stock
position. The sums change only when the plan does (every few weeks), the positions every
day: sorting each SKU's sums once per plan turns the daily count into a binary search
(about 9 steps for a year of sums) instead of a comparison with every sum.
"""

from __future__ import annotations

import numpy as np


def share_above(
    ordered: np.ndarray, counted: np.ndarray, rows: np.ndarray, threshold: np.ndarray
) -> np.ndarray:
    """The share of each row's known values above its threshold.

    Args:
        ordered: values per row (rows x values), each row sorted ascending with its NaNs
            (unknown values) last, as ``np.sort`` leaves them.
        counted: the known (non-NaN) values per row.
        rows: the rows asked about.
        threshold: one threshold per row of ``rows``.

    Returns:
        Per row of ``rows``: (known values > threshold) / known values, 0 for a row with
        none; the same floats as counting with a comparison against every value.
    """
    known = counted[rows]
    low = np.zeros(len(rows), dtype=np.int64)  # values at or below the threshold: >= low
    high = known.astype(np.int64)  # ... and <= high
    last = max(ordered.shape[1] - 1, 0)
    while True:
        searching = low < high
        if not searching.any():
            break
        middle = np.minimum((low + high) // 2, last)
        at_or_below = ordered[rows, middle] <= threshold
        low = np.where(searching & at_or_below, middle + 1, low)
        high = np.where(searching & ~at_or_below, middle, high)
    above = known - low
    return np.where(known > 0, above / np.maximum(known, 1), 0.0)
