"""Module and function sizes of the project's code (tests excluded).

    .venv/bin/python scripts/code_size.py [ROOT]

Prints the number of modules, the median and largest module in lines, how many modules
pass 300 lines, and every function longer than 60 lines (nested functions count inside
the function that holds them).
"""

from __future__ import annotations

import ast
import statistics
import sys
from pathlib import Path

SKIP = {".venv", ".git", ".tools", "tests", "test-artifacts", "data"}
LONG_MODULE, LONG_FUNCTION = 300, 60


def main(root: Path) -> None:
    sizes: dict[str, int] = {}
    long_functions: list[tuple[int, str, str]] = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if relative.parts[0] in SKIP:
            continue
        text = path.read_text()
        sizes[str(relative)] = len(text.splitlines())
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > LONG_FUNCTION:
                    long_functions.append((length, str(relative), node.name))
    largest = max(sizes, key=sizes.get)
    print(
        f"modules {len(sizes)}, median {statistics.median(sizes.values())} lines, largest "
        f"{largest} {sizes[largest]}, over {LONG_MODULE} lines: "
        f"{sum(n > LONG_MODULE for n in sizes.values())}"
    )
    print(f"functions over {LONG_FUNCTION} lines: {len(long_functions)}")
    for length, module, name in sorted(long_functions, reverse=True):
        print(f"  {length:4d}  {module}  {name}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve())
