"""Each committed notebook (.ipynb) is its percent-format script (.py, the copy that is
reviewed and linted) as jupytext pairs them (notebooks/jupytext.toml), outputs aside.
tests/e2e executes the notebooks on a warehouse."""

from pathlib import Path

import jupytext
import nbformat
import pytest
from jupytext.config import load_jupytext_config

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
NAMES = ["cohorts", "forecast_errors", "kpis"]


def test_every_notebook_is_a_pair() -> None:
    assert sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb")) == NAMES
    assert sorted(p.stem for p in NOTEBOOKS.glob("*.py")) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_committed_notebook_matches_its_script(name: str) -> None:
    notebook = NOTEBOOKS / f"{name}.ipynb"
    committed = nbformat.read(notebook, as_version=4)
    # The script jupytext would write from the notebook: its cells, without outputs.
    as_script = jupytext.writes(
        committed, fmt="py:percent", config=load_jupytext_config(str(notebook))
    )
    assert as_script == (NOTEBOOKS / f"{name}.py").read_text(), (
        f"notebooks/{name}.ipynb and {name}.py differ: run `make notebooks-sync`"
    )
    assert all(not cell.get("outputs") for cell in committed.cells), f"{name}.ipynb has outputs"
