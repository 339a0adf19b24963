"""Export days: one partition per calendar day of the drop folder (`orders/2011-03-04.csv`).

The partitions run from the `history.first_day` setting to today (UTC); `export_days` is
the one place that builds them, and `check_export_days` tells a run whose files fall
outside them what to change before anything starts.
"""

from __future__ import annotations

import datetime as dt

import dagster as dg

from config.settings import HistorySettings


class HistoryRangeError(ValueError):
    """Export days outside the days the deployment's partitions cover."""


def export_days(history: HistorySettings) -> dg.DailyPartitionsDefinition:
    """The export-day partitions of a deployment: from `history.first_day` to today.

    `end_offset=1` makes today's partition exist, so the files dropped today can load
    before the day is over. A partition without files loads zero rows.
    """
    return dg.DailyPartitionsDefinition(start_date=history.first_day, end_offset=1)


def check_export_days(history: HistorySettings, first: dt.date, last: dt.date) -> None:
    """Check that the export days `first`..`last` lie in the partitions of `export_days`.

    Raises:
        HistoryRangeError: naming the setting and the value to set, or the day in the future.
    """
    first_day = dt.date.fromisoformat(history.first_day)
    if first < first_day:
        raise HistoryRangeError(
            f"the exports start on {first}, before the first day this deployment covers "
            f"({first_day}); set history.first_day to {first} or earlier in the settings file "
            f"(history: {{first_day: {first}}})"
        )
    today = dt.datetime.now(dt.UTC).date()
    if last > today:
        raise HistoryRangeError(
            f"the exports end on {last}, after today ({today}, UTC): an export day cannot lie "
            f"in the future; rename the file to the day it was exported"
        )
