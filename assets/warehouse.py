"""Running the SQL models in DuckDB and describing what a materialization wrote."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb

from config.settings import Settings
from warehouse.frames import query, scalar
from warehouse.preview import markdown_preview
from warehouse.transaction import transaction

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


def model_sql(layer: str, table: str) -> str:
    return (SQL_DIR / layer / f"{table}.sql").read_text()


def build_table(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> int:
    """Replace `schema.table` with the result of `sql/<schema>/<table>.sql` in one transaction."""
    sql = model_sql(schema, table)
    with transaction(con):
        con.execute(f"create or replace table {schema}.{table} as {sql}")
    return scalar(con, f"select count(*) from {schema}.{table}")


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


def last_metadata(instance: dg.DagsterInstance, key: list[str]) -> dict[str, object]:
    """The plain values of the metadata Dagster recorded with the asset's last
    materialization (empty when it has none): what a kept backtest compares with."""
    event = instance.get_latest_materialization_event(dg.AssetKey(key))
    if event is None or event.asset_materialization is None:
        return {}
    return {name: value.value for name, value in event.asset_materialization.metadata.items()}
