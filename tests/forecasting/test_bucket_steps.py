"""The step arithmetic of weekly and monthly buckets (forecasting/buckets.py), worked out
by hand on calendar dates."""

import datetime as dt

from config.settings import ForecastingSettings
from forecasting.buckets import (
    BUCKETS,
    bucket_plan,
    buckets_covering,
    buckets_in,
    next_bucket,
    planning_weekdays,
    season_steps,
    steps_between,
)


def test_steps_between_counts_the_whole_buckets_ending_by_the_day():
    """Bugs caught: the count started at 1 or stepped by 0, 2 or -1, or a bucket ending on
    ``through`` itself left out (``<`` for ``<=``). After the week of Monday 1 January,
    the weeks of the 8th and the 15th end by Sunday the 21st (2), not by Saturday the 20th
    (1); after January, February and March end by 31 March (2)."""
    week = bucket_plan(ForecastingSettings(bucket="week", horizon=4), "week")
    month = bucket_plan(ForecastingSettings(bucket="month", horizon=4), "month")
    assert steps_between(dt.date(2024, 1, 1), dt.date(2024, 1, 21), week) == 2
    assert steps_between(dt.date(2024, 1, 1), dt.date(2024, 1, 20), week) == 1
    assert steps_between(dt.date(2024, 1, 1), dt.date(2024, 3, 31), month) == 2
    assert steps_between(dt.date(2024, 1, 1), dt.date(2024, 1, 7), week) == 0


def test_the_month_after_february_of_a_common_year_is_march():
    """Bug caught: the next month found from the 29th (``replace(day=29)``), which does not
    exist in February 2023 and raises."""
    assert next_bucket(dt.date(2023, 2, 1), "month") == dt.date(2023, 3, 1)
    assert next_bucket(dt.date(2024, 2, 1), "month") == dt.date(2024, 3, 1)


def test_buckets_covering_whole_and_short_spans():
    """Bugs caught: 14 days taken as 3 weeks (the 1e-9 that absorbs rounding added instead
    of taken off), and a span shorter than a bucket given 2 (``max(2, ...)``)."""
    assert buckets_covering(14.0, "week") == 2
    assert buckets_covering(3.0, "week") == 1
    assert buckets_covering(15.0, "week") == 3


def test_a_weekly_season_is_at_least_one_step_and_not_two():
    """Bugs caught: the season floored at 2 steps or at 0 (``max(2, ...)``, ``max(0, ...)``
    for ``max(1, ...)``): a 7-day long season is one week, a 3-day one rounds to none and
    is still one step (statsforecast's season length must be >= 1)."""
    seasons = {
        days: bucket_plan(ForecastingSettings(bucket="week", long_season_length=days), "week")
        for days in (3, 7, 364)
    }
    assert {days: plan.season for days, plan in seasons.items()} == {3: 1, 7: 1, 364: 52}


def test_a_year_of_days_is_twelve_months_and_a_day_more_is_thirteen():
    """Bug caught: a month of 366.25 / 12 or 364.25 / 12 days for 365.25 / 12. 365 days
    fit in 12 mean months (365.25 days) and 366 do not; with a month a day a year longer,
    366 days fit in 12, and with one a day shorter, 365 days need 13."""
    assert buckets_covering(365.0, "month") == 12
    assert buckets_covering(366.0, "month") == 13


def test_a_daily_season_is_the_trading_days_in_it_and_at_least_one():
    """Bugs caught: the floor of a daily season at 2 or at 0 steps (``max(2, ...)``,
    ``max(0, ...)`` for ``max(1, ...)``), or the trading share left out. A 1-day season
    on an every-day shop is 1 step; on a shop open three days a week it rounds to none
    (3/7) and is still 1 step; a week on a shop closed on Saturdays is 6."""
    every_day, three_days, no_saturday = (1, 2, 3, 4, 5, 6, 7), (1, 3, 5), (1, 2, 3, 4, 5, 7)
    assert season_steps(1, every_day) == 1
    assert season_steps(1, three_days) == 1
    assert season_steps(7, no_saturday) == 6


def test_coarse_buckets_plan_on_every_weekday_and_daily_ones_on_trading_days():
    """Bugs caught: a weekday missing from or repeated in the planning days of a weekly or
    monthly shop (its sales on a closed day, such as a month booked on a Saturday the 1st,
    would leave the reorder history), or the trading days used for them."""
    closed_saturday = (1, 2, 3, 4, 5, 7)
    for bucket in ("week", "month", "auto"):
        cfg = ForecastingSettings(bucket=bucket, trading_weekdays=closed_saturday)
        assert planning_weekdays(cfg) == (1, 2, 3, 4, 5, 6, 7)
    daily = ForecastingSettings(bucket="day", trading_weekdays=closed_saturday)
    assert planning_weekdays(daily) == closed_saturday


def test_buckets_in_is_all_three_under_auto_and_the_one_set_otherwise():
    """Bug caught: the test inverted (``!=`` or ``not ==``), so a run with a set bucket
    would build all three and auto only a bucket named "auto"."""
    assert buckets_in(ForecastingSettings(bucket="auto")) == BUCKETS
    assert buckets_in(ForecastingSettings(bucket="week")) == ("week",)
