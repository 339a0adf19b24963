"""What `make mutation` mutates and which fast tests run against each mutated file.

The tests of a file are found, not listed by hand:
- a Python module (`quality/checks.py`, dotted `quality.checks`) is covered by the test
  files that import it (`import quality.checks`, `from quality.checks import x`,
  `from quality import checks`), directly or through a helper module of tests/ that is not
  itself a test file (e.g. tests/reports/tiny_warehouse.py);
- a SQL model (`assets/sql/marts/conversion_daily.sql`) is covered by the test files that
  name its table (`conversion_daily`), directly or through such a helper.
`EXTRA_TESTS` adds tests these rules miss. Slow tests are never run: tests/e2e, tests/bench
and the tests marked `e2e` or `browser` (the runner deselects the markers).
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

# The code under mutation: the domain code users' numbers come from and the checks.
TARGETS = ("ingest", "forecasting", "quality", "assets/sql")
SLOW_TEST_DIRS = ("tests/e2e", "tests/bench")
# Tests a file needs beyond those the import and table-name rules find (path -> tests).
EXTRA_TESTS: dict[str, tuple[str, ...]] = {
    # The money() macro is expanded into every model that sums money.
    "assets/sql/macros.sql": ("tests/assets/sql",),
    # Reached through ingest.load: the per-day results of multi-day files are tested there.
    "ingest/file_results.py": ("tests/ingest/test_multi_day.py",),
}


def target_files(root: Path, selected: list[str] | None = None) -> list[str]:
    """Files to mutate (relative paths), optionally only those under a `selected` prefix."""
    files = []
    for target in TARGETS:
        pattern = "*.sql" if target.startswith("assets/sql") else "*.py"
        for path in sorted((root / target).rglob(pattern)):
            relative = path.relative_to(root).as_posix()
            if path.name == "__init__.py" or "__pycache__" in relative:
                continue
            if selected is None or any(relative.startswith(prefix) for prefix in selected):
                files.append(relative)
    return files


def _test_files(root: Path) -> list[str]:
    files = []
    for path in sorted((root / "tests").rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        if not relative.startswith(SLOW_TEST_DIRS):
            files.append(relative)
    return files


@cache
def _source(root: Path, relative: str) -> str:
    return (root / relative).read_text(encoding="utf-8")


def _imported_modules(source: str) -> set[str]:
    """Dotted names a module imports, `from a import b` counted as both `a` and `a.b`."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _mentions(root: Path, test_file: str, target: str) -> bool:
    source = _source(root, test_file)
    if target.endswith(".py"):
        module = target.removesuffix(".py").replace("/", ".")
        return module in _imported_modules(source)
    table = Path(target).stem
    return re.search(rf"\b{re.escape(table)}\b", source) is not None


def tests_for(root: Path, target: str) -> list[str]:
    """The fast test files (and folders, from EXTRA_TESTS) that cover the file `target`."""
    files = _test_files(root)
    helpers = [f for f in files if not Path(f).name.startswith("test_")]
    covering_helpers = {
        h.removesuffix(".py").replace("/", ".") for h in helpers if _mentions(root, h, target)
    }
    covering = set(EXTRA_TESTS.get(target, ()))
    for test_file in files:
        if not Path(test_file).name.startswith("test_"):
            continue
        imported = _imported_modules(_source(root, test_file))
        if _mentions(root, test_file, target) or imported & covering_helpers:
            covering.add(test_file)
    return sorted(covering)


def candidate_tests(root: Path, target: str) -> list[str]:
    """`tests_for` plus every fast test file of the target's package folder (tests/ingest
    for ingest/formats/ga4.py): for the fork runner, which runs only the tests that execute a
    mutant's line, so a wider net costs one traced run, and modules reached only through
    other modules (ingest/cast.py through ingest.load) get their tests."""
    package = f"tests/{target.split('/')[0]}/"
    own = [
        f for f in _test_files(root) if f.startswith(package) and Path(f).name.startswith("test_")
    ]
    return sorted(set(tests_for(root, target)) | set(own))
