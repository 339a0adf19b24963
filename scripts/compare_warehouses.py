"""Compare two warehouses table by table: do two runs give the same results?

    .venv/bin/python scripts/compare_warehouses.py A.duckdb B.duckdb

Each table is hashed inside DuckDB, independent of row order, with floats printed to 9
significant digits. Columns that differ by nature between runs (load and run times, run
ids) are left out. For a table whose hash differs the script joins A and B on every
non-float column and prints the unmatched rows and the largest absolute and relative
difference of each float column, which tells summation-order noise from a real change.
Give both runs the same salt file (`<data dir>/salt`), or every customer key differs.
"""

from __future__ import annotations

import sys

import duckdb

VOLATILE = ("loaded_at", "run_id", "checked_at", "built_at", "run_at", "fit_seconds")
FLOATS = ("DOUBLE", "FLOAT")


def _columns(con: duckdb.DuckDBPyConnection, db: str, table: str) -> list[tuple[str, str]]:
    schema, name = table.split(".")
    rows = con.execute(
        "select column_name, data_type from information_schema.columns"
        " where table_catalog = ? and table_schema = ? and table_name = ?"
        " order by ordinal_position",
        [db, schema, name],
    ).fetchall()
    return [(c, t) for c, t in rows if not any(v in c.lower() for v in VOLATILE)]


def _hash(con: duckdb.DuckDBPyConnection, db: str, table: str) -> tuple[int, int, tuple]:
    columns = _columns(con, db, table)
    cells = ", ".join(
        f"printf('%.9g', \"{c}\")" if t in FLOATS else f'"{c}"::varchar' for c, t in columns
    )
    count, digest = con.execute(
        f"select count(*), coalesce(sum(hash({cells}))::hugeint, 0) from {db}.{table}"
    ).fetchall()[0]
    return count, int(digest), tuple(c for c, _ in columns)


def _float_gaps(con: duckdb.DuckDBPyConnection, table: str) -> str:
    columns = _columns(con, "a", table)
    keys = [c for c, t in columns if t not in FLOATS]
    floats = [c for c, t in columns if t in FLOATS]
    if not keys or not floats:
        return "no float columns to compare"
    on = " and ".join(f'x."{k}" is not distinct from y."{k}"' for k in keys)
    gaps = ", ".join(
        f'max(abs(x."{f}" - y."{f}")), '
        f'max(abs(x."{f}" - y."{f}") / greatest(abs(x."{f}"), abs(y."{f}"), 1e-12))'
        for f in floats
    )
    row = con.execute(
        f'select count(*) filter (where x."{keys[0]}" is null or y."{keys[0]}" is null), {gaps}'
        f" from a.{table} as x full join b.{table} as y on {on}"
    ).fetchall()[0]
    worst = max(range(len(floats)), key=lambda i: row[1 + 2 * i] or 0)
    return (
        f"{row[0]} rows unmatched on the other columns; largest float gap "
        f"{floats[worst]} {row[1 + 2 * worst] or 0:.2e} absolute, "
        f"{row[2 + 2 * worst] or 0:.2e} relative"
    )


def main(first: str, second: str) -> int:
    con = duckdb.connect()
    con.execute("set enable_progress_bar = false")
    con.execute(f"attach '{first}' as a (read_only)")
    con.execute(f"attach '{second}' as b (read_only)")
    tables = {
        db: {
            f"{s}.{t}"
            for s, t in con.execute(
                "select schema_name, table_name from duckdb_tables() where database_name = ?"
                " and schema_name <> 'build_state'",
                [db],
            ).fetchall()
        }
        for db in ("a", "b")
    }
    differ = 0
    for table in sorted(tables["a"] | tables["b"]):
        if table not in tables["a"] or table not in tables["b"]:
            differ += 1
            print(f"{table}: only in {'A' if table in tables['a'] else 'B'}")
            continue
        a, b = _hash(con, "a", table), _hash(con, "b", table)
        if a == b:
            continue
        differ += 1
        if a[2] != b[2]:
            print(f"{table}: columns differ ({len(a[2])} vs {len(b[2])})")
        elif a[0] != b[0]:
            print(f"{table}: {a[0]} vs {b[0]} rows")
        else:
            print(f"{table}: {_float_gaps(con, table)}")
    print(f"{len(tables['a'] | tables['b'])} tables, {differ} differ")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1], sys.argv[2]))
