"""The fork runner gives the subprocess runner's verdicts while running only the tests that
execute each mutant's line.

A throwaway project is mutated in a separate Python process (the runner imports the project
and forks, which must not happen inside this test process): each planted mutant has the
verdict it must get.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

CALC = """\
RATE = 4


def rate(part, whole):
    return part / whole


def countdown(n):
    while n > 0:
        n -= 1
    return n


def unused(x):
    return x + 1


def _levels():
    return {"low": 1}


LEVELS = _levels()


def spec():
    return {"blocking": True}


RULES = {"upper": lambda s: s.upper()}
"""

# Builds an object from calc while it is imported, as a Dagster check's spec is built.
REGISTRY = """\
from calc import spec

SPEC = spec()
"""

USE = """\
from calc import LEVELS, RATE


def doubled():
    return 2 * RATE


def low():
    return LEVELS["low"]
"""

CONFTEST = """\
import pytest

from calc import rate


@pytest.fixture(scope="session")
def quarter():
    return rate(1, 4)
"""

# A test module that starts a thread when imported, as one using polars starts its pool.
TESTS = """\
import threading
import time

from calc import RULES, countdown
from registry import SPEC
from use import doubled, low

threading.Thread(target=time.sleep, args=(600,), daemon=True).start()


def test_uses_the_fixture_first(quarter):
    assert quarter is not None


def test_quarter(quarter):
    assert quarter == 0.25


def test_countdown():
    assert countdown(3) == 0


def test_doubled():
    assert doubled() == 8


def test_low():
    assert low() == 1


def test_spec():
    assert SPEC["blocking"] is True


def test_rule():
    assert RULES["upper"]("a") == "A"
"""

# A module no other module's import runs code of: its import-time mutants re-run their
# statement in the forked child.
SHAPES = """\
SIDES = 4
SQUARE = {"sides": SIDES}
"""

SHAPE_TESTS = """\
from shapes import SQUARE


def test_square():
    assert SQUARE["sides"] == 4
"""

# STARTED_BY stands for a thread pool or a cluster made at import, which a child forked
# from the runner (where pool was imported) does not have.
POOL = """\
import os

STARTED_BY = os.getpid()


def workers():
    return 2
"""

POOL_TESTS = """\
import asyncio
import os

from pool import STARTED_BY, workers


def test_workers_in_their_own_process():
    assert workers() >= 1
    assert STARTED_BY == os.getpid()


def test_workers_started_in_a_task():
    async def start():
        async with asyncio.timeout(5):
            return workers()

    assert asyncio.run(start()) >= 1
"""

# name -> (file, line, old text, new text)
MUTANTS = {
    "breaks the formula": ("calc.py", 5, "part / whole", "part * whole"),
    "changes nothing": ("calc.py", 5, "part / whole", "part / (whole)"),
    "on a line no test runs": ("calc.py", 15, "x + 1", "x - 1"),
    "in a constant read through an import": ("calc.py", 1, "RATE = 4", "RATE = 5"),
    "that never ends": ("calc.py", 10, "n -= 1", "n += 1"),
    "in a function only the import calls": ("calc.py", 19, '"low": 1', '"low": 2'),
    "in a function another module's import calls": ("calc.py", 26, "True", "False"),
    "in a lambda's body": ("calc.py", 29, "s.upper()", "s.lower()"),
    "in a constant another constant was built from": ("shapes.py", 1, "= 4", "= 5"),
    "run only by a test failing in any forked child": ("pool.py", 7, "2", "3"),
}

SCRIPT = """
import json, sys
from pathlib import Path
from mutation.fork_runner import ForkRunner, preload, trace
from mutation.mutant import Mutant

root = Path.cwd()
files = ["calc.py", "shapes.py", "pool.py"]
tests = {path: [f"tests/test_{path}"] for path in files}
line_map = trace(root, files, [t for path in files for t in tests[path]], timeout=120)
preload(root, line_map.modules)
runners = {path: ForkRunner(root, path, line_map, tests[path]) for path in files}
verdicts = {}
for name, (path, line, old, new) in json.loads(sys.argv[1]).items():
    runner = runners[path]
    mutant = Mutant(path, line, name, runner.original.replace(old, new, 1))
    outcome = runner.run(mutant, timeout_factor=3.0, min_timeout=5.0)
    verdicts[name] = {"status": outcome.status, "tests": runner.tests_for(mutant)}
runner = runners["calc.py"]
verdicts["can fork"] = runner.can_fork
verdicts["killers"] = runner.killers
verdicts["run fresh"] = sorted(runners["pool.py"].fork_unsafe)
verdicts["ordered"] = runner.ordered(
    ["tests/test_calc.py::test_uses_the_fixture_first", "tests/test_calc.py::test_countdown",
     "tests/test_calc.py::test_quarter"]
)
print(json.dumps(verdicts))
"""


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory) -> dict:
    project = tmp_path_factory.mktemp("project")
    (project / "calc.py").write_text(CALC)
    (project / "use.py").write_text(USE)
    (project / "registry.py").write_text(REGISTRY)
    (project / "tests").mkdir()
    (project / "tests" / "conftest.py").write_text(CONFTEST)
    (project / "tests" / "test_calc.py").write_text(TESTS)
    (project / "shapes.py").write_text(SHAPES)
    (project / "tests" / "test_shapes.py").write_text(SHAPE_TESTS)
    (project / "pool.py").write_text(POOL)
    (project / "tests" / "test_pool.py").write_text(POOL_TESTS)
    # One BLAS thread, as `python -m mutation` sets before numpy (a pytest plugin's import)
    # is loaded.
    env = {**os.environ, "PYTHONPATH": f"{project}{os.pathsep}{ROOT}", "OPENBLAS_NUM_THREADS": "1"}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, json.dumps(MUTANTS)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    # the files on disk are never left changed
    assert (project / "calc.py").read_text() == CALC
    assert (project / "shapes.py").read_text() == SHAPES
    assert (project / "pool.py").read_text() == POOL
    return json.loads(result.stdout.splitlines()[-1])


def test_a_mutant_that_breaks_the_formula_is_killed(verdicts):
    """A runner that ignored the forked child's exit code would let every mutant survive."""
    assert verdicts["breaks the formula"]["status"] == "killed"


def test_a_session_fixture_line_runs_every_test_using_the_fixture(verdicts):
    """The fixture ran during the first test, which asserts nothing: a map attributing its
    lines to that test alone would run it only, and let the formula mutant survive."""
    assert verdicts["breaks the formula"]["tests"] == [
        "tests/test_calc.py::test_uses_the_fixture_first",
        "tests/test_calc.py::test_quarter",
    ]


def test_a_mutant_no_test_notices_survives(verdicts):
    """An equivalent change passes every test: it must be reported as a survivor."""
    assert verdicts["changes nothing"]["status"] == "survived"


def test_a_line_no_test_runs_is_not_covered_without_running(verdicts):
    """A mutant on a line no test executes cannot be killed: it is a survivor, no test run."""
    assert verdicts["on a line no test runs"] == {"status": "not covered", "tests": []}


def test_a_constant_imported_by_name_elsewhere_is_rebound(verdicts):
    """use.py holds its own reference to RATE: a runner patching calc's namespace only
    would miss the mutant that `doubled` reads, where a fresh import sees it."""
    assert verdicts["in a constant read through an import"]["status"] == "killed"


def test_a_function_called_only_at_import_is_run_again(verdicts):
    """`_levels` runs once, when calc is imported: the trace of the tests never sees its
    line, so a runner that only patched its code would call the mutant not covered."""
    assert verdicts["in a function only the import calls"]["status"] == "killed"


def test_an_object_another_import_built_from_the_mutant_is_rebuilt(verdicts):
    """registry.SPEC was built when registry was imported: patching calc afterwards cannot
    change it, so the mutant must run in a fresh process that imports it mutated."""
    assert verdicts["in a function another module's import calls"]["status"] == "killed"


def test_a_mutant_that_loops_forever_is_killed_by_the_timeout(verdicts):
    """Without a timeout per mutant the run would hang; a hang counts as killed."""
    assert verdicts["that never ends"]["status"] == "timeout"


def test_a_lambda_body_runs_only_the_tests_that_call_it(verdicts):
    """The lambda's line also runs at import (where the lambda is made): a runner that
    took it for import-time code would run every test for it, as for a constant."""
    assert verdicts["in a lambda's body"] == {
        "status": "killed",
        "tests": ["tests/test_calc.py::test_rule"],
    }


def test_a_test_module_starting_a_thread_does_not_stop_forking(verdicts):
    """The runner imports the project, not the test modules (which may start a thread
    pool when imported, as polars does): a runner importing them would find the thread
    and run every mutant in a fresh interpreter, ten times slower."""
    assert verdicts["can fork"] is True


def test_the_tests_that_killed_earlier_mutants_run_first(verdicts):
    """The forked child reports the first failing test; a runner that lost it (or never
    passed the plugin to pytest) would start every mutant from the slowest file again.
    The constant's and the spec's mutants ran in a fresh process (another module's import
    used calc), which reports no test: the list holds the forked children's killers."""
    assert verdicts["killers"] == [
        "tests/test_calc.py::test_rule",
        "tests/test_calc.py::test_low",
        "tests/test_calc.py::test_quarter",
    ]
    assert verdicts["ordered"] == [
        "tests/test_calc.py::test_quarter",
        "tests/test_calc.py::test_uses_the_fixture_first",
        "tests/test_calc.py::test_countdown",
    ]


def test_an_import_time_survivor_is_confirmed_by_a_fresh_import(verdicts):
    """Re-running `SIDES = 5` in the child rebinds SIDES but not SQUARE, which was built
    from it at import (as ingest.formats.FORMATS holds each format built at import): the
    forked verdict is "survived", a fresh import of the mutant fails test_square."""
    assert verdicts["in a constant another constant was built from"]["status"] == "killed"


def test_a_test_failing_unmutated_in_a_forked_child_kills_nothing(verdicts):
    """The test fails in every forked child (what it needs was made before the fork), so
    a runner trusting any failure would call this harmless mutant killed; the test runs
    in a fresh process instead, where it passes."""
    assert verdicts["run only by a test failing in any forked child"]["status"] == "survived"
    assert verdicts["run fresh"] == ["tests/test_pool.py::test_workers_in_their_own_process"]


def test_asyncio_works_in_a_forked_child(verdicts):
    """The runner imports what the traced run imported, in that run's order: sorted by
    name, `_asyncio` would come before `asyncio`, and asyncio.timeout would fail in every
    child (as a Dask cluster's start did), so the task test would also be run fresh."""
    assert "tests/test_pool.py::test_workers_started_in_a_task" not in verdicts["run fresh"]


def test_test_files_run_whole_the_quickest_in_total_first():
    """b.py's one test (1.5 s) beats a.py's two (1 s each, 2 s in all): ordering single
    tests by their own seconds would interleave the files and set a.py's module fixtures
    up twice; ordering files by their quickest test would put a.py first."""
    from mutation.fork_runner import quickest_files_first

    tests = ["a.py::one", "b.py::only", "a.py::two"]
    durations = {"a.py::one": 1.0, "a.py::two": 1.0, "b.py::only": 1.5}
    assert quickest_files_first(tests, durations) == ["b.py::only", "a.py::one", "a.py::two"]
