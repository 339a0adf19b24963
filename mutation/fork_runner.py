"""The fast runner for Python files: import once, then fork one test process per mutant.

1. a fresh process runs every candidate test once under a line tracer (mutation/line_map.py);
2. this process imports every module that run imported except the test modules (so pytest,
   the project and its libraries are imported once);
3. for each mutant a forked child hot-patches the mutated module (mutation/hot_patch.py)
   and runs, in process, only the tests during which the mutant's line ran; a mutant on a
   line no test runs is "not covered" and nothing runs. The tests stop at the first
   failure, so their order decides what a killed mutant costs: the tests that killed
   this file's earlier mutants go first (neighbouring mutants tend to break the same
   test), then the rest, a test file at a time, the quickest files first (8 mutants of
   ingest/load.py and ingest/source.py: 203 -> 59 s, the same verdicts). A mutant in
   code another module's import ran (a Dagster check's spec built at import) runs the
   slow way instead (mutation/runner.py: a fresh pytest, the mutated file written over
   the original).
Two checks keep the forked verdicts equal to a fresh process's: a test that kills a
mutant is run once unmutated in a forked child (the first time it kills); if it fails
there too (something it needs does not survive a fork: a thread pool made before it),
it runs in a fresh process for every mutant instead. And a mutant of import-time code that
survives is confirmed by a fresh import: re-running its statement in the child cannot
reach objects built from the old value (another constant, a format kept in another
module's dict).
A child that outlives its timeout is killed with its process group. Forking is safe only
while this process runs no thread a child would wait for. The test modules are not
imported here because some start polars' thread pool when imported; the children import
them. Threads known to be safe across a fork (jemalloc's background threads, polars'
idle spill cleaner) are allowed; with any other thread every mutant runs in a fresh
process instead (still only the tests of its line). BLAS runs on one thread (set in
mutation/__main__.py before numpy is imported) for the same reason.
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
import warnings
from pathlib import Path

import pytest

from mutation.hot_patch import apply, changed_functions, live_functions
from mutation.line_map import (
    IMPORT_CONTEXT,
    OTHER_IMPORT_CONTEXT,
    LineMap,
    statement_lines,
)
from mutation.mutant import Mutant
from mutation.runner import PYTEST_ARGS, Outcome, run_mutant

PASSED, FAILED = 0, 1
# Threads that survive a fork harmlessly: jemalloc (polars' allocator) re-creates its
# background threads in a child; polars' spill cleaner only wakes to delete spilled files.
FORK_SAFE_THREADS = {"jemalloc_bg_thd", "polars-ooc-clea"}


def _quiet_pytest(args: list[str], plugins=()) -> int:
    """pytest in this process with its output thrown away; its exit code."""
    with open(os.devnull, "w") as devnull:
        os.dup2(devnull.fileno(), 1)
        os.dup2(devnull.fileno(), 2)
    return pytest.main(args, plugins=list(plugins))


def preload(root: Path, modules: list[str]) -> None:
    """Import `modules` (the traced run's imports, test modules left out) in this process."""
    with contextlib.chdir(root), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name in modules:
            with contextlib.suppress(Exception):
                importlib.import_module(name)


class FirstFailure:
    """A pytest plugin keeping the node id of the first test that failed (setup included)."""

    def __init__(self):
        self.nodeid: str | None = None

    def pytest_runtest_logreport(self, report) -> None:
        if report.failed and self.nodeid is None:
            self.nodeid = report.nodeid


def quickest_files_first(tests: list[str], durations: dict[str, float]) -> list[str]:
    """`tests` a file at a time (a module's fixtures set up once), the files in order of
    their tests' total traced seconds, each file's tests in their given order."""
    by_file: dict[str, list[str]] = {}
    for nodeid in tests:
        by_file.setdefault(nodeid.split("::")[0], []).append(nodeid)
    files = sorted(by_file.values(), key=lambda ids: sum(durations.get(i, 0.0) for i in ids))
    return [nodeid for ids in files for nodeid in ids]


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


def _fork_safe() -> bool:
    """Whether every thread of this process but the main one survives a fork harmlessly.

    A thread pool (polars', DuckDB's, BLAS's) started here would be missing in a forked
    child, which would wait for it forever: then every mutant runs in a fresh process
    (the selected tests only, still).
    """
    tasks = Path("/proc/self/task")
    if not tasks.exists():
        return False
    names = [(task / "comm").read_text().strip() for task in tasks.iterdir()]
    return len([name for name in names if name not in FORK_SAFE_THREADS]) == 1


def _module_name(path: str) -> str:
    return path.removesuffix(".py").replace("/", ".")


class ForkRunner:
    """Runs the mutants of one file against the tests that execute each mutant's line."""

    def __init__(self, root: Path, path: str, line_map: LineMap, tests: list[str]):
        self.root, self.path, self.line_map, self.test_files = root, path, line_map, tests
        self.candidates = line_map.passing_in(tests)
        self.original = (root / path).read_text(encoding="utf-8")
        self.module = importlib.import_module(_module_name(path))
        self.functions = live_functions(self.module.__file__)
        self.used_by_other_imports = line_map.used_by_other_imports(path)
        self.can_fork = _fork_safe()
        self.killers: list[str] = []  # tests that killed this file's mutants, latest first
        self.fork_safe: set[str] = set()  # killers seen passing unmutated in a forked child
        self.fork_unsafe: set[str] = set()  # tests failing there unmutated: run fresh

    def _rerun(self, mutant: Mutant) -> str:
        """How the mutant gets into the tests' process (see hot_patch.apply).

        A mutant inside function bodies only (lambdas included) needs nothing re-run,
        unless a module's import called one of them: its own ("module": run the module
        again) or another module's ("subprocess": what that import built from it cannot
        be patched, so a fresh process imports the mutant from disk). A mutant in code that
        runs at import re-runs its statement ("statement"), or runs in a fresh process when
        other modules' imports used this module.
        """
        functions = changed_functions(self.original, mutant.text, self.module.__file__)
        if functions is None:
            return "subprocess" if self.used_by_other_imports else "statement"
        ran = self.line_map.function_ran_at_import
        if any(ran(self.path, key, OTHER_IMPORT_CONTEXT) for key in functions):
            return "subprocess"
        if any(ran(self.path, key, IMPORT_CONTEXT) for key in functions):
            return "module"
        return "none"

    def tests_for(self, mutant: Mutant) -> list[str]:
        """The tests to run against `mutant`: all for a line run at import, else its line's."""
        if self._rerun(mutant) != "none":
            return self.candidates
        lines = statement_lines(self.original, mutant.line)
        running = set(self.line_map.tests_running(self.path, lines))
        return [nodeid for nodeid in self.candidates if nodeid in running]

    def ordered(self, tests: list[str]) -> list[str]:
        """`tests` in the order most likely to fail soon: earlier killers, quick files."""
        chosen = set(tests)
        first = [nodeid for nodeid in self.killers if nodeid in chosen]
        rest = [nodeid for nodeid in tests if nodeid not in first]
        return first + quickest_files_first(rest, self.line_map.durations)

    def _remember_killer(self, nodeid: str) -> None:
        if nodeid in self.killers:
            self.killers.remove(nodeid)
        self.killers.insert(0, nodeid)

    def run(self, mutant: Mutant, timeout_factor: float, min_timeout: float) -> Outcome:
        tests = self.tests_for(mutant)
        if not tests:
            return Outcome(mutant, "not covered", 0.0)
        timeout = max(min_timeout, timeout_factor * self.line_map.seconds(tests))
        rerun = self._rerun(mutant)
        if rerun == "subprocess" or not self.can_fork:  # the slow runner's way
            selected = self.test_files if rerun == "subprocess" else tests
            return self._fresh(mutant, selected, timeout, len(tests))

        seconds = 0.0
        while True:
            forked = [nodeid for nodeid in tests if nodeid not in self.fork_unsafe]
            if not forked:
                status = "survived"
                break
            status, spent, killer = self._forked(mutant, rerun, forked, timeout)
            seconds += spent
            if status != "killed" or not killer or self._passes_in_fork(killer, timeout):
                break  # a real verdict; a killer failing unmutated is left out next time
        if status == "survived" and rerun != "none":
            # Re-run import-time code cannot reach every object built from it (a format
            # registered in another module's dict, a constant another constant was
            # computed from): the survivor is confirmed by a fresh import of the mutant.
            return self._fresh(mutant, self.test_files, timeout, len(tests), seconds)
        if status == "survived" and (unsafe := [t for t in tests if t in self.fork_unsafe]):
            return self._fresh(mutant, unsafe, timeout, len(tests), seconds)
        if status == "killed" and killer:
            self._remember_killer(killer)
        return Outcome(mutant, status, seconds, tests=len(tests))

    def _fresh(
        self, mutant: Mutant, tests: list[str], timeout: float, count: int, spent: float = 0.0
    ) -> Outcome:
        """The slow runner's way: the mutant written to disk, a fresh pytest over `tests`."""
        startup = 60.0  # a fresh interpreter imports pytest, the project and its libraries
        outcome = run_mutant(self.root, mutant, tests, timeout + startup)
        return Outcome(mutant, outcome.status, spent + outcome.seconds, tests=count)

    def _forked(
        self, mutant: Mutant, rerun: str, tests: list[str], timeout: float
    ) -> tuple[str, float, str]:
        """The verdict of `tests` on `mutant` in a forked child, its seconds, the first
        failing test ("" when none failed or the child could not say)."""
        with tempfile.NamedTemporaryFile(suffix=".nodeid", delete=False) as handle:
            failure_file = Path(handle.name)

        def work() -> int:
            apply(self.module, self.original, mutant.text, mutant.line, rerun, self.functions)
            first_failure = FirstFailure()
            code = _quiet_pytest([*PYTEST_ARGS, *self.ordered(tests)], [first_failure])
            failure_file.write_text(first_failure.nodeid or "", encoding="utf-8")
            return PASSED if code == 0 else FAILED

        try:
            result, seconds = in_child(self.root, work, timeout)
            killer = failure_file.read_text(encoding="utf-8")
        finally:
            failure_file.unlink(missing_ok=True)
        status = {"passed": "survived", "failed": "killed", "timeout": "timeout"}[result]
        return status, seconds, killer

    def _passes_in_fork(self, nodeid: str, timeout: float) -> bool:
        """Whether `nodeid` passes unmutated in a forked child (asked once per test).

        A test that fails there anyway (something it needs does not survive a fork) would
        kill every mutant it runs against: it runs in a fresh process instead.
        """
        if nodeid not in self.fork_safe and nodeid not in self.fork_unsafe:
            result, _ = in_child(self.root, lambda: _quiet_pytest([*PYTEST_ARGS, nodeid]), timeout)
            (self.fork_safe if result == "passed" else self.fork_unsafe).add(nodeid)
            if result != "passed":
                print(f"  {nodeid} fails unmutated in a forked child: runs in a fresh process")
        return nodeid in self.fork_safe
