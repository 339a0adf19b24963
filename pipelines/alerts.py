"""The run-failure sensor: one alert per failed run, by e-mail and webhook.

Dagster's run-failure sensor keeps a cursor on the instance's run-failure events, so each
failed run is handed to `run_failure_alerts` once, however often the tick is evaluated;
the cursor moves on even when a delivery fails, so nobody is alerted twice. A channel
that fails is logged and fails the tick (the UI shows the tick's error) while the other
channel still delivers. The wording and the sending are in pipelines/alert_delivery.py.

It watches every run of the instance, not only the runs the daemon launched: a run of
`orderpulse run` on the same instance has no code location of its own and would be
missed otherwise.
"""

from __future__ import annotations

import os

import dagster as dg
from dagster._core.storage.tags import (
    ASSET_PARTITION_RANGE_END_TAG,
    ASSET_PARTITION_RANGE_START_TAG,
    PARTITION_NAME_TAG,
)

from config.resources import SettingsResource
from pipelines.alert_delivery import Failure, RunAlert, alert_channels, deliver
from pipelines.run_log import cause_line, step_failure

_FAILURE_EVENTS = {
    dg.DagsterEventType.STEP_FAILURE,
    dg.DagsterEventType.ASSET_CHECK_EVALUATION,
}


class AlertDeliveryError(RuntimeError):
    """An alert could not be delivered on a channel; the tick fails with this message."""


def partitions_of(run: dg.DagsterRun) -> str | None:
    """The run's export days as `first..last`, one day, or None (an unpartitioned run)."""
    first = run.tags.get(ASSET_PARTITION_RANGE_START_TAG)
    last = run.tags.get(ASSET_PARTITION_RANGE_END_TAG)
    if first and last:
        return first if first == last else f"{first}..{last}"
    return run.tags.get(PARTITION_NAME_TAG)


def run_alert(
    instance: dg.DagsterInstance,
    run: dg.DagsterRun,
    ui_url: str,
    run_error: dg.DagsterEvent | None = None,
) -> RunAlert:
    """The alert for a failed run: its failed steps and blocking checks, from its events.

    Args:
        run_error: the run's failure event, whose error explains a run that failed
            before or between steps (no step failed).
    """
    records = instance.all_logs(run.run_id, of_type=_FAILURE_EVENTS)
    failures = [step_failure(record.dagster_event) for record in records]
    failures = [failure for failure in failures if failure is not None]
    if not failures and run_error is not None:
        failures = [Failure("(run)", cause_line(run_error.event_specific_data.error))]
    return RunAlert(
        run_id=run.run_id,
        job=run.job_name,
        partitions=partitions_of(run),
        failures=tuple(failures),
        run_url=f"{ui_url.rstrip('/')}/runs/{run.run_id}",
    )


@dg.run_failure_sensor(
    name="run_failure_alerts",
    monitor_all_code_locations=True,
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description=__doc__,
)
def run_failure_alerts(context: dg.RunFailureSensorContext, settings: SettingsResource):
    alerts = settings.get().alerts
    channels = alert_channels(alerts, os.environ)
    run_id = context.dagster_run.run_id
    if not channels.names():
        return dg.SkipReason(
            f"run {run_id} failed; no alert sent: set alerts.smtp or alerts.webhook.url in "
            "the settings file (docs/alerts.md)"
        )
    alert = run_alert(context.instance, context.dagster_run, alerts.ui_url, context.failure_event)
    outcome = deliver(alert, channels)
    failed = {name: reason for name, reason in outcome.items() if reason is not None}
    for name, reason in failed.items():
        context.log.error(f"alert for run {run_id} not delivered by {name}: {reason}")
    if failed:
        raise AlertDeliveryError(
            f"alert for run {run_id} not delivered: "
            + "; ".join(f"{name}: {reason}" for name, reason in failed.items())
            + "".join(f"; delivered by {name}" for name, r in outcome.items() if r is None)
        )
    context.log.info(f"alert for run {run_id} delivered by {', '.join(outcome)}")
    return None
