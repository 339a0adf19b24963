"""Run one query of a dashboard page on the warehouse and return its result.

Each page's queries live with the page (`reports.pages.<page>.queries`); the tables they
may read are listed in `reports.inputs`.
"""

from __future__ import annotations

import duckdb
import polars as pl


def read_frame(
    con: duckdb.DuckDBPyConnection, query: str, params: dict | None = None
) -> pl.DataFrame:
    """The result of one query as a polars frame."""
    # DuckDB 2.0: .pl() lives on relations only; con.execute(...) results no longer have it.
    return con.sql(query, params=params).pl()


def read_row(con: duckdb.DuckDBPyConnection, query: str) -> tuple:
    """The first row of a query that returns exactly one row."""
    # fetchall, not fetchone: DuckDB 2.0 refuses new work while a result is half read.
    return con.sql(query).fetchall()[0]
