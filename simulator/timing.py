"""Time constants and the click-gap draw shared by the traffic simulation (microseconds)."""

from __future__ import annotations

import numpy as np

SECOND_US = 1_000_000
MINUTE_US = 60 * SECOND_US
DAY_US = 86_400 * SECOND_US
# Two sessions of one visitor are at least this far apart, so a 30-minute inactivity
# sessionizer splits them exactly where the simulator did.
SESSION_SEPARATION_US = 36 * MINUTE_US
MEAN_CLICK_GAP_SECONDS = 75.0  # time between two events in a session: exponential, clipped
MIN_CLICK_GAP_SECONDS = 5.0
MAX_CLICK_GAP_SECONDS = 300.0


def click_gaps(rng: np.random.Generator, n: int) -> np.ndarray:
    """`n` gaps between consecutive events of a session (5 s .. 5 min, whole seconds, in us)."""
    seconds = np.clip(
        rng.exponential(MEAN_CLICK_GAP_SECONDS, n), MIN_CLICK_GAP_SECONDS, MAX_CLICK_GAP_SECONDS
    )
    return np.round(seconds).astype(np.int64) * SECOND_US


def group_offsets(sizes: np.ndarray) -> np.ndarray:
    """Start index of each group in an array laid out group after group."""
    return np.concatenate(([0], np.cumsum(sizes)[:-1])).astype(np.int64)


def position_in_group(sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For groups of `sizes` laid out one after another: (group index, position) per element."""
    group = np.repeat(np.arange(len(sizes)), sizes)
    return group, np.arange(group.size) - group_offsets(sizes)[group]
