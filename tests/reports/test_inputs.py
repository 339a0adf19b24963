"""The site's input tables are listed once (reports/inputs.py), and that list is exact: every
table a page's query reads is in it, and every table in it is read by some page."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from reports.inputs import OPTIONAL_TABLES, REQUIRED_TABLES, SITE_INPUTS, check_tables
from reports.site.publish import publish_site
from tests.reports.conftest import GENERATED_AT
from tests.reports.test_policy_section import BACKTEST_SQL
from tests.reports.tiny_feedback_text import add_feedback_text_tables
from tests.reports.tiny_warehouse import build_warehouse


class RecordingConnection:
    """A DuckDB connection that keeps the text of every query run through it."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self._con = con
        self.queries: list[str] = []

    def sql(self, query: str, *args, **kwargs) -> duckdb.DuckDBPyRelation:
        self.queries.append(query)
        return self._con.sql(query, *args, **kwargs)

    def execute(self, query: str, *args, **kwargs) -> duckdb.DuckDBPyConnection:
        self.queries.append(query)
        return self._con.execute(query, *args, **kwargs)

    def __getattr__(self, name: str):
        return getattr(self._con, name)


def tables_read(query: str) -> set[str]:
    """The tables a query reads, from DuckDB's own parse tree (`json_serialize_sql`).

    Parsed, not bound, so `$name` parameters need no values. Names of the query's CTEs are
    left out; any other table without a schema is returned bare (and so fails the check).
    """
    tree = json.loads(
        duckdb.sql("select json_serialize_sql($query)", params={"query": query}).fetchall()[0][0]
    )
    assert not tree["error"], f"DuckDB cannot parse {query!r}: {tree.get('error_message')}"
    tables, ctes = set(), set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("type") == "BASE_TABLE":
                tables.add(".".join(filter(None, (node["schema_name"], node["table_name"]))))
            ctes.update(entry["key"] for entry in node.get("cte_map", {}).get("map", []))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(tree)
    return {t for t in tables - ctes if not t.startswith("information_schema.")}


@pytest.fixture(scope="module")
def queries(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """Every query publishing the tiny warehouse runs, with the optional tables present."""
    root = tmp_path_factory.mktemp("inputs")
    db_path = build_warehouse(root / "warehouse.duckdb")
    with duckdb.connect(str(db_path)) as con:
        con.execute(BACKTEST_SQL)
        add_feedback_text_tables(con)
    with duckdb.connect(str(db_path), read_only=True) as con:
        recorder = RecordingConnection(con)
        publish_site(recorder, root / "site", generated_at=GENERATED_AT)
    # The publisher's `set variable site_currency` (reports/site/currency.py) reads no table.
    return [q for q in recorder.queries if not q.startswith("set variable ")]


def test_the_table_parser_sees_through_aliases_ctes_subqueries_and_parameters() -> None:
    query = (
        "with recent as (select * from marts.orders_daily) select * from recent as r"
        " join forecasts.demand_forecast as f using (sku)"
        " where sku in (select sku from inventory.reorder_recommendations) and day > $first"
        ' and rating in (select r from (unpivot (select 1 as "1" from marts.feedback_daily)'
        ' on "1" into name r value v)) and kind in (select kind from load_log)'
    )
    assert tables_read(query) == {
        "marts.orders_daily",
        "forecasts.demand_forecast",
        "inventory.reorder_recommendations",
        "marts.feedback_daily",
        "load_log",
    }


def test_every_table_the_pages_read_is_a_listed_input(queries: list[str]) -> None:
    unlisted = {
        table: query for query in queries for table in tables_read(query) - set(SITE_INPUTS)
    }
    assert not unlisted, f"tables read but not in reports/inputs.py SITE_INPUTS: {unlisted}"


def test_every_listed_input_is_read_by_a_page(queries: list[str]) -> None:
    read = set().union(*(tables_read(query) for query in queries))
    assert set(SITE_INPUTS) - read == set()


def test_optional_tables_are_inputs_and_the_rest_are_required() -> None:
    assert OPTIONAL_TABLES <= set(SITE_INPUTS)
    assert set(REQUIRED_TABLES) == set(SITE_INPUTS) - OPTIONAL_TABLES
    assert len(SITE_INPUTS) == len(set(SITE_INPUTS))


def test_a_missing_required_table_is_named_before_any_page_is_written(tmp_path: Path) -> None:
    db_path = build_warehouse(tmp_path / "warehouse.duckdb")
    with duckdb.connect(str(db_path)) as con:
        con.execute("drop table marts.feedback_daily; drop table quality.quarantine")
        with pytest.raises(
            LookupError, match=r"marts\.feedback_daily, quality\.quarantine missing"
        ):
            check_tables(con)
