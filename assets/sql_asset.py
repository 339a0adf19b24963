"""Factory for assets that are one SQL model each (staging and marts)."""


import dagster as dg
from dagster_duckdb import DuckDBResource

from assets.warehouse import (
    SQL_DIR,
    build_table,
    markdown_preview,
    model_sql,
    prepare,
    query,
    table_result,
)
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


def sql_asset(
    schema: str, table: str, deps: list[list[str]], evidence: dict[str, str] | None = None
) -> dg.AssetsDefinition:
    """An asset that rebuilds `schema.table` from `assets/sql/<schema>/<table>.sql`.

    `evidence` maps a metadata name to a query whose rows are shown with the
    materialization (and logged when there are any): what the model decided that an analyst
    should know, e.g. which orders a newer export replaced.
    """

    @dg.asset(
        key=[schema, table],
        group_name=schema,
        deps=[dg.AssetKey(d) for d in deps],
        pool=DUCKDB_POOL,
        kinds={"duckdb", "sql"},
        description=model_description(schema, table),
        metadata={"sql": dg.MetadataValue.path(str(SQL_DIR / schema / f"{table}.sql"))},
    )
    def _asset(context: dg.AssetExecutionContext, paths: RunPaths, duckdb: DuckDBResource) -> dg.MaterializeResult:
        with duckdb.get_connection() as con:
            prepare(con, paths.settings(), paths.salt())
            build_table(con, schema, table)
            notes = {}
            for name, sql in (evidence or {}).items():
                rows = query(con, sql)
                notes[name] = dg.MetadataValue.md(markdown_preview(rows, rows=10) if rows.height else "none")
                if rows.height:
                    context.log.info(f"{schema}.{table} {name}:\n{markdown_preview(rows, rows=10)}")
            return table_result(con, schema, table, **notes)

    return _asset
