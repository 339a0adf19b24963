"""Tiny exports and helpers for the crash-recovery tests: the real CLI in a subprocess, a
kill at a chosen step, and a table-by-table comparison with a float tolerance."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str) -> list[str]:
    """The command line of `orderpulse` run by this interpreter."""
    return [sys.executable, "-m", "pipelines.cli", *args]


def run(exports: Path, data: Path, timeout: float, *extra: str) -> subprocess.CompletedProcess:
    """`orderpulse run` in a subprocess, failing the test if it outlives `timeout` s."""
    command = cli("run", "--exports", str(exports), "--data-dir", str(data), *extra)
    return subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
    )


def started_steps(data: Path) -> int:
    """How many steps the run logs in `<data>/logs` have started."""
    logs = list((data / "logs").glob("run-*.log")) if (data / "logs").is_dir() else []
    return sum(log.read_text(errors="replace").count(" STEP_START:") for log in logs)


def kill_at_step(exports: Path, data: Path, step: int, timeout: float = 120) -> bool:
    """Start `orderpulse run` and SIGKILL it once its `step`-th step has started; False
    when the run ended before that."""
    command = cli("run", "--exports", str(exports), "--data-dir", str(data), "--quiet")
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + timeout
    try:
        while process.poll() is None and time.monotonic() < deadline:
            if started_steps(data) >= step:
                os.kill(process.pid, signal.SIGKILL)
                process.wait()
                return True
            time.sleep(0.05)
        return False
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def copy_salt(source: Path, data: Path) -> None:
    """Give `data` the salt of `source`, so customer keys hash alike in both."""
    data.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source / "salt", data / "salt")
