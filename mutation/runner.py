"""Run the covering tests against one mutant at a time, the file restored afterwards.

The mutated text is written over the file in place (the project is installed editable, so
every test process imports the worktree's code). Before that, the original is saved under
`.mutation-restore/`; it is put back in a `finally` (Ctrl-C and SIGTERM included), and a run
that was killed outright is repaired by the next one (`restore_leftovers`). Python never
reuses stale bytecode: the mutated file gets an mtime of its own and the tests run with
PYTHONDONTWRITEBYTECODE, so the original's cached bytecode stays valid and is used again
once the file is back.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from mutation.mutant import Mutant

RESTORE_DIR = ".mutation-restore"
PYTEST_ARGS = ("-x", "-q", "-p", "no:cacheprovider", "-m", "not e2e and not browser")


@dataclass(frozen=True)
class Outcome:
    """`killed` is True when a test failed (or the run timed out); `status` says which.

    "not covered": no test runs the mutant's line, so nothing ran (the fork runner's).
    """

    mutant: Mutant
    status: str  # killed | timeout | survived | not covered
    seconds: float
    tests: int = 0  # how many tests ran (the fork runner's count; 0 when not known)

    @property
    def killed(self) -> bool:
        return self.status in ("killed", "timeout")


def pytest_command(tests: list[str]) -> list[str]:
    return [sys.executable, "-m", "pytest", *PYTEST_ARGS, *tests]


def run_tests(root: Path, tests: list[str], timeout: float) -> str:
    """`passed`, `failed` or `timeout` for the tests run from `root`."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    try:
        result = subprocess.run(
            pytest_command(tests),
            cwd=root,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return "timeout"
    return "passed" if result.returncode == 0 else "failed"


def restore_leftovers(root: Path) -> list[str]:
    """Put back files a killed run left mutated; returns their paths."""
    saved_dir = root / RESTORE_DIR
    restored = []
    for saved in sorted(p for p in saved_dir.rglob("*") if p.is_file()):
        relative = saved.relative_to(saved_dir)
        shutil.copy2(saved, root / relative)
        saved.unlink()
        restored.append(relative.as_posix())
    shutil.rmtree(saved_dir, ignore_errors=True)
    return restored


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt


def run_mutant(root: Path, mutant: Mutant, tests: list[str], timeout: float) -> Outcome:
    """Write the mutant over its file, run `tests`, and restore the file whatever happens."""
    target = root / mutant.path
    saved = root / RESTORE_DIR / mutant.path
    saved.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(target, saved)
    original_mtime = target.stat().st_mtime_ns
    previous_handler = signal.signal(signal.SIGTERM, _raise_interrupt)
    started = time.monotonic()
    try:
        target.write_text(mutant.text, encoding="utf-8")
        # An mtime no cached bytecode was compiled for, so the mutant is what gets imported.
        os.utime(target, ns=(time.time_ns(), original_mtime + 7_919_000_000))
        result = run_tests(root, tests, timeout)
    finally:
        shutil.copy2(saved, target)
        saved.unlink()
        signal.signal(signal.SIGTERM, previous_handler)
    status = {"passed": "survived", "failed": "killed", "timeout": "timeout"}[result]
    return Outcome(mutant, status, time.monotonic() - started)
