"""Factory for assets that are one SQL model each (staging and marts)."""


import dagster as dg
from dagster_duckdb import DuckDBResource

from assets.warehouse import SQL_DIR, build_table, model_sql, prepare, table_result
from pipelines.pools import DUCKDB_POOL
from pipelines.resources import RunPaths


def model_description(layer: str, table: str) -> str:
    """The model's leading comment block: it starts with the table's grain."""
    lines = []
    for line in model_sql(layer, table).splitlines():
        if not line.startswith("--"):
            break
        lines.append(line.removeprefix("--").strip())
    return " ".join(lines)


def sql_asset(schema: str, table: str, deps: list[list[str]]) -> dg.AssetsDefinition:
    """An asset that rebuilds `schema.table` from `assets/sql/<schema>/<table>.sql`."""

    @dg.asset(
        key=[schema, table],
        group_name=schema,
        deps=[dg.AssetKey(d) for d in deps],
        pool=DUCKDB_POOL,
        kinds={"duckdb", "sql"},
        description=model_description(schema, table),
        metadata={"sql": dg.MetadataValue.path(str(SQL_DIR / schema / f"{table}.sql"))},
    )
    def _asset(paths: RunPaths, duckdb: DuckDBResource) -> dg.MaterializeResult:
        with duckdb.get_connection() as con:
            prepare(con, paths.settings())
            build_table(con, schema, table)
            return table_result(con, schema, table)

    return _asset
