"""Every import runs downhill (docs/architecture.md): a test that fails when one runs up.

The layers, from the top: entry points (the CLI, the Dagster code location, bench/,
scripts/, notebooks/, tests/) -> pipelines/ (wiring) -> assets/ and quality/ (Dagster
assets and checks) -> domain packages (no Dagster) -> leaf packages (imported by all,
importing no project package).
"""

from __future__ import annotations

import ast
import gc
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

LEAVES = {"config", "contract", "warehouse"}
DOMAIN = {"ingest", "forecasting", "reports", "simulator", "incremental", "feedback_text"}
ASSETS = {"assets", "quality"}
WIRING = {"pipelines"}
ENTRY = {"bench", "scripts", "notebooks", "tests", "mutation"}
PACKAGES = LEAVES | DOMAIN | ASSETS | WIRING | ENTRY

# What each package may import besides itself and third-party libraries.
ALLOWED: dict[str, set[str]] = {
    **{leaf: set() for leaf in LEAVES},
    # Connections take the warehouse section of the settings.
    "warehouse": {"config"},
    **{domain: set(LEAVES) for domain in DOMAIN},
    # Assets declare the checks of quality/ with the asset they guard; checks never import
    # assets.
    "assets": LEAVES | DOMAIN | {"quality"},
    "quality": LEAVES | DOMAIN,
    "pipelines": LEAVES | DOMAIN | ASSETS,
    "bench": LEAVES | DOMAIN | ASSETS | WIRING,
    "scripts": LEAVES | DOMAIN | ASSETS | WIRING,
    "notebooks": LEAVES | DOMAIN,
    "tests": PACKAGES,
    # Mutation testing reads and rewrites the project's files as text and runs their tests
    # in a subprocess; it imports none of them.
    "mutation": set(),
}
# Dagster stays out of the domain packages and of the leaves other than config (whose
# partitions and resources are Dagster definitions of the configuration).
NO_DAGSTER = DOMAIN | {"contract", "warehouse"}


def imports_of(path: Path) -> set[str]:
    """Top-level names of every module `path` imports (absolute imports only)."""
    # CPython 3.11.7 can raise "AST constructor recursion depth mismatch" when the garbage
    # collector runs finalizers in the middle of ast.parse (seen after tests that leave
    # much garbage behind); pausing the collector while parsing avoids it.
    gc.disable()
    try:
        tree = ast.parse(path.read_text(), filename=str(path))
    finally:
        gc.enable()
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def python_files() -> list[tuple[str, Path]]:
    files = []
    for package in sorted(PACKAGES):
        for path in sorted((ROOT / package).rglob("*.py")):
            files.append((package, path))
    return files


def test_every_package_is_placed_in_a_layer():
    """A new top-level package must be given a layer here before it can be imported."""
    on_disk = {
        p.name
        for p in ROOT.iterdir()
        if p.is_dir() and any(p.glob("*.py")) and not p.name.startswith(".")
    }
    assert on_disk <= PACKAGES, f"packages without a layer: {sorted(on_disk - PACKAGES)}"


@pytest.mark.parametrize("package", sorted(PACKAGES - {"tests"}))
def test_imports_run_downhill(package):
    upward = []
    for owner, path in python_files():
        if owner != package:
            continue
        imported = imports_of(path)
        for name in sorted((imported & PACKAGES) - {package} - ALLOWED[package]):
            upward.append(f"{path.relative_to(ROOT)} imports {name}")
        if package in NO_DAGSTER and imported & {"dagster", "dagster_duckdb"}:
            upward.append(f"{path.relative_to(ROOT)} imports dagster")
    assert not upward, "imports that run up a layer:\n" + "\n".join(upward)


def test_the_check_catches_an_upward_import(tmp_path):
    """The parser sees `from pipelines.x import y` and `import assets.z` as imports."""
    module = tmp_path / "m.py"
    module.write_text("import assets.raw\nfrom pipelines.runner import run\nimport polars\n")
    assert imports_of(module) == {"assets", "pipelines", "polars"}
