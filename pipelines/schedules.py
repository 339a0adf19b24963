"""When runs start: the nightly refresh, and the weekly model backtest in the same slot."""

import dagster as dg

from pipelines.jobs import model_backtest_job, refresh_job

NIGHTLY_HOUR = 2
BACKTEST_WEEKDAY = 0  # cron's day of week: Sunday

nightly_refresh = dg.build_schedule_from_partitioned_job(
    refresh_job,
    hour_of_day=NIGHTLY_HOUR,
    name="nightly_refresh",
    description="Every night at 02:00, load yesterday's export files and rebuild everything downstream.",
)


@dg.schedule(
    job=model_backtest_job,
    cron_schedule=f"0 {NIGHTLY_HOUR} * * {BACKTEST_WEEKDAY}",
    description="Every Sunday at 02:00, backtest the candidate models on the demand history "
    "again (full_rebuild). The nightly runs keep that backtest unless its inputs change.",
)
def weekly_backtest(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    return dg.RunRequest(
        run_config={"ops": {"demand_backtest": {"config": {"full_rebuild": True}}}}
    )
