"""Nightly refresh: at 02:00 shop time, load yesterday's exports and rebuild downstream."""

import dagster as dg

from pipelines.jobs import refresh_job

NIGHTLY_HOUR = 2

nightly_refresh = dg.build_schedule_from_partitioned_job(
    refresh_job,
    hour_of_day=NIGHTLY_HOUR,
    name="nightly_refresh",
    description="Every night at 02:00, load yesterday's export files and rebuild everything downstream.",
)
