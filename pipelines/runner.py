"""Run the refresh job in this process against a persistent Dagster instance, showing
each step as it runs (pipelines/step_display.py: a progress bar on a terminal, plain lines
otherwise). The runs land in `<data dir>/dagster_home`, so `make ui` shows them afterwards
like any run launched from the UI."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg
import yaml
from dagster import DagsterEventType
from dagster._core.events.log import EventLogEntry
from dagster._core.instance.ref import InstanceRef

from config.partitions import check_export_days
from config.private_files import create_files_owner_only
from config.resources import RunPaths, SettingsResource
from contract.feeds import missing_feed_line, missing_feeds
from pipelines.definitions import build_definitions
from pipelines.disk_full import disk_full_line, exception_messages
from pipelines.jobs import REFRESH_JOB_NAME
from pipelines.recovery import prepare_run, process_tags
from pipelines.retention import prune_history
from pipelines.run_log import RunLogFile, cause_line, check_name, step_failure
from pipelines.sensors import range_tags
from pipelines.step_display import StepDisplay, terminal_display
from quality.check_scope import FULL_CHECKS_TAG
from warehouse.connect import connect

INSTANCE_TEMPLATE = Path(__file__).resolve().parents[1] / "dagster.yaml"


@dataclass
class RunOutcome:
    """What a run did, for the summary at its end."""

    run_id: str
    success: bool
    failures: list[str]  # the cause of each failed step, and failed ERROR-severity checks
    seconds: float
    # failed WARN-severity checks (e.g. freshness) and the steps' warning messages
    warnings: list[str] = field(default_factory=list)
    log_file: Path | None = None  # every event of the run, tracebacks included
    materialized: frozenset[str] = frozenset()  # asset keys written, e.g. "reports/site"
    steps_not_run: int = 0  # steps that did not start because a step before them failed
    skipped_feeds: list[str] = field(default_factory=list)  # one line per feed never sent
    # True when every failure is a failed blocking check: each failed step failed on one
    # of its checks and nothing else went wrong (a quality gate stopped the run on purpose).
    stopped_by_checks: bool = False
    first_day: str = ""  # the export days the run loaded, YYYY-MM-DD
    last_day: str = ""


def instance_for(paths: RunPaths) -> dg.DagsterInstance:
    """The Dagster instance under `<data dir>/dagster_home`, created from dagster.yaml.

    The repository's dagster.yaml names pipelines/run_history.py's storage (the stock
    SQLite layout, the per-day events of a range run stored in batches); a dagster.yaml
    copied before it did, naming no storage, gets it too. One naming its own storage
    (PostgreSQL in production) is used as it is.
    """
    home = paths.ensure_data_dir() / "dagster_home"
    home.mkdir(exist_ok=True)
    if not (home / "dagster.yaml").exists():
        shutil.copyfile(INSTANCE_TEMPLATE, home / "dagster.yaml")
    os.environ["DAGSTER_HOME"] = str(home)
    config = yaml.safe_load((home / "dagster.yaml").read_text()) or {}
    if {"storage", "run_storage", "event_log_storage"} & set(config):
        return dg.DagsterInstance.get()
    batched = {
        "module": "pipelines.run_history",
        "class": "BatchedSqliteEventLogStorage",
        "config": {"base_dir": str(home / "history" / "runs")},
    }
    return dg.DagsterInstance.from_ref(
        InstanceRef.from_dir(str(home), overrides={"event_log_storage": batched})
    )


def run_refresh(
    paths: RunPaths,
    first_day: str,
    last_day: str,
    progress: bool | StepDisplay = True,
    on_event: Callable[[EventLogEntry], None] | None = None,
    settings: SettingsResource | None = None,
    full_checks: bool = False,
) -> RunOutcome:
    """Materialize every asset, loading the export days `first_day`..`last_day` (YYYY-MM-DD).

    `full_checks` makes every asset check validate whole tables, not only the rows the run
    wrote (quality/check_scope.py).

    `progress` is True for the display that suits stdout (a bar on a terminal, plain lines
    otherwise), False for none, or a display of pipelines/step_display.py. `on_event` is
    called with every event of the run as it is stored, in the thread that runs the steps
    (bench/ meters each step with it). `settings` defaults to the documented defaults.

    Raises:
        SettingsError: a bad settings file, before any run starts.
        HistoryRangeError: export days outside the partitions (history.first_day), before
            any run starts.
        WarehouseBusyError: a live run or another process held the warehouse for longer
            than warehouse.lock_timeout_seconds, before any run starts.
    """
    settings = settings or SettingsResource()
    check_export_days(
        settings.get().history, dt.date.fromisoformat(first_day), dt.date.fromisoformat(last_day)
    )
    job = build_definitions(paths, settings).resolve_job_def(REFRESH_JOB_NAME)
    create_files_owner_only()
    run_id = str(uuid.uuid4())
    started = time.perf_counter()
    instance = None
    try:
        instance = instance_for(paths)
        # Recover what killed runs left, then wait for the warehouse (WarehouseBusyError).
        timeout = settings.get().warehouse.lock_timeout_seconds
        prepare_run(instance, paths, timeout, lambda line: print(line, flush=True))
        log = RunLogFile(paths.run_log(run_id))
    except Exception as error:
        if instance is not None:
            instance.dispose()
        if disk_full_line(exception_messages(error), paths.data) is None:
            raise
        return _not_started(run_id, error, paths, time.perf_counter() - started, None)
    display = terminal_display(sys.stdout) if progress is True else progress or None
    for listener in (log, on_event, display):
        if listener is not None:
            instance.add_event_listener(run_id, listener)
    if display is not None:
        display.start(run_id, len(job.graph.nodes), first_day, last_day)
    try:
        result = job.execute_in_process(
            instance=instance,
            run_id=run_id,
            tags={
                **range_tags(first_day, last_day),
                **process_tags(),
                **({FULL_CHECKS_TAG: "true"} if full_checks else {}),
            },
            raise_on_error=False,
            # The display shows the steps and the CLI the summary; every message is in the log.
            run_config={"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}},
        )
    except Exception as error:  # noqa: BLE001 - whatever stopped the run, the log keeps its traceback
        log.write_exception(error)
        outcome = _not_started(run_id, error, paths, time.perf_counter() - started, log)
    else:
        outcome = _outcome(run_id, result, time.perf_counter() - started, log, paths)
        outcome.steps_not_run = len(job.graph.nodes) - len(log.started_steps)
        outcome.skipped_feeds = skipped_feed_lines(paths)
    finally:
        if display is not None:
            display.close()
        log.close()
    if log.write_error is not None:
        outcome.warnings.append(f"the run log {log.path} is incomplete: {log.write_error}")
    outcome.first_day, outcome.last_day = first_day, last_day
    try:
        outcome.warnings.extend(prune_history(instance, paths, settings.get()))
    finally:
        # The run history keeps its files open between writes (pipelines/run_history.py):
        # closed here, so nothing of the data folder stays open once the run is over.
        instance.dispose()
    return outcome


def _not_started(
    run_id: str, error: Exception, paths: RunPaths, seconds: float, log: RunLogFile | None
) -> RunOutcome:
    """The outcome of a run that Dagster could not start or carry on (its own storage
    failed, e.g. on a full disk), with the error's first line as the cause."""
    text = str(error).strip()
    cause = disk_full_line(exception_messages(error), paths.data)
    if cause is None:
        cause = f"the run did not start: {text.splitlines()[0] if text else type(error).__name__}"
    return RunOutcome(run_id, False, [cause], seconds, log_file=log.path if log else None)


def _outcome(run_id: str, result, seconds: float, log: RunLogFile, paths: RunPaths) -> RunOutcome:
    """The causes of failure, the warnings and the assets written, from the run's events.

    A step stopped by a failed blocking check fails with Dagster's check error, which adds
    no cause of its own: the check's result says why. The run was stopped by checks alone
    when some blocking check failed and no step or run failure had another cause.
    """
    failures, warnings, materialized = [], list(log.warnings), set()
    failed_checks = other_causes = 0
    for event in result.all_events:
        failure = step_failure(event, paths.data)
        if failure is not None:
            failures.append(failure.line())
            if failure.check is None:
                other_causes += 1
            else:
                failed_checks += 1
        elif event.event_type == DagsterEventType.ASSET_MATERIALIZATION:
            materialized.add(event.asset_key.to_user_string())
        elif event.event_type == DagsterEventType.ASSET_CHECK_EVALUATION:
            evaluation = event.event_specific_data
            if not evaluation.passed:  # a WARN-severity check: blocking ones are failures
                warnings.append(f"check {check_name(evaluation)} failed: {evaluation.description}")
        elif event.event_type == DagsterEventType.RUN_FAILURE and not failures:
            cause = cause_line(event.event_specific_data.error, paths.data)
            failures.append(f"the run failed: {cause}")
            other_causes += 1
    return RunOutcome(
        run_id,
        result.success,
        failures,
        seconds,
        warnings,
        log_file=log.path,
        materialized=frozenset(materialized),
        stopped_by_checks=failed_checks > 0 and other_causes == 0,
    )


def skipped_feed_lines(paths: RunPaths) -> list[str]:
    """What the run skipped: one line per feed never sent, naming what it would unlock."""
    if not paths.warehouse.exists():
        return []
    with connect(paths.warehouse, read_only=True) as con:
        return [missing_feed_line(kind) for kind in missing_feeds(con)]
