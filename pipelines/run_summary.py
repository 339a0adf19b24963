"""The lines `orderpulse run` prints when a run ends: the verdict, why it failed, the
warnings, and the outputs this run wrote. Each part is one small function of the run's
outcome, so a new part is one more function in `summary_lines`."""

from __future__ import annotations

from config.resources import RunPaths
from pipelines.runner import RunOutcome

# Warnings shown on the terminal; the rest are counted and left to the log file.
MAX_WARNINGS_SHOWN = 10
SITE_ASSET = "reports/site"  # writes the dashboards and the reorder list
ANALYST_COPY_ASSET = "reports/analyst_copy"  # the warehouse copy notebooks and analysts read


def verdict(outcome: RunOutcome) -> list[str]:
    state = "succeeded" if outcome.success and not outcome.failures else "FAILED"
    return [f"Run {outcome.run_id} {state} in {outcome.seconds:.1f} s"]


def warnings(outcome: RunOutcome) -> list[str]:
    shown = [f"  warning: {line}" for line in outcome.warnings[:MAX_WARNINGS_SHOWN]]
    hidden = len(outcome.warnings) - len(shown)
    return shown + ([f"  ... and {hidden} more warnings in the log"] if hidden > 0 else [])


def skipped(outcome: RunOutcome) -> list[str]:
    """One line per feed the shop never sent: what to drop in and what it would unlock."""
    return [f"  skipped: {line}" for line in outcome.skipped_feeds]


def causes(outcome: RunOutcome) -> list[str]:
    """Why the run failed, one line per failed step or check, then where the details are."""
    if outcome.success and not outcome.failures:
        return []
    lines = ["", "Why it failed:", *(f"  {failure}" for failure in outcome.failures)]
    if outcome.steps_not_run:
        lines.append(f"  {outcome.steps_not_run} steps after them did not run")
    if outcome.log_file is not None:
        lines.append(f"Details and tracebacks: {outcome.log_file}")
    return lines


def outputs(outcome: RunOutcome, paths: RunPaths) -> list[str]:
    """The outputs this run wrote; a run that stopped early leaves the others as they were."""
    lines = ["", "Outputs:"]
    if outcome.materialized:
        lines.append(f"  warehouse        {paths.warehouse}")
    if SITE_ASSET in outcome.materialized:
        lines.append(
            f"  dashboards       {paths.site / 'index.html'}  (orderpulse serve / make serve)"
        )
        lines.append(f"  reorder list     {paths.reorder_csv}")
    if ANALYST_COPY_ASSET in outcome.materialized:
        lines.append(f"  analyst copy     {paths.analyst_copy}  (notebooks: make notebooks)")
    lines.append(f"  Dagster runs     {paths.data / 'dagster_home'}  (make ui to browse them)")
    if outcome.log_file is not None:
        lines.append(f"  run log          {outcome.log_file}  (every message and traceback)")
    return lines


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
