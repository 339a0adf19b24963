"""The committed notebooks are exactly what their builders write (tests/e2e executes them)."""

import runpy
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


@pytest.mark.parametrize("name", ["kpis", "cohorts", "forecast_errors"])
def test_committed_notebook_matches_its_builder(name: str, monkeypatch) -> None:
    monkeypatch.syspath_prepend(str(NOTEBOOKS))  # the builders import notebook_builder
    cells = runpy.run_path(str(NOTEBOOKS / f"build_{name}_notebook.py"))["CELLS"]
    built = runpy.run_path(str(NOTEBOOKS / "notebook_builder.py"))["build"](cells)
    committed = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    assert nbformat.writes(built) == nbformat.writes(committed), (
        f"notebooks/{name}.ipynb is stale: run .venv/bin/python notebooks/build_{name}_notebook.py"
    )
    assert all(not cell.get("outputs") for cell in committed.cells), f"{name}.ipynb has outputs"
