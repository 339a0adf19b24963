"""The runner kills a mutant when a test fails, lets it survive when none does, and always
puts the original file back."""

from __future__ import annotations

import pytest

from mutation.mutant import Mutant
from mutation.runner import RESTORE_DIR, restore_leftovers, run_mutant

ORIGINAL = "def rate(part, whole):\n    return part / whole\n"


@pytest.fixture
def project(tmp_path):
    """A throwaway project: one module and one test that pins its formula."""
    (tmp_path / "calc.py").write_text(ORIGINAL)
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "test_calc.py").write_text(
        "from calc import rate\n\ndef test_rate():\n    assert rate(1, 4) == 0.25\n"
    )
    return tmp_path


def test_a_mutant_that_breaks_the_formula_is_killed(project):
    """A runner that ignored the test's exit code would call every mutant killed or none."""
    mutant = Mutant("calc.py", 2, "/ -> *", ORIGINAL.replace("/", "*"))
    outcome = run_mutant(project, mutant, ["tests"], timeout=60)
    assert outcome.status == "killed"
    assert (project / "calc.py").read_text() == ORIGINAL


def test_a_mutant_no_test_notices_survives(project):
    """An equivalent change passes every test: it must be reported as a survivor."""
    mutant = Mutant("calc.py", 2, "whole -> (whole)", ORIGINAL.replace("/ whole", "/ (whole)"))
    outcome = run_mutant(project, mutant, ["tests"], timeout=60)
    assert outcome.status == "survived"
    assert (project / "calc.py").read_text() == ORIGINAL


def test_a_file_left_mutated_by_a_killed_run_is_restored(project):
    """A run stopped with SIGKILL cannot restore in `finally`; the next run must."""
    saved = project / RESTORE_DIR / "calc.py"
    saved.parent.mkdir()
    saved.write_text(ORIGINAL)
    (project / "calc.py").write_text("mutated\n")
    assert restore_leftovers(project) == ["calc.py"]
    assert (project / "calc.py").read_text() == ORIGINAL
    assert not (project / RESTORE_DIR).exists()
