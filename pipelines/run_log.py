"""What a CLI run says when it fails: the cause in one line, the traceback in a log file.

Dagster wraps an exception raised in a step in its own errors
(`DagsterExecutionStepExecutionError`, `DagsterResourceFunctionError`, ...). The cause a
person can act on is the first exception in that chain that is not Dagster's: the message
our code wrote, which names the file and the fix. `RunLogFile` keeps every event of the
run, tracebacks included, in `<data dir>/logs/run-<id>.log`, so the terminal needs only
the causes and the name of that file.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import traceback
from pathlib import Path

import dagster as dg
from dagster._core.events import DagsterEvent
from dagster._core.events.log import EventLogEntry
from dagster_shared.error import SerializableErrorInfo

from pipelines.alert_delivery import Failure
from pipelines.disk_full import disk_full_line

ROOT = Path(__file__).resolve().parents[1]
# Exceptions that mean a bug in our code rather than a message written for the user: the
# summary names their class and where they were raised, next to the log file.
PROGRAMMING_ERRORS = {
    "AssertionError",
    "AttributeError",
    "IndexError",
    "KeyError",
    "NameError",
    "NotImplementedError",
    "TypeError",
    "UnboundLocalError",
    "ZeroDivisionError",
}
# Lines of a cause's message shown on the terminal (a SQL error quotes its query).
MAX_CAUSE_LINES = 6
# Dagster's error when a blocking check fails: the check's own result says why.
CHECK_FAILED = "DagsterAssetCheckFailedError"
_FRAME = re.compile(r'File "([^"]+)", line (\d+)')


def _is_dagster(error: SerializableErrorInfo) -> bool:
    return error.cls_name.startswith("Dagster") or error.cls_name == "CheckError"


def root_cause(error: SerializableErrorInfo) -> SerializableErrorInfo:
    """The first exception of the chain that is not one of Dagster's wrappers (or the
    innermost one when all are Dagster's)."""
    current = error
    while _is_dagster(current) and (current.cause or current.context):
        current = current.cause or current.context
    return current


def _raised_at(error: SerializableErrorInfo) -> str | None:
    """`package/module.py:LINE` of the innermost frame in this project, outside the venv."""
    for frame in reversed(error.stack):
        match = _FRAME.search(frame)
        if match is None:
            continue
        path = Path(match.group(1))
        if path.is_relative_to(ROOT) and not path.is_relative_to(ROOT / ".venv"):
            return f"{path.relative_to(ROOT)}:{match.group(2)}"
    return None


def _chain_messages(error: SerializableErrorInfo) -> list[str]:
    """The messages of `error` and of the errors it was raised from or during."""
    messages, current = [], error
    while current is not None:
        messages.append(current.message)
        current = current.cause or current.context
    return messages


def cause_line(error: SerializableErrorInfo | None, data_dir: Path | None = None) -> str | None:
    """Why a step failed, in a line or a few; None for a failed blocking check (its check
    result carries the reason). A full disk is one line naming the folder and the fix
    (`data_dir`, when given, is the folder named for a file inside it)."""
    if error is None:
        return "unknown error"
    if error.cls_name == CHECK_FAILED:
        return None
    cause = root_cause(error)
    disk_full = disk_full_line(_chain_messages(cause), data_dir)
    if disk_full is not None:
        return disk_full
    # Dagster stores the message as Python prints it, after the qualified class name.
    text = re.sub(rf"^[\w.]*{re.escape(cause.cls_name)}: ?", "", cause.message.strip())
    lines = text.splitlines()[:MAX_CAUSE_LINES]
    message = "\n    ".join(line.rstrip() for line in lines)
    if cause.cls_name in PROGRAMMING_ERRORS or not message:
        where = _raised_at(cause)
        message = f"{cause.cls_name}: {message}" + (f" (raised at {where})" if where else "")
    return message


def step_failure(event: DagsterEvent, data_dir: Path | None = None) -> Failure | None:
    """The failure an event reports: a step's error (other than Dagster's "a blocking
    check failed", which the check's own evaluation explains) or an ERROR-severity check
    evaluation that did not pass; None for any other event."""
    step = (event.step_key or "").replace("__", ".")
    if event.event_type == dg.DagsterEventType.STEP_FAILURE:
        cause = cause_line(event.step_failure_data.error, data_dir)
        return Failure(step, cause) if cause is not None else None
    if event.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION:
        evaluation = event.event_specific_data
        if evaluation.passed or evaluation.severity == dg.AssetCheckSeverity.WARN:
            return None
        return Failure(step, evaluation.description or "", check_name(evaluation))
    return None


def check_name(evaluation) -> str:
    """`asset/key:check_name` of an asset check evaluation."""
    key = evaluation.asset_check_key
    return f"{key.asset_key.to_user_string()}:{key.name}"


def _error_of(entry: EventLogEntry) -> SerializableErrorInfo | None:
    event = entry.dagster_event
    data = event.event_specific_data if event is not None else None
    return getattr(data, "error", None) or entry.error_info


class RunLogFile:
    """An event listener that writes every event of a run, errors with their traceback,
    to one text file as the events are stored, and keeps the steps' warning messages.

    Writing the file never fails the run: when a write fails (a full disk) the file stops
    there and `write_error` keeps the error, for the summary to say the log is incomplete.
    """

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.warnings: list[str] = []  # "step: message" of each warning a step logged
        self.started_steps: set[str] = set()
        self.write_error: OSError | None = None
        self._file = path.open("w", encoding="utf-8")

    def __call__(self, entry: EventLogEntry) -> None:
        when = dt.datetime.fromtimestamp(entry.timestamp).isoformat(sep=" ", timespec="seconds")
        kind = entry.dagster_event.event_type_value if entry.dagster_event else "LOG"
        step = entry.step_key or "-"
        if kind == "STEP_START":
            self.started_steps.add(step)
        # Dagster's own "not executing" notices come from steps that never started.
        if kind == "LOG" and entry.level >= logging.WARNING and step in self.started_steps:
            self.warnings.append(f"{step.replace('__', '.')}: {entry.user_message}")
        level = logging.getLevelName(entry.level)
        text = f"{when} {level} {step} {kind}: {entry.user_message}\n"
        error = _error_of(entry)
        self._write(text + (error.to_string() + "\n" if error is not None else ""))

    def write_exception(self, error: BaseException) -> None:
        """Write an exception raised outside the run's steps, with its traceback."""
        self._write("".join(traceback.format_exception(error)))

    def _write(self, text: str) -> None:
        if self.write_error is not None:
            return
        try:
            self._file.write(text)
            self._file.flush()
        except OSError as error:
            self.write_error = error
            self.close()

    def close(self) -> None:
        try:
            self._file.close()  # closes the file even when flushing what is left fails
        except OSError as error:
            self.write_error = self.write_error or error
