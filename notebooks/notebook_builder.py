"""Shared by the notebook builders: cells as (kind, text) pairs -> an nbformat notebook.

The notebooks are kept as code (notebooks/build_*_notebook.py) so reviews see a plain diff;
`.venv/bin/python notebooks/build_<name>_notebook.py` rewrites notebooks/<name>.ipynb, and
tests/reports/test_notebooks.py fails when a committed notebook differs from its builder.
"""

from pathlib import Path

import nbformat as nbf


def build(cells: list[tuple[str, str]]) -> nbf.NotebookNode:
    """A notebook with no outputs from ("markdown" | "code", source) pairs."""
    notebook = nbf.v4.new_notebook()
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    notebook.cells = [
        # Numbered ids, not random ones: rebuilding an unchanged notebook changes no byte.
        nbf.v4.new_markdown_cell(text, id=f"cell-{n}")
        if kind == "markdown"
        else nbf.v4.new_code_cell(text, id=f"cell-{n}")
        for n, (kind, text) in enumerate(cells)
    ]
    return notebook


def write(cells: list[tuple[str, str]], name: str) -> Path:
    """Write notebooks/<name>.ipynb from the cells and return its path."""
    path = Path(__file__).with_name(f"{name}.ipynb")
    nbf.write(build(cells), path)
    print(f"wrote {path}")
    return path
