"""The fast runner for Python files: import once, then fork one test process per mutant.

1. a fresh process runs every candidate test once under a line tracer (mutation/line_map.py);
2. this process collects the candidate tests (so pytest, the project, its libraries and the
   test modules are imported once);
3. for each mutant a forked child hot-patches the mutated module (mutation/hot_patch.py)
   and runs, in process, only the tests during which the mutant's line ran; a mutant on a
   line no test runs is "not covered" and nothing runs. A mutant in code another module's
   import ran (a Dagster check's spec built at import) runs the slow way instead
   (mutation/runner.py: a fresh pytest, the mutated file written over the original).
A child that outlives its timeout is killed with its process group. Forking is safe only
while this process has one thread: this process runs no test itself, but when collecting
the tests started a thread pool (polars used by a test module at import), every mutant
runs in a fresh process instead (still only the tests of its line).
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from mutation.hot_patch import apply, live_functions
from mutation.line_map import OTHER_IMPORT_CONTEXT, LineMap, runtime_lines, statement_lines
from mutation.mutant import Mutant
from mutation.runner import PYTEST_ARGS, Outcome, run_mutant

PASSED, FAILED = 0, 1


def _quiet_pytest(args: list[str], plugins=()) -> int:
    """pytest in this process with its output thrown away; its exit code."""
    with open(os.devnull, "w") as devnull:
        os.dup2(devnull.fileno(), 1)
        os.dup2(devnull.fileno(), 2)
    return pytest.main(args, plugins=list(plugins))


def collect(root: Path, tests: list[str]) -> None:
    """Import every test module of `tests` (and so everything they import) in this process."""
    saved = os.dup(1), os.dup(2)
    try:
        with contextlib.chdir(root):
            _quiet_pytest([*PYTEST_ARGS, "--collect-only", *tests])
    finally:
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        os.close(saved[0])
        os.close(saved[1])


def in_child(root: Path, work, timeout: float) -> tuple[str, float]:
    """Run `work()` (returning an exit code) in a forked child: passed, failed or timeout."""
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:  # the child: never returns into the runner
        code = FAILED
        try:
            os.setpgid(0, 0)
            os.chdir(root)
            code = work()
        finally:
            os._exit(code)
    try:
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                seconds = time.monotonic() - started
                passed = os.waitstatus_to_exitcode(status) == PASSED
                return ("passed" if passed else "failed"), seconds
            if time.monotonic() - started > timeout:
                _kill(pid)
                return "timeout", time.monotonic() - started
            time.sleep(0.01)
    except BaseException:  # Ctrl-C or SIGTERM: take the child and its processes along
        _kill(pid)
        raise


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


def trace(root: Path, paths: list[str], tests: list[str], timeout: float) -> LineMap:
    """Run `tests` once, unmutated, traced from the start in a fresh process
    (mutation/line_map.py); which tests (and which imports) run which lines."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = Path(handle.name)
    command = [sys.executable, "-m", "mutation.line_map", str(out), *paths, "--", *tests]
    try:
        subprocess.run(
            command,
            cwd=root,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=timeout,
            check=True,
        )
        data = json.loads(out.read_text(encoding="utf-8"))
    finally:
        out.unlink(missing_ok=True)
    return LineMap(**data)


def _single_threaded() -> bool:
    """Whether this process runs one thread only, so a forked child can run anything.

    A test module that uses polars (or DuckDB) when imported starts its thread pool in
    this process; a forked child has no such threads and would wait for them forever, so
    then every mutant runs in a fresh process (the selected tests only, still).
    """
    tasks = Path("/proc/self/task")
    return len(list(tasks.iterdir())) == 1 if tasks.exists() else False


def _module_name(path: str) -> str:
    return path.removesuffix(".py").replace("/", ".")


class ForkRunner:
    """Runs the mutants of one file against the tests that execute each mutant's line."""

    def __init__(self, root: Path, path: str, line_map: LineMap, tests: list[str]):
        self.root, self.path, self.line_map, self.test_files = root, path, line_map, tests
        self.candidates = line_map.passing_in(tests)
        self.original = (root / path).read_text(encoding="utf-8")
        self.runtime = runtime_lines(self.original)
        self.module = importlib.import_module(_module_name(path))
        self.functions = live_functions(self.module.__file__)
        self.used_by_other_imports = line_map.used_by_other_imports(path)
        self.can_fork = _single_threaded()

    def _rerun(self, mutant: Mutant) -> str:
        """How the mutant gets into the tests' process (see hot_patch.apply).

        "subprocess" when other modules' imports use this module (built a spec, a list of
        definitions from it) and the mutant is in code an import runs: what they built
        cannot be patched, so a fresh process imports the mutant from disk.
        """
        lines = statement_lines(self.original, mutant.line)
        at_import = mutant.line not in self.runtime
        if self.used_by_other_imports and (
            at_import or self.line_map.run_at_import(self.path, lines, OTHER_IMPORT_CONTEXT)
        ):
            return "subprocess"
        if at_import:
            return "statement"
        return "module" if self.line_map.run_at_import(self.path, lines) else "none"

    def tests_for(self, mutant: Mutant) -> list[str]:
        """The tests to run against `mutant`: all for a line run at import, else its line's."""
        if self._rerun(mutant) != "none":
            return self.candidates
        lines = statement_lines(self.original, mutant.line)
        running = set(self.line_map.tests_running(self.path, lines))
        return [nodeid for nodeid in self.candidates if nodeid in running]

    def run(self, mutant: Mutant, timeout_factor: float, min_timeout: float) -> Outcome:
        tests = self.tests_for(mutant)
        if not tests:
            return Outcome(mutant, "not covered", 0.0)
        timeout = max(min_timeout, timeout_factor * self.line_map.seconds(tests))
        rerun = self._rerun(mutant)
        if rerun == "subprocess" or not self.can_fork:  # the slow runner's way
            startup = 60.0  # a fresh interpreter imports pytest, the project and its libraries
            selected = self.test_files if rerun == "subprocess" else tests
            outcome = run_mutant(self.root, mutant, selected, timeout + startup)
            return Outcome(mutant, outcome.status, outcome.seconds, tests=len(tests))

        def work() -> int:
            apply(self.module, self.original, mutant.text, mutant.line, rerun, self.functions)
            return PASSED if _quiet_pytest([*PYTEST_ARGS, *tests]) == 0 else FAILED

        result, seconds = in_child(self.root, work, timeout)
        status = {"passed": "survived", "failed": "killed", "timeout": "timeout"}[result]
        return Outcome(mutant, status, seconds, tests=len(tests))
