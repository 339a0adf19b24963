"""When runs start, in the shop's own time (settings `schedule`): the nightly refresh of
yesterday's exports, and the weekly backtests (model, policy, CLV validation) in the same slot.

The nightly tick at `hour` in `timezone` loads the shop's yesterday and the `late_days`
before it (a late or re-exported file of those days is picked up), as one range run over
the export-day partitions. Dagster evaluates the cron in that zone, so the tick stays at
the shop's 02:00 across daylight-saving changes and "yesterday" is the shop's yesterday,
not UTC's. On the backtest weekday the nightly run also validates whole tables in every
asset check (the run tag FULL_CHECKS_TAG); other nights the checks validate the rows the
run wrote (quality/check_scope.py).
"""

from __future__ import annotations

import datetime as dt

import dagster as dg

from config.settings import ScheduleSettings
from pipelines.jobs import model_backtest_job, refresh_job
from pipelines.sensors import range_tags
from quality.check_scope import FULL_CHECKS_TAG


def nightly_days(tick: dt.datetime, timezone: str, late_days: int) -> tuple[dt.date, dt.date]:
    """The export days a nightly tick loads: the shop's yesterday and `late_days` before it.

    Args:
        tick: the tick's scheduled time (any zone; naive is read as UTC).
        timezone: the shop's IANA time zone.
        late_days: days before yesterday loaded again for late files.

    Returns:
        (first day, last day), both in the shop's calendar.
    """
    from zoneinfo import ZoneInfo

    aware = tick if tick.tzinfo else tick.replace(tzinfo=dt.UTC)
    yesterday = aware.astimezone(ZoneInfo(timezone)).date() - dt.timedelta(days=1)
    return yesterday - dt.timedelta(days=late_days), yesterday


def _is_backtest_night(tick: dt.datetime, cfg: ScheduleSettings) -> bool:
    """Whether a tick falls on the shop's backtest weekday (0 = Sunday, as cron counts)."""
    from zoneinfo import ZoneInfo

    aware = tick if tick.tzinfo else tick.replace(tzinfo=dt.UTC)
    return aware.astimezone(ZoneInfo(cfg.run_timezone)).isoweekday() % 7 == cfg.backtest_weekday


def schedules(cfg: ScheduleSettings) -> list[dg.ScheduleDefinition]:
    """The nightly refresh and the weekly backtest of one deployment's schedule settings."""

    @dg.schedule(
        name="nightly_refresh",
        job=refresh_job,
        cron_schedule=f"0 {cfg.hour} * * *",
        execution_timezone=cfg.run_timezone,
        description=f"Every night at {cfg.hour:02d}:00 {cfg.run_timezone}, load the shop's "
        f"yesterday and the {cfg.late_days} days before it (late files), then rebuild "
        "everything downstream; on the backtest weekday the checks validate whole tables.",
    )
    def nightly_refresh(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
        first, last = nightly_days(
            context.scheduled_execution_time, cfg.run_timezone, cfg.late_days
        )
        weekly = _is_backtest_night(context.scheduled_execution_time, cfg)
        return dg.RunRequest(
            run_key=f"nightly-{last.isoformat()}",
            tags={
                **range_tags(first.isoformat(), last.isoformat()),
                **({FULL_CHECKS_TAG: "true"} if weekly else {}),
            },
        )

    @dg.schedule(
        name="weekly_backtest",
        job=model_backtest_job,
        cron_schedule=f"0 {cfg.hour} * * {cfg.backtest_weekday}",
        execution_timezone=cfg.run_timezone,
        description="Once a week in the nightly slot, backtest the candidate models on the "
        "demand history, replay the reorder policies, validate the CLV models and fit the "
        "review-text models again "
        "(full_rebuild). The nightly runs keep all four unless their inputs change.",
    )
    def weekly_backtest(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
        return dg.RunRequest(
            run_config={
                "ops": {
                    name: {"config": {"full_rebuild": True}}
                    for name in (
                        "demand_backtest",
                        "inventory__policy_backtest",
                        "clv_marts",
                        "feedback_text_marts",
                    )
                }
            }
        )

    return [nightly_refresh, weekly_backtest]
