"""What `orderpulse run` says when a run ends: the verdict, why it failed, the warnings,
and the outputs this run wrote. `summary_lines` is the text for a person, each part one
small function of the run's outcome, so a new part is one more function there;
`summary_record` is the same facts as one JSON object for a log collector."""

from __future__ import annotations

import time

from config.resources import RunPaths
from pipelines.runner import RunOutcome
from pipelines.step_display import json_line

# Warnings shown on the terminal; the rest are counted and left to the log file.
MAX_WARNINGS_SHOWN = 10
SITE_ASSET = "reports/site"  # writes the dashboards and the reorder list
ANALYST_COPY_ASSET = "reports/analyst_copy"  # the warehouse copy notebooks and analysts read


def run_status(outcome: RunOutcome) -> str:
    """The run's status: succeeded; blocked when failed blocking checks alone stopped it
    (a quality gate did its job); failed when anything else went wrong."""
    if outcome.success and not outcome.failures:
        return "succeeded"
    return "blocked" if outcome.stopped_by_checks else "failed"


_VERDICT = {
    "succeeded": "succeeded",
    "blocked": "BLOCKED by a failed quality check",
    "failed": "FAILED",
}


def verdict(outcome: RunOutcome) -> list[str]:
    days = f"export days {outcome.first_day} .. {outcome.last_day}"
    state = _VERDICT[run_status(outcome)]
    return [f"Run {outcome.run_id} ({days}) {state} in {outcome.seconds:.1f} s"]


def warnings(outcome: RunOutcome) -> list[str]:
    shown = [f"  warning: {line}" for line in outcome.warnings[:MAX_WARNINGS_SHOWN]]
    hidden = len(outcome.warnings) - len(shown)
    return shown + ([f"  ... and {hidden} more warnings in the log"] if hidden > 0 else [])


def skipped(outcome: RunOutcome) -> list[str]:
    """One line per feed the shop never sent: what to drop in and what it would unlock."""
    return [f"  skipped: {line}" for line in outcome.skipped_feeds]


def causes(outcome: RunOutcome) -> list[str]:
    """Why the run failed, one line per failed step or check, then where the details are."""
    if run_status(outcome) == "succeeded":
        return []
    lines = ["", "Why it failed:", *(f"  {failure}" for failure in outcome.failures)]
    if outcome.steps_not_run:
        lines.append(f"  {outcome.steps_not_run} steps after them did not run")
    if outcome.log_file is not None:
        lines.append(f"Details and tracebacks: {outcome.log_file}")
    return lines


def written(outcome: RunOutcome, paths: RunPaths) -> dict[str, str]:
    """{output: path} of the outputs this run wrote, with the run history and log file."""
    paths_of = {}
    if outcome.materialized:
        paths_of["warehouse"] = str(paths.warehouse)
    if SITE_ASSET in outcome.materialized:
        paths_of["dashboards"] = str(paths.site / "index.html")
        paths_of["reorder_list"] = str(paths.reorder_csv)
    if ANALYST_COPY_ASSET in outcome.materialized:
        paths_of["analyst_copy"] = str(paths.analyst_copy)
    paths_of["dagster_runs"] = str(paths.data / "dagster_home")
    if outcome.log_file is not None:
        paths_of["run_log"] = str(outcome.log_file)
    return paths_of


_OUTPUT_LINES = {
    "warehouse": "  warehouse        {}",
    "dashboards": "  dashboards       {}  (orderpulse serve / make serve)",
    "reorder_list": "  reorder list     {}",
    "analyst_copy": "  analyst copy     {}  (notebooks: make notebooks)",
    "dagster_runs": "  Dagster runs     {}  (make ui to browse them)",
    "run_log": "  run log          {}  (every message and traceback)",
}


def outputs(outcome: RunOutcome, paths: RunPaths) -> list[str]:
    """The outputs this run wrote; a run that stopped early leaves the others as they were."""
    return ["", "Outputs:"] + [
        _OUTPUT_LINES[name].format(path) for name, path in written(outcome, paths).items()
    ]


def summary_lines(outcome: RunOutcome, paths: RunPaths) -> list[str]:
    """The end-of-run summary; the causes of a failure come last, where a terminal shows them."""
    return [
        "",
        *verdict(outcome),
        *warnings(outcome),
        *skipped(outcome),
        *outputs(outcome, paths),
        *causes(outcome),
    ]


def summary_record(outcome: RunOutcome, paths: RunPaths, exit_code: int) -> str:
    """The run's end as one JSON line (`"event": "run_summary"`), for a log collector:
    everything `summary_lines` says, every warning included, and the exit code."""
    return json_line(
        "run_summary",
        time.time(),
        run_id=outcome.run_id,
        status=run_status(outcome),
        exit_code=exit_code,
        first_day=outcome.first_day,
        last_day=outcome.last_day,
        seconds=round(outcome.seconds, 3),
        failures=outcome.failures,
        steps_not_run=outcome.steps_not_run,
        warnings=outcome.warnings,
        skipped_feeds=outcome.skipped_feeds,
        outputs=written(outcome, paths),
    )
