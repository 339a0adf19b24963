"""One mutant: the whole mutated text of a file and where and what the change is."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Mutant:
    """`text` replaces the file at `path` (relative to the repository root)."""

    path: str
    line: int
    change: str
    text: str


def changed_line(original: str, mutated: str) -> tuple[int, str]:
    """1-based number of the first line that differs, and `old -> new` for that line."""
    old_lines, new_lines = original.splitlines(), mutated.splitlines()
    for number, (old, new) in enumerate(zip(old_lines, new_lines), start=1):
        if old != new:
            return number, f"{old.strip()}  ->  {new.strip()}"
    number = min(len(old_lines), len(new_lines)) + 1
    return number, "lines removed" if len(new_lines) < len(old_lines) else "lines added"
