"""The SQL engine runs the covering test files that read a model, and never drops one that
could see a mutant of it: a later user of a fixture that read it, a test starting a process,
a model read while test modules are imported."""

from __future__ import annotations

import pytest

from mutation.sql_reads import cached_trace, mutant_may_change_references, trace_reads

CONFTEST = """\
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def built():
    return Path("model.sql").read_text()
"""

FILES = {
    # reads the model in one test; its other test reads nothing and is slow
    "test_direct.py": (
        "import time\nfrom pathlib import Path\n\n"
        "def test_reads():\n    assert Path('model.sql').read_text()\n\n"
        "def test_reads_nothing():\n    time.sleep(4)\n"
    ),
    # the fixture's first user: the read happens while the fixture is set up
    "test_fixture_first.py": "def test_first(built):\n    assert built\n",
    # a later user of the same session fixture: it reads nothing itself
    "test_fixture_later.py": "def test_later(built):\n    assert 'select' in built\n",
    "test_spawns.py": (
        "import subprocess, sys\n\n"
        "def test_child():\n    subprocess.run([sys.executable, '-c', 'pass'], check=True)\n"
    ),
    "test_other_model.py": (
        "from pathlib import Path\n\ndef test_other():\n    assert Path('other.sql').read_text()\n"
    ),
    # names the model's table in its text, never reads the file
    "test_names_only.py": "def test_named():\n    assert 'model' in 'select * from marts.model'\n",
    # reads a model when imported, outside any test
    "test_import_read.py": (
        "from pathlib import Path\n\n"
        "TEXT = Path('imported.sql').read_text()\n\n"
        "def test_text():\n    assert TEXT\n"
    ),
}


@pytest.fixture(scope="module")
def read_map(tmp_path_factory):
    project = tmp_path_factory.mktemp("project")
    for name in ("model.sql", "other.sql", "imported.sql"):
        (project / name).write_text("select 1 as x\n")
    (project / "tests").mkdir()
    (project / "tests" / "conftest.py").write_text(CONFTEST)
    for name, text in FILES.items():
        (project / "tests" / name).write_text(text)
    return trace_reads(project, ["model.sql", "other.sql", "imported.sql"], ["tests"], 300)


CANDIDATES = [f"tests/{name}" for name in FILES]


def test_a_model_runs_the_files_that_read_it_or_start_a_process(read_map):
    """A selection by name would run test_names_only.py (never reads the model) and a
    selection by test would drop test_fixture_later.py, whose test reads what the session
    fixture read during test_first: a mutant it could kill would survive."""
    assert sorted(read_map.test_files("model.sql", CANDIDATES)) == [
        "tests/test_direct.py",
        "tests/test_fixture_first.py",
        "tests/test_fixture_later.py",
        "tests/test_spawns.py",
    ]


def test_the_slowest_file_runs_last(read_map):
    """pytest stops at a mutant's first failing test: a slow file run first would make
    every killed mutant wait for it."""
    assert read_map.test_files("model.sql", CANDIDATES)[-1] == "tests/test_direct.py"


def test_a_model_read_by_one_file_only_runs_that_file_and_the_process_starter(read_map):
    """A tracer attributing reads to the wrong test would pick test_direct.py here."""
    assert sorted(read_map.test_files("other.sql", CANDIDATES)) == [
        "tests/test_other_model.py",
        "tests/test_spawns.py",
    ]


def test_a_model_read_at_import_runs_every_candidate(read_map):
    """The test module read the model while imported and kept its text in a constant:
    which tests use it is unknown, so dropping any could let a mutant survive."""
    assert sorted(read_map.test_files("imported.sql", CANDIDATES)) == sorted(CANDIDATES)


def test_only_the_candidates_are_ever_run(read_map):
    """The trace narrows the candidate files, it never adds a test the name rule left out."""
    assert read_map.test_files("model.sql", ["tests/test_direct.py"]) == ["tests/test_direct.py"]


def test_a_dropped_condition_holding_a_subquery_may_change_the_references():
    """The asset's deps come from the model's `from`/`join`s at import: a mutant dropping
    `and sku in (select sku from staging.stg_catalog)` changes them, so it must run every
    candidate (the graph tests among them), not only the files that read the model."""
    original = "select *\nfrom staging.a\nwhere x\n  and sku in (select sku from staging.b)\n"
    dropped = original.replace("  and sku in (select sku from staging.b)\n", "")
    swapped = original.replace("where x", "where y")
    assert mutant_may_change_references(original, dropped)
    assert not mutant_may_change_references(original, swapped)


def test_a_rerun_traces_only_the_test_file_written_since(tmp_path):
    """A cache that dropped the earlier file's reads when tracing the new one would narrow
    the next run to the new file; one ignoring the new file would never run it."""
    (tmp_path / "model.sql").write_text("select 1 as x\n")
    (tmp_path / "tests").mkdir()
    reader = (
        "from pathlib import Path\n\ndef test_it():\n    assert Path('model.sql').read_text()\n"
    )
    (tmp_path / "tests" / "test_a.py").write_text(reader)
    first = cached_trace(tmp_path, ["model.sql"], ["tests/test_a.py"], 300)
    (tmp_path / "tests" / "test_b.py").write_text(reader)
    both = ["tests/test_a.py", "tests/test_b.py"]
    second = cached_trace(tmp_path, ["model.sql"], both, 300)
    assert sorted(second.test_files("model.sql", both)) == both
    # test_a.py was not run again: its traced time is the first trace's
    assert (
        second.durations["tests/test_a.py::test_it"] == first.durations["tests/test_a.py::test_it"]
    )
