"""Per-step wall time, CPU time, peak memory and rows of a Dagster run, metered in process.

The refresh job runs in this process (in-process executor), so the process's figures
are the step's: CPU time is `getrusage` (every thread: DuckDB's, polars', statsforecast's),
peak memory is the kernel's resident high-water mark (VmHWM), which writing "5" to
/proc/self/clear_refs resets at each step start. No sampling, nothing missed.
"""

from __future__ import annotations

import resource
import time
from dataclasses import dataclass, field
from pathlib import Path

from dagster import DagsterEventType
from dagster._core.events.log import EventLogEntry

_PROC = Path("/proc/self")


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def peak_rss_mb(reset: bool = False) -> float:
    """Peak resident memory of this process since the last reset, in MB (Linux).

    Args:
        reset: start a new peak from the current resident size after reading this one.
    """
    status = (_PROC / "status").read_text()
    kilobytes = next(
        int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM")
    )
    if reset:
        (_PROC / "clear_refs").write_text("5")
    return kilobytes / 1024


def since(started: float, cpu: float, **figures: object) -> dict[str, object]:
    """Wall and CPU seconds since `started`/`cpu` (time.perf_counter(), cpu_seconds()),
    the peak memory since the last reset, and the caller's own figures."""
    return {
        "wall_s": time.perf_counter() - started,
        "cpu_s": cpu_seconds() - cpu,
        "peak_mb": peak_rss_mb(),
        **figures,
    }


@dataclass
class StepFigures:
    """What one step cost; `dagster_s` is the part after its first asset event (Dagster
    storing the step's events and outputs), the rest is the asset's own work."""

    step: str
    wall_s: float = 0.0
    cpu_s: float = 0.0
    peak_mb: float = 0.0
    dagster_s: float = 0.0
    metadata: dict[str, object] = field(default_factory=dict)
    succeeded: bool = False


class StepMeter:
    """An event listener for `run_refresh(on_event=...)`: meters every step of one run and
    prints one line per finished step (a long run shows how far it got)."""

    def __init__(self) -> None:
        self.steps: dict[str, StepFigures] = {}
        self._started: dict[str, tuple[float, float]] = {}
        self._first_output: dict[str, float] = {}
        self.run_peak_mb = peak_rss_mb(reset=True)
        self.started = time.perf_counter()

    def __call__(self, entry: EventLogEntry) -> None:
        event = entry.dagster_event
        if event is None or event.step_key is None:
            return
        step, now = event.step_key, time.perf_counter()
        if event.event_type == DagsterEventType.STEP_START:
            self.run_peak_mb = max(self.run_peak_mb, peak_rss_mb(reset=True))
            self._started[step] = (now, cpu_seconds())
        elif event.event_type == DagsterEventType.ASSET_MATERIALIZATION:
            if step not in self._first_output:
                self._first_output[step] = now
                metadata = event.event_specific_data.materialization.metadata
                self.steps.setdefault(step, StepFigures(step)).metadata = {
                    name: value.value
                    for name, value in metadata.items()
                    if isinstance(value.value, int | float)
                }
        elif event.event_type in (DagsterEventType.STEP_SUCCESS, DagsterEventType.STEP_FAILURE):
            began, cpu = self._started.pop(step)
            figures = self.steps.setdefault(step, StepFigures(step))
            figures.wall_s = now - began
            figures.cpu_s = cpu_seconds() - cpu
            figures.peak_mb = peak_rss_mb()
            figures.dagster_s = now - self._first_output.get(step, now)
            figures.succeeded = event.event_type == DagsterEventType.STEP_SUCCESS
            self.run_peak_mb = max(self.run_peak_mb, figures.peak_mb)
            print(
                f"  {'ok' if figures.succeeded else 'FAILED'} {step}: {figures.wall_s:.1f} s wall, "
                f"{figures.cpu_s:.1f} s CPU, peak {figures.peak_mb:,.0f} MB "
                f"(run {time.perf_counter() - self.started:,.0f} s)",
                flush=True,
            )

    def finish(self) -> float:
        """The whole run's peak memory (MB), read once the run has returned."""
        self.run_peak_mb = max(self.run_peak_mb, peak_rss_mb())
        return self.run_peak_mb
