"""The nightly schedule loads the shop's yesterday, in the shop's time zone, with late days.

Bugs these catch: a tick at 02:00 that asks for the tick's own (UTC) date instead of the
shop's yesterday; a shop east of UTC whose 02:00 falls on the previous UTC day; the
daylight-saving night moving the tick or the day; `late_days` not loading earlier days.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import dagster as dg
import pytest
from dagster._utils.schedules import schedule_execution_time_iterator

from config.resources import SettingsResource
from config.settings_errors import SettingsError
from pipelines.definitions import build_definitions
from pipelines.schedules import nightly_days

START = "dagster/asset_partition_range_start"
END = "dagster/asset_partition_range_end"


def _defs(tmp_path, schedule: str):
    settings = tmp_path / "settings.yaml"
    settings.write_text(f"schedule: {schedule}\n")
    return build_definitions(settings=SettingsResource(settings_file=str(settings)))


def _tick(defs, name: str, local: dt.datetime, zone: str):
    schedule = defs.resolve_schedule_def(name)
    when = local.replace(tzinfo=ZoneInfo(zone))
    with dg.build_schedule_context(scheduled_execution_time=when) as context:
        return schedule, schedule(context)


@pytest.mark.parametrize(
    ("zone", "local_tick", "yesterday"),
    [
        # 02:00 in Tokyo is 17:00 UTC the day before: UTC's "yesterday" would be 12-03
        ("Asia/Tokyo", dt.datetime(2026, 12, 5, 2), dt.date(2026, 12, 4)),
        # 02:00 in Los Angeles is 10:00 UTC the same day
        ("America/Los_Angeles", dt.datetime(2026, 12, 5, 2), dt.date(2026, 12, 4)),
        # London's clocks go forward at 01:00 UTC on 2026-03-29: 02:00 BST is 01:00 UTC
        ("Europe/London", dt.datetime(2026, 3, 29, 2), dt.date(2026, 3, 28)),
        ("Europe/London", dt.datetime(2026, 3, 30, 2), dt.date(2026, 3, 29)),
        # and back at 01:00 UTC on 2026-10-25: 02:00 GMT is 02:00 UTC
        ("Europe/London", dt.datetime(2026, 10, 25, 2), dt.date(2026, 10, 24)),
    ],
)
def test_the_nightly_tick_loads_the_shops_yesterday_and_its_late_days(
    tmp_path, zone, local_tick, yesterday
):
    defs = _defs(tmp_path, f"{{timezone: {zone}, hour: 2, late_days: 2}}")
    schedule, request = _tick(defs, "nightly_refresh", local_tick, zone)
    assert schedule.cron_schedule == "0 2 * * *"
    assert schedule.execution_timezone == zone
    assert request.tags[END] == yesterday.isoformat()
    assert request.tags[START] == (yesterday - dt.timedelta(days=2)).isoformat()
    assert request.run_key == f"nightly-{yesterday.isoformat()}"


def test_the_ticks_stay_at_the_shops_hour_across_daylight_saving(tmp_path):
    defs = _defs(tmp_path, "{timezone: Europe/London, hour: 2}")
    schedule = defs.resolve_schedule_def("nightly_refresh")
    start = dt.datetime(2026, 3, 27, 12, tzinfo=ZoneInfo("Europe/London")).timestamp()
    ticks = []
    # Dagster's own tick times for this schedule (what the daemon fires), from its
    # scheduler module: the test fails loudly if a Dagster upgrade moves it.
    ticks_of = schedule_execution_time_iterator
    for tick in ticks_of(start, schedule.cron_schedule, schedule.execution_timezone):
        ticks.append(tick)
        if len(ticks) == 4:
            break
    assert [t.astimezone(ZoneInfo("Europe/London")).hour for t in ticks] == [2, 2, 2, 2]
    # the night the clocks go forward the tick is an hour earlier in UTC
    assert [t.astimezone(dt.UTC).hour for t in ticks] == [2, 1, 1, 1]


def test_late_days_zero_loads_yesterday_alone():
    assert nightly_days(dt.datetime(2026, 12, 5, 2), "UTC", 0) == (
        dt.date(2026, 12, 4),
        dt.date(2026, 12, 4),
    )


def test_the_weekly_backtest_runs_in_the_shops_slot(tmp_path):
    defs = _defs(tmp_path, "{timezone: Asia/Tokyo, hour: 3, backtest_weekday: 1}")
    schedule = defs.resolve_schedule_def("weekly_backtest")
    assert (schedule.cron_schedule, schedule.execution_timezone) == ("0 3 * * 1", "Asia/Tokyo")


def test_an_unknown_time_zone_fails_with_its_key_path(tmp_path):
    with pytest.raises(SettingsError, match=r"schedule\.timezone = 'Mars/Olympus'"):
        _defs(tmp_path, "{timezone: Mars/Olympus}")


def test_the_nightly_run_of_the_backtest_weekday_validates_whole_tables(tmp_path):
    """Bug: the weekly full validation never runs (or runs every night), so a bad row the
    nightly checks skip is never found (or the nightly run reads whole tables again)."""
    from quality.check_scope import FULL_CHECKS_TAG

    # 2026-12-06 is a Sunday (backtest_weekday 0); 02:00 in Tokyo is still Saturday in UTC
    defs = _defs(tmp_path, "{timezone: Asia/Tokyo, hour: 2, backtest_weekday: 0}")
    _, sunday = _tick(defs, "nightly_refresh", dt.datetime(2026, 12, 6, 2), "Asia/Tokyo")
    _, monday = _tick(defs, "nightly_refresh", dt.datetime(2026, 12, 7, 2), "Asia/Tokyo")
    assert sunday.tags.get(FULL_CHECKS_TAG) == "true"
    assert FULL_CHECKS_TAG not in monday.tags
