"""The one `Definitions` of orderpulse: assets by layer, checks, the jobs, schedules and sensors.

`defs` is the code location dagster-webserver and dagster-daemon load (deploy/workspace.yaml,
`make ui`): its folders and settings file come from the ORDERPULSE_* environment variables
(pipelines/deployment.py).
"""

from __future__ import annotations

import dagster as dg

from assets import all_assets
from config.partitions import export_days
from config.private_files import create_files_owner_only
from config.resources import RunPaths, SettingsResource
from pipelines.alerts import run_failure_alerts
from pipelines.deployment import deployment_resources
from pipelines.jobs import model_backtest_job, refresh_job
from pipelines.resources import build_resources, checked_settings
from pipelines.retention import history_retention_job, history_retention_schedule
from pipelines.schedules import schedules
from pipelines.sensors import export_drop_sensor
from quality.checks import suite_checks
from quality.currency import single_currency_check
from quality.feed_checks import feed_checks


def build_definitions(
    paths: RunPaths | None = None, settings: SettingsResource | None = None
) -> dg.Definitions:
    """Definitions for one deployment; `paths` defaults to `./data` (see RunPaths), the
    settings to the documented defaults. A bad settings file fails here (SettingsError):
    the export-day partitions start on the settings' `history.first_day`, the schedules
    and the sensor's interval come from them too. Either resource may hold `dg.EnvVar`s,
    read here once and again by every run."""
    settings = settings or SettingsResource()
    run_settings = checked_settings(settings)
    return dg.Definitions(
        assets=all_assets(export_days(run_settings.history)),
        asset_checks=[*suite_checks(), *feed_checks(), single_currency_check],
        jobs=[refresh_job, model_backtest_job, history_retention_job],
        schedules=[
            *schedules(run_settings.schedule),
            history_retention_schedule(run_settings.schedule),
        ],
        sensors=[export_drop_sensor(run_settings.schedule.export_poll_seconds), run_failure_alerts],
        resources=build_resources(paths or RunPaths(), settings),
        # One step at a time: DuckDB has one writer, and on 2 cores two heavy engines at
        # once (DuckDB + polars, DuckDB + statsforecast) were measured no faster than one
        # after the other.
        executor=dg.in_process_executor,
    )


# The processes that load this code location (Dagster's daemon, webserver and run workers)
# write the warehouse and logs: owner-only, like the CLI's runs.
create_files_owner_only()
defs = build_definitions(*deployment_resources())
