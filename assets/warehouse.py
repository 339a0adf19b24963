"""Running the SQL models in DuckDB and describing what a materialization wrote."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb
import polars as pl

from config.settings import Settings

SQL_DIR = Path(__file__).parent / "sql"


def sql_variables(settings: Settings, salt: str) -> dict[str, object]:
    """Settings the SQL models read with `getvariable(name)`; one place for the mapping.

    `salt` is the installation's secret (RunPaths.salt) that `customer_key` hashes with.
    """
    return {
        "customer_salt": salt,
        "session_timeout_minutes": settings.traffic.session_timeout_minutes,
        "split_at_midnight": settings.traffic.split_at_midnight,
        "split_on_new_source": settings.traffic.split_on_new_source,
        "cart_recovery_window_hours": settings.traffic.cart_recovery_window_hours,
        "trading_weekdays": list(settings.forecasting.trading_weekdays),
        "reversal_window_hours": settings.forecasting.reversal_window_hours,
        "default_currency": settings.ingest.currency,
    }


def prepare(con: duckdb.DuckDBPyConnection, settings: Settings, salt: str) -> None:
    """Ready a connection for the SQL models: settings and the salt as variables, then the macros.

    Args:
        con: the warehouse connection the models will run on.
        settings: run settings (config/settings.py).
        salt: the installation's customer-key salt; an empty one would make keys guessable.
    """
    if not salt:
        raise ValueError("prepare: an empty customer-key salt; pass RunPaths.salt()")
    con.execute("set enable_progress_bar = false")
    for name, value in sql_variables(settings, salt).items():
        # Identifiers come from our own mapping above; values go in as parameters.
        con.execute(f"set variable {name} = ?", [value])
    con.execute((SQL_DIR / "macros.sql").read_text())


def query(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> pl.DataFrame:
    """Run a query into a polars frame (DuckDB 2.0 has `.pl()` on relations only)."""
    return con.sql(sql, params=params).pl()


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> object:
    """First value of a query. DuckDB 2.0 needs the result fetched to the end, so
    `fetchone()` would leave the connection busy; `fetchall()` does not."""
    return con.execute(sql, params or []).fetchall()[0][0]


def model_sql(layer: str, table: str) -> str:
    return (SQL_DIR / layer / f"{table}.sql").read_text()


def build_table(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> int:
    """Replace `schema.table` with the result of `sql/<schema>/<table>.sql` in one transaction."""
    sql = model_sql(schema, table)
    con.execute("begin transaction")
    try:
        con.execute(f"create or replace table {schema}.{table} as {sql}")
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return scalar(con, f"select count(*) from {schema}.{table}")


def write_frame(
    con: duckdb.DuckDBPyConnection, schema: str, table: str, frame: pl.DataFrame
) -> int:
    """Replace `schema.table` with a polars frame in one transaction."""
    con.execute("begin transaction")
    try:
        con.register("_frame", frame.to_arrow())
        con.execute(f"create or replace table {schema}.{table} as select * from _frame")
        con.unregister("_frame")
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return frame.height


def markdown_preview(frame: pl.DataFrame, rows: int = 5) -> str:
    head = frame.head(rows)
    if head.width == 0:
        return "(no columns)"
    cells = [[("" if v is None else str(v)) for v in row] for row in head.iter_rows()]
    lines = ["| " + " | ".join(head.columns) + " |", "|" + "---|" * head.width]
    lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in cells]
    return "\n".join(lines)


def table_result(
    con: duckdb.DuckDBPyConnection, schema: str, table: str, **metadata: object
) -> dg.MaterializeResult:
    """Row count and a small preview of a table, plus any extra metadata."""
    rows = scalar(con, f"select count(*) from {schema}.{table}")
    preview = query(con, f"select * from {schema}.{table} limit 5")
    return dg.MaterializeResult(
        metadata={
            "row_count": dg.MetadataValue.int(rows),
            "table": f"{schema}.{table}",
            "preview": dg.MetadataValue.md(markdown_preview(preview)),
            **metadata,
        }
    )
