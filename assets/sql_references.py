"""The warehouse tables a SQL model reads, taken from its text: the SQL is the one place
that says what a model depends on, and the assets' deps are derived from it.

A reference is `from schema.table` or `join schema.table`. Names of CTEs and table
functions (`from orders`, `from range(...)`) carry no schema and so are never references;
comments, string literals and `extract(part from alias.column)` are skipped.
"""

from __future__ import annotations

import re

_COMMENTS_AND_STRINGS = re.compile(r"--[^\n]*|/\*.*?\*/|'(?:[^']|'')*'", re.DOTALL)
# `from` inside a function call, e.g. extract(year from o.ordered_at), trim(both from x.y)
_FROM_IN_CALL = re.compile(
    r"\b(?:extract|trim|substring|overlay)\s*\([^()]*?\bfrom\b", re.IGNORECASE
)
_REFERENCE = re.compile(
    r"\b(?:from|join)\s+([a-z_][a-z0-9_]*)\s*\.\s*([a-z_][a-z0-9_]*)\b", re.IGNORECASE
)


def table_references(sql: str) -> list[tuple[str, str]]:
    """The `(schema, table)` pairs a query reads, sorted and without repeats.

    Args:
        sql: the text of one SQL model.

    Returns:
        e.g. [("staging", "stg_catalog"), ("staging", "stg_order_lines")].
    """
    code = _COMMENTS_AND_STRINGS.sub(" ", sql)
    code = _FROM_IN_CALL.sub(" ", code)
    return sorted({(schema.lower(), table.lower()) for schema, table in _REFERENCE.findall(code)})
