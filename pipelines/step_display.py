"""What a run shows while its steps run, one display per kind of reader.

- `ProgressBar`: a person at a terminal; a bar of the steps done, a line per finished step.
- `StepLines`: a file, a pipe, cron's mail or systemd's journal; one plain line per
  finished step (no carriage returns, no bar redrawn in place).
- `JsonSteps`: a log collector; one JSON object per line for the run's start and for each
  step's start, success and failure, with the time (UTC), run id and duration.

Each display is a Dagster event listener (`instance.add_event_listener`): it is called with
every event of the run as it is stored, in the thread that runs the steps, and shows the
step events among them. `terminal_display` picks the bar or the plain lines for a stream.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import dataclass
from typing import Protocol, TextIO

from dagster import DagsterEventType
from dagster._core.events.log import EventLogEntry
from tqdm import tqdm

from pipelines.run_log import CHECK_FAILED, cause_line

_STEP_EVENTS = {
    DagsterEventType.STEP_START: "start",
    DagsterEventType.STEP_SUCCESS: "success",
    DagsterEventType.STEP_FAILURE: "failure",
}


class StepDisplay(Protocol):
    """What `run_refresh` needs of a display: told the run's shape, then every event."""

    def start(self, run_id: str, total_steps: int, first_day: str, last_day: str) -> None: ...
    def __call__(self, entry: EventLogEntry) -> None: ...
    def close(self) -> None: ...


@dataclass(frozen=True)
class StepEvent:
    """One step's start, success or failure, as every display needs it."""

    kind: str  # "start", "success" or "failure"
    step: str  # the step as the summary names it, e.g. "raw.orders"
    at: float  # when it happened, seconds since the epoch
    seconds: float | None  # success and failure: time since the step started
    cause: str | None = None  # failure: why, in a line (None: a failed blocking check)
    blocked_by_check: bool = False  # failure: a blocking check of the step failed


def utc_time(timestamp: float) -> str:
    """An epoch timestamp as ISO 8601 in UTC to the millisecond, e.g. 2026-12-05T02:00:01.250Z."""
    moment = dt.datetime.fromtimestamp(timestamp, dt.UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def json_line(event: str, timestamp: float, **fields: object) -> str:
    """One JSON object on one line: the event's name and time first, then its fields."""
    return json.dumps({"event": event, "time": utc_time(timestamp), **fields})


class _StepListener:
    """The step events of a run, with each step's duration, handed to `show`."""

    def __init__(self, out: TextIO):
        self.out = out
        self._started: dict[str, float] = {}

    def start(self, run_id: str, total_steps: int, first_day: str, last_day: str) -> None:
        """Called once before the first step; plain lines need nothing then."""

    def __call__(self, entry: EventLogEntry) -> None:
        event = entry.dagster_event
        if event is None or event.event_type not in _STEP_EVENTS:
            return
        kind = _STEP_EVENTS[event.event_type]
        step = (event.step_key or "").replace("__", ".")
        if kind == "start":
            self._started[step] = entry.timestamp
        began = self._started.get(step)
        seconds = None if kind == "start" or began is None else entry.timestamp - began
        if kind == "failure":
            error = event.step_failure_data.error
            blocked = error is not None and error.cls_name == CHECK_FAILED
            self.show(StepEvent(kind, step, entry.timestamp, seconds, cause_line(error), blocked))
        else:
            self.show(StepEvent(kind, step, entry.timestamp, seconds))

    def show(self, event: StepEvent) -> None:
        raise NotImplementedError

    def close(self) -> None:
        self.out.flush()


def _finished_line(event: StepEvent) -> str:
    state = "done  " if event.kind == "success" else "FAILED"
    return f"  {state} {event.step}" + (
        f"  {event.seconds:.1f} s" if event.seconds is not None else ""
    )


class StepLines(_StepListener):
    """One plain line per finished step: `  done   raw.orders  0.4 s`, `  FAILED ...`."""

    def show(self, event: StepEvent) -> None:
        if event.kind != "start":
            print(_finished_line(event), file=self.out, flush=True)


class ProgressBar(_StepListener):
    """A bar of the steps done, named after the running step, above one line per finished step."""

    def start(self, run_id: str, total_steps: int, first_day: str, last_day: str) -> None:
        self._bar = tqdm(
            total=total_steps, unit="step", desc="starting", dynamic_ncols=True, file=self.out
        )

    def show(self, event: StepEvent) -> None:
        if event.kind == "start":
            self._bar.set_description(event.step)
            return
        if event.kind == "success":
            self._bar.update(1)
        self._bar.write(_finished_line(event), file=self.out)

    def close(self) -> None:
        self._bar.close()
        super().close()


class JsonSteps(_StepListener):
    """One JSON object per line: `run_start`, then `step_start`, `step_success` and
    `step_failure` of each step, each with `time` (UTC) and `run_id`."""

    def start(self, run_id: str, total_steps: int, first_day: str, last_day: str) -> None:
        self.run_id = run_id
        self._write(
            json_line(
                "run_start",
                time.time(),
                run_id=run_id,
                first_day=first_day,
                last_day=last_day,
                steps=total_steps,
            )
        )

    def show(self, event: StepEvent) -> None:
        fields: dict[str, object] = {"run_id": self.run_id, "step": event.step}
        if event.kind != "start":
            fields["seconds"] = None if event.seconds is None else round(event.seconds, 3)
        if event.kind == "failure":
            fields["error"] = event.cause
            fields["blocked_by_check"] = event.blocked_by_check
        self._write(json_line(f"step_{event.kind}", event.at, **fields))

    def _write(self, line: str) -> None:
        print(line, file=self.out, flush=True)


def terminal_display(out: TextIO) -> StepDisplay:
    """The bar when `out` is a terminal, plain lines when it is a file or a pipe."""
    return ProgressBar(out) if out.isatty() else StepLines(out)
