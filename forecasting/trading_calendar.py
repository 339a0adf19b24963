"""The shop's trading calendar: which weekdays are demand days.

Forecast series skip non-trading days, so a forecast step is "the next trading day", and
lead times given in calendar days hold only the trading days inside them. numpy's business
day functions do the counting with a week mask built from ISO weekdays (1 = Monday).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np


def week_mask(trading_weekdays: Sequence[int]) -> str:
    """numpy week mask ("1111101" = closed on Saturdays) from ISO weekdays."""
    unknown = sorted(set(trading_weekdays) - set(range(1, 8)))
    if unknown or not trading_weekdays:
        raise ValueError(
            f"trading_weekdays {list(trading_weekdays)} must be ISO weekdays 1 (Monday) .. 7 "
            "(Sunday), at least one; fix forecasting.trading_weekdays in the settings file"
        )
    return "".join("1" if day in trading_weekdays else "0" for day in range(1, 8))


def trading_days_after(day: dt.date, count: int, trading_weekdays: Sequence[int]) -> list[dt.date]:
    """The first ``count`` trading days strictly after ``day``."""
    mask = week_mask(trading_weekdays)
    offsets = np.arange(1, count + 1)
    # roll backward: if `day` itself is not a trading day, step 1 is still the next one.
    days = np.busday_offset(np.datetime64(day, "D"), offsets, roll="backward", weekmask=mask)
    return days.astype(dt.date).tolist()


def count_trading_days(after: dt.date, through: dt.date, trading_weekdays: Sequence[int]) -> int:
    """Number of trading days d with after < d <= through (0 when through <= after)."""
    if through <= after:
        return 0
    start = np.datetime64(after, "D") + 1
    end = np.datetime64(through, "D") + 1
    return int(np.busday_count(start, end, weekmask=week_mask(trading_weekdays)))
