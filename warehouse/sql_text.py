"""SQL text built from values, for statements that take no bind parameters (macros, COPY
targets): string literals and the conditions of a range of keys."""

from __future__ import annotations


def sql_literal(text: str) -> str:
    """`text` as a SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def in_key_range(column: str, after: str | None, last: str | None) -> str:
    """SQL true for the rows whose `column` is above `after` up to `last` (None: unbounded).
    The range open above holds a NULL key too, as NULL sorts last. Plain comparisons on the
    column, so that DuckDB pushes them into the scan and skips the row groups outside the
    range by their min/max."""
    conditions = []
    if after is not None:
        conditions.append(f"{column} > {sql_literal(after)}")
    if last is not None:
        conditions.append(f"{column} <= {sql_literal(last)}")
    condition = " and ".join(conditions) or "true"
    return f"({condition}) or {column} is null" if last is None else condition
