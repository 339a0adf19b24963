"""Row rules checked in DuckDB SQL: keys unique and not null, columns not null.

Plain functions on a DuckDB connection (no Dagster), each returning a `Gate`: passed or
not, one sentence, and the evidence (counts and example rows). Table and column names
come from quality/suites.py, never from data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import polars as pl

EXAMPLES = 5


@dataclass
class Gate:
    passed: bool
    description: str
    evidence: dict[str, object] = field(default_factory=dict)  # counts, days, shares
    examples: pl.DataFrame | None = None  # a few offending rows


def _quoted(columns: tuple[str, ...] | list[str]) -> str:
    return ", ".join(f'"{c}"' for c in columns)


def key_violations(
    con: duckdb.DuckDBPyConnection,
    table: str,
    key: tuple[str, ...],
    where: str | None = None,
    where_holds_whole_keys: bool = False,
    selected: str | None = None,
) -> Gate:
    """Rows of `table` whose key is null in any column, and key values held by several rows.

    With `where`, only the rows it selects (the rows a run wrote) are checked: their keys
    must not be null, and no other row of the whole table may share one of them. The new
    keys are joined to the table, so only rows sharing a new key are counted, never a
    GROUP BY of every row. With `where_holds_whole_keys` (the predicate selects whole days
    and the day is part of the key) no other row can share a selected row's key, so only
    the selected rows are counted.

    Args:
        con: warehouse connection.
        table: `schema.table`.
        key: the columns that together identify a row.
        where: a SQL predicate on `table` selecting the rows to check; None for all rows.
        where_holds_whole_keys: every row sharing a key with a selected row is selected.
        selected: a table already holding the rows `where` selects (at least the key
            columns), read instead of selecting them from `table` again.

    Returns:
        A Gate with `rows` (rows checked), `null_key_rows`, `duplicate_keys` (distinct key
        values held by more than one row) and `duplicate_rows`; examples are the most
        repeated keys.
    """
    columns = _quoted(key)
    any_null = " or ".join(f'"{c}" is null' for c in key)
    checked = selected or (f"(select * from {table} where {where})" if where else table)
    rows_sharing = (
        f"{table} semi join (select distinct {columns} from {checked} "
        f"where not ({any_null})) as new_keys using ({columns})"
        if where and not where_holds_whole_keys
        else f"{checked} where not ({any_null})"
    )
    counted = (
        f"select {columns}, count(*) as copies from {rows_sharing} group by all having count(*) > 1"
    )
    rows, null_rows = con.execute(
        f"select count(*), count(*) filter (where {any_null}) from {checked}"
    ).fetchall()[0]
    duplicate_keys, duplicate_rows = con.execute(
        f"select count(*), coalesce(sum(copies), 0) from ({counted})"
    ).fetchall()[0]
    passed = null_rows == 0 and duplicate_keys == 0
    examples = (
        None
        if passed
        else con.sql(f"{counted} order by copies desc, {columns} limit {EXAMPLES}").pl()
    )
    name = f"({', '.join(key)})"
    scope = "all" if where is None else "the written"
    description = (
        f"key {name} unique and not null in {scope} {rows} rows"
        if passed
        else f"key {name}: {null_rows} rows with a null key, {duplicate_keys} key values on "
        f"{duplicate_rows} rows; fix the upstream model or the export that repeats them"
    )
    return Gate(
        passed,
        description,
        {
            "rows": rows,
            "null_key_rows": null_rows,
            "duplicate_keys": duplicate_keys,
            "duplicate_rows": int(duplicate_rows),
        },
        examples,
    )


def null_counts(
    con: duckdb.DuckDBPyConnection,
    table: str,
    columns: tuple[str, ...],
    key: tuple[str, ...],
    where: str | None = None,
) -> Gate:
    """Null values per column of `table` that must always hold one.

    Args:
        con: warehouse connection.
        table: `schema.table`.
        columns: the columns that must not be null.
        key: the table's key, shown with example rows.
        where: a SQL predicate on `table` selecting the rows to check; None for all rows.

    Returns:
        A Gate with `rows` and `null_rows` (each column with nulls and its count of null
        rows); examples are a few such rows (key and the checked columns).
    """
    checked = f"(select * from {table} where {where})" if where else table
    counted = ["count(*)", *(f'count(*) filter (where "{c}" is null)' for c in columns)]
    rows, *counts = con.execute(f"select {', '.join(counted)} from {checked}").fetchall()[0]
    nulls = {c: n for c, n in zip(columns, counts) if n}
    if not nulls:
        return Gate(
            True, f"{', '.join(columns) or 'no column'} never null", {"rows": rows, "null_rows": {}}
        )
    shown = _quoted(list(dict.fromkeys([*key, *columns])))
    any_null = " or ".join(f'"{c}" is null' for c in nulls)
    examples = con.sql(f"select {shown} from {checked} where {any_null} limit {EXAMPLES}").pl()
    described = ", ".join(f"{c} null on {n} rows" for c, n in nulls.items())
    return Gate(False, described, {"rows": rows, "null_rows": nulls}, examples)
