"""Mutants of a SQL model: the bugs a rate, a window or a filter in the marts can hide.

Each operator finds its pattern in the code of the file (never inside a `--` comment or a
quoted string) and yields one mutant per place:

- `denominator`: `a / nullif(b, 0)` becomes `b / nullif(a, 0)`, and `b` is replaced by each
  other denominator of the same file (a rate over users instead of sessions);
- `between`: `x between a and b` loses one bound's equality (`x > a and x <= b`, and
  `x >= a and x < b`);
- `count-distinct`: `count(distinct x)` becomes `count(*)`;
- `drop-filter`: an aggregate's `filter (where ...)` is removed;
- `drop-condition`: a line of a where-clause starting with `and`/`or` is removed, and a
  one-line `where <condition>` outside a filter becomes `where true`;
- `interval`: `interval N <unit>` (and `interval 'N <unit>'`) becomes N + 1 and N - 1;
- `comparison`: `<=` and `<`, `>=` and `>` are swapped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from mutation.mutant import Mutant

_OPERAND = r"[A-Za-z_][\w.]*"
_DENOMINATOR = re.compile(
    rf"({_OPERAND})\s*/\s*nullif\(\s*({_OPERAND})\s*,\s*0\s*\)", re.IGNORECASE
)
_BETWEEN = re.compile(
    rf"({_OPERAND})\s+between\s+({_OPERAND}|\d+)\s+and\s+({_OPERAND}|\d+)", re.IGNORECASE
)
_COUNT_DISTINCT = re.compile(r"count\(\s*distinct\s+[^()]+\)", re.IGNORECASE)
_FILTER = re.compile(r"\s*filter\s*\(\s*where\b", re.IGNORECASE)
_INTERVAL = re.compile(
    r"interval\s+(')?(\d+)(\s*(?:year|month|week|day|hour|minute)s?)\b", re.IGNORECASE
)
_COMPARISON = re.compile(r"(?<![<>!=-])(<=|>=|<(?![>=])|>(?![=]))")
_SWAPPED = {"<=": "<", "<": "<=", ">=": ">", ">": ">="}
_CONDITION_LINE = re.compile(r"^[ \t]*(and|or)\b[^\n]*\n", re.IGNORECASE | re.MULTILINE)
_WHERE_LINE = re.compile(r"\bwhere[ \t]+([^\n]+)$", re.IGNORECASE | re.MULTILINE)


def code_mask(sql: str) -> list[bool]:
    """For each character of `sql`, whether it is code (not a comment or a string literal)."""
    mask = [True] * len(sql)
    index = 0
    while index < len(sql):
        if sql.startswith("--", index):
            end = sql.find("\n", index)
            end = len(sql) if end < 0 else end
        elif sql[index] == "'":
            end = sql.find("'", index + 1)
            end = len(sql) - 1 if end < 0 else end
            end += 1
        else:
            index += 1
            continue
        for position in range(index, end):
            mask[position] = False
        index = end
    return mask


def _closing_paren(sql: str, opening: int) -> int:
    """Index of the parenthesis closing the one at `opening`."""
    depth = 0
    for index in range(opening, len(sql)):
        depth += {"(": 1, ")": -1}.get(sql[index], 0)
        if depth == 0:
            return index
    raise ValueError("unbalanced parentheses")


def _edits(sql: str, mask: list[bool]) -> Iterator[tuple[int, int, str, str]]:
    """(start, end, replacement, operator) for every mutation, before the comment check."""
    denominators = sorted({m.group(2) for m in _DENOMINATOR.finditer(sql) if mask[m.start()]})
    for match in _DENOMINATOR.finditer(sql):
        numerator, denominator = match.groups()
        yield match.start(), match.end(), f"{denominator} / nullif({numerator}, 0)", "denominator"
        for other in denominators:
            if other not in (denominator, numerator):
                yield match.start(), match.end(), f"{numerator} / nullif({other}, 0)", "denominator"
    for match in _BETWEEN.finditer(sql):
        value, low, high = match.groups()
        for text in (
            f"{value} > {low} and {value} <= {high}",
            f"{value} >= {low} and {value} < {high}",
        ):
            yield match.start(), match.end(), text, "between"
    for match in _COUNT_DISTINCT.finditer(sql):
        yield match.start(), match.end(), "count(*)", "count-distinct"
    for match in _FILTER.finditer(sql):
        opening = sql.index("(", match.start())
        yield match.start(), _closing_paren(sql, opening) + 1, "", "drop-filter"
    for match in _CONDITION_LINE.finditer(sql):
        yield match.start(), match.end(), "", "drop-condition"
    for match in _WHERE_LINE.finditer(sql):
        condition = match.group(1)
        inside_filter = re.search(r"filter\s*\(\s*$", sql[: match.start()], re.IGNORECASE)
        if not inside_filter and condition.count("(") == condition.count(")"):
            yield match.start(1), match.end(1), "true", "drop-condition"
    for match in _INTERVAL.finditer(sql):
        quote, number, unit = match.groups()
        for changed in (int(number) + 1, int(number) - 1):
            text = f"interval {quote or ''}{changed}{unit}"
            yield match.start(), match.end(), text, "interval"
    for match in _COMPARISON.finditer(sql):
        yield match.start(), match.end(), _SWAPPED[match.group(1)], "comparison"


def mutate_sql(sql: str, path: str = "<sql>") -> list[Mutant]:
    """Every mutant of `sql`, in the order of the operators, one change each."""
    mask = code_mask(sql)
    mutants = []
    for start, end, replacement, operator in _edits(sql, mask):
        if not mask[start]:
            continue
        mutated = sql[:start] + replacement + sql[end:]
        line = sql.count("\n", 0, start) + 1
        original = " ".join(sql[start:end].split())
        change = f"{operator}: `{original}` -> `{replacement}`"
        mutants.append(Mutant(path, line, change, mutated))
    return mutants


def sql_mutants(root: Path, relative_path: str) -> list[Mutant]:
    """Every mutant of the SQL model at `root / relative_path`."""
    return mutate_sql((root / relative_path).read_text(encoding="utf-8"), relative_path)
