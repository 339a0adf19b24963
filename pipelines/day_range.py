"""Which export days `orderpulse run --since/--days` loads, of the days the exports hold."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class DayRange:
    """Which export days a run loads: from `since` on, or the `last` calendar days ending
    on the newest export day; neither: every day."""

    since: dt.date | None = None
    last: int | None = None


EVERY_DAY = DayRange()  # no --since, no --days


class DayRangeError(ValueError):
    """A --since or --days range that holds no export day."""


def days_to_load(days: list[dt.date], wanted: DayRange) -> tuple[dt.date, dt.date]:
    """The first and last export day a run loads, of the sorted days the exports hold.

    The range ends on the newest export day and starts on the first export day inside the
    wanted range, so a day before that without a file is not cleared.

    Raises:
        DayRangeError: no export day lies inside the wanted range.
    """
    newest = days[-1]
    start = wanted.since or days[0]
    if wanted.last is not None:
        start = newest - dt.timedelta(days=wanted.last - 1)
    inside = [day for day in days if day >= start]
    if not inside:
        raise DayRangeError(
            f"no export days from {start} on: the newest export day is {newest}; "
            "nothing to load (did the exports stop arriving?)"
        )
    return inside[0], newest
