"""Which test files read which SQL model, measured once per run: the SQL engine's tests.

The name rule of mutation/targets.py (every test file naming the model's table) is wide:
45 files for customers.sql, many of which only name the table in a fixture's text or load
the asset graph, and the browser tests among them. A model's SQL reaches DuckDB only by
being read from its file when a table is built (assets/warehouse.model_sql and the
incremental builds read it then, never once for all), so one pytest run over the candidate
files with an audit hook on `open` tells, for each model, the tests during which its file
was read: those are the tests a mutant of it can change. The run is a fresh process
(`python -m mutation.sql_reads OUT FILES... -- TESTS...`) writing what it saw as JSON.

A model's tests are the candidate files that must run, never fewer, because a test file is
kept whole when
- one of its tests read the model, or a fixture one of its tests uses did (a session
  fixture's warehouse serves every test asking for it). The whole file is kept, so a test
  reading a table an earlier test of its file built (module state) still runs;
- one of its tests started a process (the CLI tests): what the child reads is not seen;
- the model was read while test modules were imported by anything but the asset factory
  (assets/sql_asset.sql_asset): then every candidate file is kept.
The factory reads each model at import to derive the asset's deps (its table references)
and description (its leading comment). A mutant never touches a comment, and a mutant
that may change the table references (`mutant_may_change_references`) runs every
candidate.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from mutation.runner import PYTEST_ARGS

IMPORT_CONTEXT = "import"  # reads while test modules are imported, outside any test
FIXTURE_PREFIX = "fixture:"
FACTORY_READER = "asset factory"
# Audit events of a process being started (the os.* ones from the os module, the first
# from the subprocess module).
SPAWN_EVENTS = frozenset(
    ("subprocess.Popen", "os.system", "os.posix_spawn", "os.spawn", "os.exec", "os.fork")
)


def _read_by_factory() -> bool:
    """Whether the asset factory is on the stack: it reads a model to derive deps and
    a description while the definitions are imported."""
    frame = sys._getframe(2)
    while frame is not None:
        code = frame.f_code
        if code.co_name == "sql_asset" and code.co_filename.endswith("assets/sql_asset.py"):
            return True
        frame = frame.f_back
    return False


class ReadTracer:
    """A pytest plugin recording which tests, fixtures or imports read the given files."""

    def __init__(self, files: dict[str, str]):
        self.files = files  # real absolute path -> path relative to the root
        self.context = IMPORT_CONTEXT
        self.reads: dict[str, set[str]] = defaultdict(set)  # relative path -> contexts
        self.import_readers: dict[str, set[str]] = defaultdict(set)
        self.spawned: set[str] = set()
        self.fixtures: dict[str, list[str]] = {}
        self.failed: set[str] = set()
        self.durations: dict[str, float] = {}

    def audit(self, event: str, args: tuple) -> None:
        if event in SPAWN_EVENTS:
            self.spawned.add(self.context)
        if event != "open" or not isinstance(args[0], str | bytes | os.PathLike):
            return
        name = os.fsdecode(args[0])
        if not name.endswith(".sql"):
            return
        relative = self.files.get(os.path.realpath(name))
        if relative is None:
            return
        self.reads[relative].add(self.context)
        if self.context == IMPORT_CONTEXT:
            reader = FACTORY_READER if _read_by_factory() else sys._getframe(1).f_code.co_name
            self.import_readers[relative].add(reader)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_protocol(self, item, nextitem):
        self.context = item.nodeid
        self.fixtures[item.nodeid] = list(item.fixturenames)
        started = time.perf_counter()
        try:
            return (yield)
        finally:
            self.durations[item.nodeid] = time.perf_counter() - started
            self.context = IMPORT_CONTEXT

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

    def as_json(self) -> dict:
        return {
            "reads": {path: sorted(contexts) for path, contexts in self.reads.items()},
            "import_readers": {p: sorted(r) for p, r in self.import_readers.items()},
            "spawned": sorted(self.spawned),
            "fixtures": self.fixtures,
            "failed": sorted(self.failed),
            "durations": self.durations,
        }


def _test_file(nodeid: str) -> str:
    return nodeid.split("::")[0]


def _within(test_file: str, candidates: list[str]) -> bool:
    """Whether `test_file` is one of `candidates` (files, or folders holding it)."""
    return any(test_file == c or test_file.startswith(c.rstrip("/") + "/") for c in candidates)


@dataclass
class ReadMap:
    """The traced run's result: which candidate test files a model's mutants must run."""

    reads: dict[str, list[str]]
    import_readers: dict[str, list[str]]
    spawned: list[str]
    fixtures: dict[str, list[str]]
    failed: list[str] = field(default_factory=list)
    durations: dict[str, float] = field(default_factory=dict)

    def test_files(self, path: str, candidates: list[str]) -> list[str]:
        """The files of `candidates` to run for a mutant of the model `path` (see above),
        fastest first."""
        if set(self.import_readers.get(path, ())) - {FACTORY_READER}:
            return sorted(candidates)
        # a test that read the model, or started a process, directly or in a fixture it uses
        marked = set(self.reads.get(path, ())) | set(self.spawned)
        fixtures = {c.removeprefix(FIXTURE_PREFIX) for c in marked if c.startswith(FIXTURE_PREFIX)}
        keep = {
            _test_file(nodeid)
            for nodeid, names in self.fixtures.items()
            if nodeid in marked or fixtures & set(names)
        }
        return sorted((f for f in keep if _within(f, candidates)), key=self._file_seconds)

    def _file_seconds(self, test_file: str) -> tuple[float, str]:
        """A file's traced seconds: its files run fastest first, so a mutant is mostly
        killed (pytest stops at the first failure) before the slow files start."""
        seconds = sum(s for n, s in self.durations.items() if _test_file(n) == test_file)
        return seconds, test_file

    def without(self, tests: list[str]) -> ReadMap:
        """This map without the tests of the files or folders `tests` (to be traced again)."""

        def kept(nodeid: str) -> bool:
            return not _within(_test_file(nodeid), tests)

        return ReadMap(
            reads={p: [c for c in cs if kept(c)] for p, cs in self.reads.items()},
            import_readers=self.import_readers,
            spawned=[c for c in self.spawned if kept(c)],
            fixtures={n: f for n, f in self.fixtures.items() if kept(n)},
            failed=[n for n in self.failed if kept(n)],
            durations={n: s for n, s in self.durations.items() if kept(n)},
        )

    def merged(self, other: ReadMap) -> ReadMap:
        """This map and a trace of other tests together."""
        paths = set(self.reads) | set(other.reads)
        readers = set(self.import_readers) | set(other.import_readers)
        return ReadMap(
            reads={p: sorted({*self.reads.get(p, ()), *other.reads.get(p, ())}) for p in paths},
            import_readers={
                p: sorted({*self.import_readers.get(p, ()), *other.import_readers.get(p, ())})
                for p in readers
            },
            spawned=sorted({*self.spawned, *other.spawned}),
            fixtures={**self.fixtures, **other.fixtures},
            failed=sorted({*self.failed, *other.failed}),
            durations={**self.durations, **other.durations},
        )


def mutant_may_change_references(original: str, mutated: str) -> bool:
    """Whether a mutant may change the tables the model reads, which the asset factory
    derives (as the asset's deps) when the definitions are imported, outside any test: it
    may when the text it removes or replaces holds a `from` or a `join` (a dropped
    condition `and sku in (select sku from ...)`). Over-cautious on purpose: the project's
    own rule (assets/sql_references.py) is not imported here (mutation/ imports none of the
    project's code)."""
    prefix = len(os.path.commonprefix([original, mutated]))
    rest = len(os.path.commonprefix([original[prefix:][::-1], mutated[prefix:][::-1]]))
    changed = original[prefix : len(original) - rest]
    return re.search(r"\b(from|join)\b", changed, re.IGNORECASE) is not None


def trace_reads(root: Path, paths: list[str], tests: list[str], timeout: float) -> ReadMap:
    """Run `tests` once from `root` in a fresh process, recording the reads of `paths`."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "reads.json"
        command = [sys.executable, "-m", "mutation.sql_reads", str(out), *paths, "--", *tests]
        subprocess.run(
            command,
            cwd=root,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=timeout,
            check=True,
        )
        return ReadMap(**json.loads(out.read_text(encoding="utf-8")))


CACHE = ".mutation-reads.json"  # the traced runs so far, reused by the next run


def _stamp(root: Path, test: str) -> float:
    """The latest change of a test file, or of any file of a test folder."""
    path = root / test
    files = [path] if path.is_file() else list(path.rglob("*.py"))
    return max((f.stat().st_mtime for f in files), default=0.0)


def _code_stamp(root: Path) -> float:
    """The latest change of any Python file but the test files (traced one by one) and the
    mutation runner's other modules (they run no test): the project's code, the tests'
    helpers and conftest files, this tracer."""
    return max(
        (
            path.stat().st_mtime
            for path in root.rglob("*.py")
            if not path.name.startswith("test_")
            and ".venv" not in path.parts
            and (path.parent.name != "mutation" or path.name == "sql_reads.py")
        ),
        default=0.0,
    )


def cached_trace(root: Path, paths: list[str], tests: list[str], timeout: float) -> ReadMap:
    """`trace_reads`, tracing only the test files the last traces did not run unchanged.

    The cache (CACHE) keeps what was traced, the model files it recorded and each test
    file's change time when traced. A test file edited or added since is traced again (its
    old entries dropped) and merged in, so a re-run after writing a test traces that test
    only (fixture reads recorded for other files' tests stay recorded for them). Any other
    Python file changed since, or a model file the cache did not record, traces all again.
    """
    cache_path = root / CACHE
    stored = json.loads(cache_path.read_text(encoding="utf-8")) if cache_path.exists() else {}
    if stored.get("code") != _code_stamp(root) or not set(paths) <= set(stored["paths"]):
        stored = {}
    stamps: dict[str, float] = stored.get("stamps", {})
    stale = [t for t in tests if stamps.get(t) != _stamp(root, t)]
    if not stale:
        return ReadMap(**stored["reads"])
    models = sorted(set(paths) | set(stored.get("paths", [])))
    fresh = trace_reads(root, models, stale, timeout)
    merged = ReadMap(**stored["reads"]).without(stale).merged(fresh) if stored else fresh
    stamps.update({t: _stamp(root, t) for t in stale})
    stored = {"code": _code_stamp(root), "paths": models, "stamps": stamps}
    cache_path.write_text(json.dumps({**stored, "reads": merged.__dict__}), encoding="utf-8")
    return merged


def main(argv: list[str]) -> int:
    """The traced run of every test in TESTS, reads of FILES recorded (cwd: the root)."""
    out, rest = argv[0], argv[1:]
    split = rest.index("--")
    files, tests = rest[:split], rest[split + 1 :]
    root = Path.cwd()
    tracer = ReadTracer({os.path.realpath(root / f): f for f in files})
    sys.addaudithook(tracer.audit)
    # Every test runs (no -x): the baseline run of the selected files reports a failure.
    args = [arg for arg in PYTEST_ARGS if arg != "-x"]
    pytest.main([*args, "--continue-on-collection-errors", *tests], plugins=[tracer])
    Path(out).write_text(json.dumps(tracer.as_json()), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
