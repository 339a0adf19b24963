"""Shared fixtures: a DuckDB warehouse with raw rows written by hand, then the SQL models."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl
import pytest

from assets.clv import write_clv_tables
from assets.warehouse import build_table, prepare
from config.settings import Settings
from contract.exports import RAW_TABLE, raw_schema
from ingest.load import ensure_tables
from tests.real_data import write_online_retail_by_day
from warehouse.frames import query


def raw_frame(kind: str, rows: list[dict]) -> pl.DataFrame:
    """Rows of raw.<table>: unspecified columns are NULL, load metadata is filled in."""
    schema = raw_schema(kind)
    filled = []
    for line, row in enumerate(rows, start=2):
        base = {"_file": f"{kind}/test.csv", "_line": line, "_format": "generic"}
        filled.append({**base, **row})
    frame = pl.DataFrame(filled, infer_schema_length=None)
    return frame.select(
        (pl.col(name) if name in frame.columns else pl.lit(None)).cast(dtype).alias(name)
        for name, dtype in schema.items()
    )


class Warehouse:
    def __init__(self, con: duckdb.DuckDBPyConnection, settings: Settings):
        self.con = con
        self.settings = settings

    def insert(self, kind: str, rows: list[dict]) -> None:
        frame = raw_frame(kind, rows)
        self.con.register("_rows", frame.to_arrow())
        self.con.execute(f"insert into raw.{RAW_TABLE[kind]} by name select * from _rows")
        self.con.unregister("_rows")

    def build(self, *tables: str) -> None:
        prepare(self.con, self.settings, salt="0" * 64)
        for table in tables:
            if table == "marts.customer_clv":  # fitted in Python with its three sibling tables
                write_clv_tables(self.con, self.settings, run_at=datetime(2000, 1, 1))
                continue
            schema, name = table.split(".")
            build_table(self.con, schema, name)

    def rows(self, sql: str) -> list[dict]:
        return query(self.con, sql).to_dicts()


@pytest.fixture
def warehouse() -> Warehouse:
    con = duckdb.connect()
    ensure_tables(con)
    yield Warehouse(con, Settings())
    con.close()


@pytest.fixture(scope="session")
def online_retail_by_day(tmp_path_factory) -> Path:
    """The 305 published UCI Online Retail by-day export files (see tests/real_data.py)."""
    return write_online_retail_by_day(tmp_path_factory.mktemp("online_retail") / "by-day")
