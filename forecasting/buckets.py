"""Time buckets: what one step of a demand series is (a trading day, a week or a month).

A series in daily buckets has one row per trading day (forecasting/trading_calendar.py); a
weekly one per ISO week (Monday first), a monthly one per calendar month, each row dated
on the bucket's first day. Everything the backtest and forecast count in steps is
converted here from the settings, which keep their own units:

- the horizon and a backtest window are ``forecasting.horizon`` buckets (with bucket
  ``auto`` it counts trading days, and a weekly or monthly SKU gets the buckets covering as
  many calendar days); an unset horizon is ``DEFAULT_HORIZON_DAYS`` trading days converted
  the same way (28 days, 5 weeks or 2 months on a six-day shop);
- the season is ``season_length`` calendar days for daily buckets (a week: 6 steps for a
  shop closed on Saturdays) and ``long_season_length`` for coarser ones (a year: 52 weeks
  or 12 months);
- the error sums the class choice scores: 7 steps of a daily series (a week), one step
  of a weekly or monthly one (a 7-step sum of months would be 7 months);
- the history a series needs before its first backtest window: ``backtest_min_train_days``
  trading days, or the buckets covering as many calendar days.

Lead times stay in calendar days everywhere: a weekly or monthly forecast is spread over
the calendar days of its buckets (forecasting/bucketed.py), so the reorder step sums the
forecast over the days of a lead time whatever the bucket.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from config.settings import DEFAULT_HORIZON_DAYS, ForecastingSettings
from forecasting.trading_calendar import count_trading_days, trading_days_after

DAY, WEEK, MONTH, AUTO = "day", "week", "month", "auto"
BUCKETS = (DAY, WEEK, MONTH)
EVERY_DAY = (1, 2, 3, 4, 5, 6, 7)
# Mean calendar days per week or month bucket, for converting day counts (a month is
# 365.25 / 12 days); a daily step is a trading day, counted by the trading calendar.
CALENDAR_DAYS = {WEEK: 7.0, MONTH: 365.25 / 12}
# The name of a bucket's demand in words ("missed weekly demand by ...").
PER_BUCKET = {DAY: "weekly", WEEK: "weekly", MONTH: "monthly"}
# Steps summed for the error the class choice scores: a week of a daily series.
DAILY_SUM_STEPS = 7


@dataclass(frozen=True)
class BucketPlan:
    """A backtest and forecast counted in one bucket's steps."""

    bucket: str  # day, week or month
    horizon: int  # steps per backtest window and steps forecast ahead
    season: int  # season length in steps
    sum_steps: int  # consecutive steps whose sums the class choice scores
    min_train: int  # fewest steps before a series' first backtest window
    trading_weekdays: tuple[int, ...]  # the days a daily step falls on (ISO, 1 = Monday)


def bucket_plan(settings: ForecastingSettings, bucket: str) -> BucketPlan:
    """The steps of ``bucket`` (day, week or month) for the backtest and forecast settings."""
    if bucket not in BUCKETS:
        raise ValueError(f"bucket {bucket!r} is unknown; expected one of {BUCKETS}")
    weekdays = tuple(settings.trading_weekdays)
    trading_share = len(set(weekdays)) / 7
    if bucket == DAY:
        return BucketPlan(
            DAY,
            settings.horizon or DEFAULT_HORIZON_DAYS,
            season_steps(settings.season_length, weekdays),
            DAILY_SUM_STEPS,
            settings.backtest_min_train_days,
            weekdays,
        )
    horizon = settings.horizon
    if settings.bucket == AUTO or horizon is None:  # trading days: cover their calendar span
        horizon = buckets_covering((horizon or DEFAULT_HORIZON_DAYS) / trading_share, bucket)
    return BucketPlan(
        bucket,
        horizon,
        max(1, round(settings.long_season_length / CALENDAR_DAYS[bucket])),
        1,
        buckets_covering(settings.backtest_min_train_days / trading_share, bucket),
        weekdays,
    )


def season_steps(season_length: int, trading_weekdays: Sequence[int]) -> int:
    """A daily season in steps: the trading days within ``season_length`` calendar days."""
    return max(1, round(season_length * len(set(trading_weekdays)) / 7))


def buckets_covering(calendar_days: float, bucket: str) -> int:
    """Whole week or month buckets covering ``calendar_days`` (at least 1)."""
    return max(1, math.ceil(calendar_days / CALENDAR_DAYS[bucket] - 1e-9))


def bucket_start(day: dt.date, bucket: str) -> dt.date:
    """The first day of the bucket holding ``day``."""
    if bucket == WEEK:
        return day - dt.timedelta(days=day.weekday())
    if bucket == MONTH:
        return day.replace(day=1)
    return day


def next_bucket(start: dt.date, bucket: str) -> dt.date:
    """The first day of the bucket after the one starting on ``start`` (week or month)."""
    if bucket == WEEK:
        return start + dt.timedelta(days=7)
    if bucket == MONTH:
        return (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    raise ValueError(f"next_bucket is for week and month buckets, not {bucket!r}")


def bucket_end(start: dt.date, bucket: str) -> dt.date:
    """The last day of the bucket starting on ``start``."""
    return start if bucket == DAY else next_bucket(start, bucket) - dt.timedelta(days=1)


def steps_between(last: dt.date, through: dt.date, plan: BucketPlan) -> int:
    """Steps after the one starting on ``last`` that end on or before ``through``."""
    if plan.bucket == DAY:
        return count_trading_days(last, through, plan.trading_weekdays)
    count, start = 0, next_bucket(last, plan.bucket)
    while bucket_end(start, plan.bucket) <= through:
        count, start = count + 1, next_bucket(start, plan.bucket)
    return count


def steps_after(last: dt.date, count: int, plan: BucketPlan) -> list[dt.date]:
    """The first days of the ``count`` steps after the step starting on ``last``: trading
    days for a daily plan, the next weeks or months otherwise."""
    if plan.bucket == DAY:
        return trading_days_after(last, count, plan.trading_weekdays)
    starts, start = [], last
    for _ in range(count):
        start = next_bucket(start, plan.bucket)
        starts.append(start)
    return starts


def class_label(pattern: str, bucket: str) -> str:
    """The class a SKU is chosen and reported in: its demand pattern, with the bucket when
    it is not daily ("lumpy (monthly)"), so a mix of buckets keeps its classes apart."""
    return pattern if bucket == DAY else f"{pattern} ({PER_BUCKET[bucket]})"


def bucket_of_label(label: str) -> str:
    """The bucket behind a label written by :func:`class_label`."""
    for bucket in (WEEK, MONTH):
        if label.endswith(f" ({PER_BUCKET[bucket]})"):
            return bucket
    return DAY


def pattern_of_label(label: str) -> str:
    """The demand pattern behind a label written by :func:`class_label`."""
    bucket = bucket_of_label(label)
    return label if bucket == DAY else label[: -len(f" ({PER_BUCKET[bucket]})")]


def planning_weekdays(settings: ForecastingSettings) -> tuple[int, ...]:
    """The weekdays the reorder step and its policy backtest count as days.

    Daily buckets: the trading weekdays, as the forecast's days. Weekly, monthly and auto
    buckets: every day, since their sales may fall on a closed weekday (a month's sales
    booked on its first day, a Saturday) and must stay in the history the reorder point
    comes from; lead times and review periods are then plain calendar days.
    """
    return tuple(settings.trading_weekdays) if settings.bucket == DAY else EVERY_DAY


def buckets_in(settings: ForecastingSettings) -> Sequence[str]:
    """The buckets a run may use: the one set, or all three with ``auto``."""
    return BUCKETS if settings.bucket == AUTO else (settings.bucket,)
