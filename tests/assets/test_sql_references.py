"""The SQL assets' deps are the tables their SQL reads (assets/sql_references.py): checked by
hand on three models, against DuckDB's own parser on every model, and in the Definitions."""

import json

import dagster as dg
import duckdb
import pytest

from assets.sql_references import table_references
from assets.warehouse import SQL_DIR, model_sql
from pipelines.definitions import defs

MODELS = sorted((path.parent.name, path.stem) for path in SQL_DIR.glob("*/*.sql"))


def duckdb_references(sql: str) -> set[tuple[str, str]]:
    """Schema-qualified base tables in DuckDB's parse tree of `sql` (CTEs have no schema)."""
    with duckdb.connect() as con:
        tree = json.loads(con.execute("select json_serialize_sql(?)", [sql]).fetchall()[0][0])
    assert not tree["error"], tree
    found = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("type") == "BASE_TABLE" and node.get("schema_name"):
                found.add((node["schema_name"], node["table_name"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(tree)
    return found


def test_three_models_read_what_their_sql_says():
    # read off the .sql files by hand; CTEs such as `lines`, `orders`, `final` are not tables
    assert table_references(model_sql("marts", "customers")) == [
        ("marts", "customer_clv"),
        ("staging", "stg_order_lines"),
    ]
    assert table_references(model_sql("staging", "stg_order_lines")) == [
        ("raw", "orders"),
        ("staging", "stg_catalog"),
    ]
    assert table_references(model_sql("marts", "cart_abandonment_daily")) == [
        ("marts", "sessions"),
        ("staging", "stg_traffic_events"),
    ]


def test_ctes_comments_strings_and_function_calls_are_not_references():
    sql = """
    -- reads from raw.not_a_dependency
    with orders as (select * from RAW.Orders /* join raw.commented */),
         days as (select extract(year from o.ordered_at) as y, 'from raw.quoted' as t from orders as o)
    select * from days
    left join
        staging.stg_catalog as c on true
    join range(3) as r on true
    """
    assert table_references(sql) == [("raw", "orders"), ("staging", "stg_catalog")]


@pytest.mark.parametrize(("layer", "table"), MODELS)
def test_references_match_duckdbs_parser(layer, table):
    sql = model_sql(layer, table)
    assert set(table_references(sql)) == duckdb_references(sql)


@pytest.mark.parametrize(("layer", "table"), MODELS)
def test_asset_deps_are_the_references_and_are_assets(layer, table):
    graph = defs.resolve_asset_graph()
    parents = graph.get(dg.AssetKey([layer, table])).parent_keys
    assert {tuple(key.path) for key in parents} == set(table_references(model_sql(layer, table)))
    # a misread reference would become a phantom external asset: each is one we materialize
    assert parents <= graph.materializable_asset_keys
