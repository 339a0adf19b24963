"""Which tests execute which line of the files under mutation, measured once per run.

One traced pytest run over every candidate test records, for each line of each target file,
the tests during which it ran. A fixture's lines count for every test that uses the fixture
(a session fixture runs once, during the first test that asks for it, yet every test using
its result may be the one that notices a wrong line). A mutant then runs only the tests of
its line; a mutant on a line no test runs cannot be killed and is reported without running.

The traced run is a fresh process, traced from before pytest imports anything, so the lines
run at import are known too, and whether the module's own import ran them or another
module's; so are the functions (and lambdas) that ran while a module was imported, which
tells a lambda's body (run when called) from the statement that creates it (run at import).
mutation/fork_runner.py decides from these how a mutant runs. The run also lists the modules
it imported, so the runner can import them once before forking. `python -m
mutation.line_map OUT FILES... -- TESTS...` is that run: it writes the map to OUT as JSON.
"""

from __future__ import annotations

import ast
import inspect
import json
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from mutation.runner import PYTEST_ARGS

FIXTURE_PREFIX = "fixture:"
IMPORT_CONTEXT = "import"  # lines run while the module itself was imported
OTHER_IMPORT_CONTEXT = "import by another module"  # lines another module's import ran


def _importing_module(frame) -> str | None:
    """The file whose module body (directly or through calls) runs `frame`, if any."""
    while frame is not None and frame.f_code.co_name != "<module>":
        frame = frame.f_back
    return None if frame is None else frame.f_code.co_filename


class LineTracer:
    """A pytest plugin recording, per (file, line), the tests and fixtures that ran it."""

    def __init__(self, files: set[str]):
        self.files = files  # absolute paths, as in code objects' co_filename
        self.context = IMPORT_CONTEXT  # until the first test starts: collection imports
        self.hits: dict[tuple[str, int], set[str]] = defaultdict(set)
        # (file, function's qualified name, its first line, import context) of every
        # function or lambda body that ran while a module was imported
        self.called_at_import: set[tuple[str, str, int, str]] = set()
        self.fixtures: dict[str, list[str]] = {}
        self.durations: dict[str, float] = {}
        self.failed: set[str] = set()

    def _trace_calls(self, frame, event, arg):
        return self._trace_lines if frame.f_code.co_filename in self.files else None

    def _trace_lines(self, frame, event, arg):
        if event == "line":
            context = self.context
            code = frame.f_code
            if context == IMPORT_CONTEXT and _importing_module(frame) != code.co_filename:
                context = OTHER_IMPORT_CONTEXT
            self.hits[(code.co_filename, frame.f_lineno)].add(context)
            if context in (IMPORT_CONTEXT, OTHER_IMPORT_CONTEXT) and is_function(code):
                self.called_at_import.add(
                    (code.co_filename, code.co_qualname, code.co_firstlineno, context)
                )
        return self._trace_lines

    def start(self) -> None:
        threading.settrace(self._trace_calls)
        sys.settrace(self._trace_calls)

    def stop(self) -> None:
        sys.settrace(None)
        threading.settrace(None)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_protocol(self, item, nextitem):
        self.context = item.nodeid
        self.fixtures[item.nodeid] = list(item.fixturenames)
        started = time.perf_counter()
        try:
            return (yield)
        finally:
            self.durations[item.nodeid] = time.perf_counter() - started
            self.context = ""

    @pytest.hookimpl(wrapper=True)
    def pytest_fixture_setup(self, fixturedef, request):
        outer, self.context = self.context, FIXTURE_PREFIX + fixturedef.argname
        try:
            return (yield)
        finally:
            self.context = outer

    def pytest_runtest_logreport(self, report) -> None:
        if report.failed:
            self.failed.add(report.nodeid)

    def as_json(self, root: str) -> dict:
        """Hits keyed by the file's path relative to `root`, for the parent process."""
        hits: dict[str, dict[str, list[str]]] = defaultdict(dict)
        for (path, line), contexts in self.hits.items():
            hits[path.removeprefix(root + "/")][str(line)] = sorted(contexts)
        called: dict[str, list] = defaultdict(list)
        for path, qualname, first_line, context in sorted(self.called_at_import):
            called[path.removeprefix(root + "/")].append([qualname, first_line, context])
        return {
            "hits": hits,
            "called_at_import": called,
            "modules": preloadable_modules(root),
            "fixtures": self.fixtures,
            "durations": self.durations,
            "failed": sorted(self.failed),
        }


def is_function(code) -> bool:
    """Whether `code` is a function's, a lambda's or a comprehension's body (runs when
    called), not a module's or a class body's (runs at import)."""
    return bool(code.co_flags & inspect.CO_NEWLOCALS)


def preloadable_modules(root: str) -> list[str]:
    """The modules imported now that the runner may import before forking: everything but
    the tests themselves (a test module may start threads when imported, e.g. polars'
    pool, and a forked child would wait for them forever) and this runner.

    They stay in the order they were imported: sorted, a C accelerator would come before
    its package (`_asyncio` before `asyncio`), and asyncio imported that way keeps its
    running tasks where its own `current_task` does not look, so `asyncio.timeout` fails
    in every forked child ("Timeout should be used inside a task": a Dask cluster cannot
    start)."""
    names = []
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None) or ""
        if name == "__main__" or name.startswith(("mutation", "conftest", "tests")):
            continue
        if path.startswith(root + "/tests/"):
            continue
        names.append(name)
    return names


def statement_lines(source: str, line: int) -> range:
    """The lines of the innermost statement holding `line` (a compound one's header only).

    A trace reports a multi-line statement on some of its lines only, so a mutant on any of
    them counts as run when any is.
    """
    best: range | None = None
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.stmt) or not node.lineno <= line <= node.end_lineno:
            continue
        body = getattr(node, "body", None)
        end = body[0].lineno - 1 if isinstance(body, list) and body else node.end_lineno
        header = range(node.lineno, max(end, node.lineno) + 1)
        if line in header and (best is None or len(header) < len(best)):
            best = header
    return best or range(line, line + 1)


@dataclass
class LineMap:
    """The traced run's result: which tests to run for a mutant on a given line."""

    hits: dict[str, dict[str, list[str]]]
    fixtures: dict[str, list[str]]
    durations: dict[str, float]
    failed: list[str]
    called_at_import: dict[str, list] = field(default_factory=dict)
    modules: list[str] = field(default_factory=list)
    _users: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self):
        users = defaultdict(list)
        for nodeid, names in self.fixtures.items():
            for name in names:
                users[name].append(nodeid)
        self._users = dict(users)

    @property
    def passing(self) -> list[str]:
        """Every test that ran and passed unmutated, in the order pytest ran them."""
        failed = set(self.failed)
        return [nodeid for nodeid in self.durations if nodeid not in failed]

    def passing_in(self, tests: list[str]) -> list[str]:
        """The passing tests in the test files or folders `tests`."""
        prefixes = tuple(t if t.endswith(".py") else t.rstrip("/") + "/" for t in tests)
        return [n for n in self.passing if n.split("::")[0].startswith(prefixes)]

    def function_ran_at_import(self, path: str, key: tuple[str, int], context: str) -> bool:
        """Whether the function (or lambda) `key` = (qualified name, first line) of `path`
        ran while a module was imported: its own module (IMPORT_CONTEXT) or another."""
        return [*key, context] in self.called_at_import.get(path, [])

    def used_by_other_imports(self, path: str) -> bool:
        """Whether another module's import ran code of `path`: objects built then from it
        (a check's spec, a list of definitions) cannot be patched after the fact."""
        return any(OTHER_IMPORT_CONTEXT in c for c in self.hits.get(path, {}).values())

    def tests_running(self, path: str, lines: range) -> list[str]:
        """The passing tests (in run order) during which any of `lines` of `path` ran."""
        selected: set[str] = set()
        for line in lines:
            for context in self.hits.get(path, {}).get(str(line), ()):
                if context.startswith(FIXTURE_PREFIX):
                    selected.update(self._users.get(context.removeprefix(FIXTURE_PREFIX), ()))
                elif context and context not in (IMPORT_CONTEXT, OTHER_IMPORT_CONTEXT):
                    selected.add(context)
        return [nodeid for nodeid in self.passing if nodeid in selected]

    def seconds(self, nodeids: list[str]) -> float:
        """How long `nodeids` took in the traced run (an overestimate: tracing is slow)."""
        return sum(self.durations.get(nodeid, 0.0) for nodeid in nodeids)


def main(argv: list[str]) -> int:
    """The traced run of every test in TESTS, lines of FILES recorded (cwd: the root)."""
    out, rest = argv[0], argv[1:]
    split = rest.index("--")
    files, tests = rest[:split], rest[split + 1 :]
    root = str(Path.cwd())
    tracer = LineTracer({f"{root}/{path}" for path in files})
    tracer.start()
    # Every test runs (no -x): a failing one is left out of every mutant's tests.
    args = [arg for arg in PYTEST_ARGS if arg != "-x"]
    pytest.main([*args, "--continue-on-collection-errors", *tests], plugins=[tracer])
    tracer.stop()
    Path(out).write_text(json.dumps(tracer.as_json(root)), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
