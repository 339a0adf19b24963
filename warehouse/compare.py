"""Compare two warehouses table by table: do two runs give the same results, bit for bit?

    .venv/bin/python scripts/compare_warehouses.py A.duckdb B.duckdb

(the script calls `main` here; tests and bench/fault_injection.py call `differences`).

Two clean runs on the same exports with the same salt file (`<data dir>/salt`; without it
every customer key differs) must give equal tables. Each table is hashed inside DuckDB
from its exact values (floats too, every bit), independent of row order. Only the columns
in RUN_TIME_COLUMNS are left out: they record when or how fast a run went, and differ by
nature. For a table whose hash differs the script joins A and B on every non-float column
and prints the unmatched rows and the largest absolute and relative difference of each
float column, which tells summation-order noise from a real change. Exits 1 when a table
differs, 0 when all are equal.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

# The only columns two clean runs may differ in: each records the run, not its result.
# This is the one list of them; the determinism and crash tests compare through it.
RUN_TIME_COLUMNS: dict[str, tuple[str, ...]] = {
    "build_state.builds": ("built_at",),  # when each incremental build ran
    "build_state.traffic_days": ("fingerprint",),  # holds the export day's load time
    "build_state.key_export_days": ("fingerprint",),  # likewise
    # the checks' bookkeeping: numbered by the builds that led there, and their times
    "build_state.written": ("write_id", "whole", "written_at"),
    "build_state.validated": ("through_write_id", "checked_at"),
    "build_state.written_days": ("write_id",),
    # the inputs' fingerprints the last run's daily marts shared, kept under its id
    "build_state.run_input_days": ("run_id",),
    # the analyst copy the run published: the write it holds, its file's size and time
    "build_state.analyst_copy": ("through_write_id", "file_id", "copied_at"),
    "marts.clv_model": ("run_at", "fit_seconds"),  # when and how fast the CLV models fitted
    "quality.check_results": ("run_id", "checked_at"),  # the Dagster run and check time
    "quality.load_log": ("loaded_at",),
    "quality.quarantine": ("loaded_at",),
}
FLOATS = ("DOUBLE", "FLOAT")


def compared_columns(con: duckdb.DuckDBPyConnection, db: str, table: str) -> list[tuple[str, str]]:
    """(name, type) of the table's columns but its run-time columns, in table order."""
    schema, name = table.split(".")
    rows = con.execute(
        "select column_name, data_type from information_schema.columns"
        " where table_catalog = ? and table_schema = ? and table_name = ?"
        " order by ordinal_position",
        [db, schema, name],
    ).fetchall()
    skipped = RUN_TIME_COLUMNS.get(table, ())
    return [(c, t) for c, t in rows if c not in skipped]


def table_digest(con: duckdb.DuckDBPyConnection, db: str, table: str) -> tuple[int, int, tuple]:
    """(rows, order-independent hash of the compared cells, compared columns) of a table
    in the attached database `db`."""
    columns = compared_columns(con, db, table)
    # hash() of the native values: a float differing in its last bit changes the hash.
    cells = ", ".join(f'"{c}"' for c, _ in columns) or "0"
    count, digest = con.execute(
        f"select count(*), coalesce(sum(hash({cells})::hugeint), 0) from {db}.{table}"
    ).fetchall()[0]
    return count, int(digest), tuple(columns)


def _float_gaps(con: duckdb.DuckDBPyConnection, table: str) -> str:
    columns = compared_columns(con, "a", table)
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


def differences(
    first: str | Path, second: str | Path, leave_out: tuple[str, ...] = ()
) -> list[str]:
    """One line per table that differs between the two warehouse files (empty: equal),
    the tables named in `leave_out` (schema.table) aside."""
    con = duckdb.connect()
    con.execute("set enable_progress_bar = false")
    con.execute(f"attach '{first}' as a (read_only)")
    con.execute(f"attach '{second}' as b (read_only)")
    tables = {
        db: {
            f"{s}.{t}"
            for s, t in con.execute(
                "select schema_name, table_name from duckdb_tables() where database_name = ?",
                [db],
            ).fetchall()
        }
        for db in ("a", "b")
    }
    lines = []
    for table in sorted((tables["a"] | tables["b"]) - set(leave_out)):
        if table not in tables["a"] or table not in tables["b"]:
            lines.append(f"{table}: only in {'A' if table in tables['a'] else 'B'}")
            continue
        a, b = table_digest(con, "a", table), table_digest(con, "b", table)
        if a == b:
            continue
        if a[2] != b[2]:
            lines.append(f"{table}: columns differ ({len(a[2])} vs {len(b[2])})")
        elif a[0] != b[0]:
            lines.append(f"{table}: {a[0]} vs {b[0]} rows")
        else:
            lines.append(f"{table}: {_float_gaps(con, table)}")
    con.close()
    return lines


def main(first: str, second: str) -> int:
    """Print the tables that differ and their count; 1 when any differs, else 0."""
    lines = differences(first, second)
    print("\n".join([*lines, f"{len(lines)} tables differ"]))
    return 1 if lines else 0
