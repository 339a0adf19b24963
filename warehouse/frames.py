"""Reading query results into polars frames and writing polars frames into tables.

Table and schema names are identifiers from our own code, never from a file or a header;
values go in as query parameters.
"""

from __future__ import annotations

import duckdb
import polars as pl

from warehouse.transaction import transaction

# A query's parameters: positional (`?`) as a list, named (`$name`) as a dict.
Params = list | dict | None

# The name a frame is registered under while it is written. Registered inside a
# transaction, a failed write needs no clean-up: the rollback drops the registration too
# (unregistering in an aborted transaction would itself fail and hide the first error).
INCOMING = "incoming_frame"


def query(con: duckdb.DuckDBPyConnection, sql: str, params: Params = None) -> pl.DataFrame:
    """The result of one query as a polars frame.

    Args:
        con: an open warehouse connection.
        sql: one SELECT (or any statement returning rows).
        params: values for its `?` or `$name` placeholders.

    Returns:
        Every row of the result.
    """
    # DuckDB 2.0 has `.pl()` on relations only; `con.execute(...)` results no longer have it.
    return con.sql(sql, params=params).pl()


def read_row(con: duckdb.DuckDBPyConnection, sql: str, params: Params = None) -> tuple:
    """The first row of a query, for queries that return exactly one row.

    Args:
        con: an open warehouse connection.
        sql: the query.
        params: values for its `?` or `$name` placeholders.

    Returns:
        The row as a tuple.
    """
    # fetchall, not fetchone: DuckDB 2.0 refuses new work while a result is half read.
    return con.execute(sql, params or []).fetchall()[0]


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: Params = None) -> object:
    """The first value of the first row of a query (a count, a max, a setting).

    Args:
        con: an open warehouse connection.
        sql: the query.
        params: values for its `?` or `$name` placeholders.

    Returns:
        That value, None for SQL NULL.
    """
    return read_row(con, sql, params)[0]


def insert_frame(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> None:
    """Append a frame's rows to an existing table, matching columns by name.

    Runs in the caller's transaction (it opens none), so a caller can delete a partition
    and insert its new rows atomically.

    Args:
        con: a read-write warehouse connection.
        table: `schema.table`, which must exist and have every column of the frame.
        frame: the rows to add.
    """
    # Arrow's string views are how polars holds text: handed over as they are, with no
    # copy into Arrow's classic string layout (about a tenth of a raw load's insert).
    con.register(INCOMING, frame.to_arrow(compat_level=pl.CompatLevel.newest()))
    con.execute(f"insert into {table} by name select * from {INCOMING}")
    con.unregister(INCOMING)


def write_frame(
    con: duckdb.DuckDBPyConnection, schema: str, table: str, frame: pl.DataFrame
) -> int:
    """Replace `schema.table` with a polars frame in one transaction.

    The table takes the frame's columns and types; a failure leaves the old table.

    Args:
        con: a read-write warehouse connection; `schema` must exist.
        schema: the target schema.
        table: the target table, created or replaced.
        frame: its new rows.

    Returns:
        The number of rows written.
    """
    with transaction(con):
        return replace_table(con, schema, table, frame)


def replace_table(
    con: duckdb.DuckDBPyConnection, schema: str, table: str, frame: pl.DataFrame
) -> int:
    """Create or replace `schema.table` with a polars frame in the caller's transaction (it
    opens none), so that several tables can be replaced together: one commit, where DuckDB
    writes the new tables to disk once (about a third of two tables' write).

    Args and return value as :func:`write_frame`'s.
    """
    # String views handed over as they are, as in insert_frame.
    con.register(INCOMING, frame.to_arrow(compat_level=pl.CompatLevel.newest()))
    con.execute(f"create or replace table {schema}.{table} as select * from {INCOMING}")
    con.unregister(INCOMING)
    return frame.height


def append_frame(
    con: duckdb.DuckDBPyConnection, schema: str, table: str, frame: pl.DataFrame
) -> int:
    """Add a frame's rows to a history table in one transaction, creating it on first use.

    Args:
        con: a read-write warehouse connection; `schema` must exist.
        schema: the target schema.
        table: the target table; created empty with the frame's columns when absent.
        frame: the rows to add (matched to the table's columns by name).

    Returns:
        The number of rows added.
    """
    with transaction(con):
        con.register(INCOMING, frame.to_arrow())
        con.execute(
            f"create table if not exists {schema}.{table} as select * from {INCOMING} where false"
        )
        con.execute(f"insert into {schema}.{table} by name select * from {INCOMING}")
        con.unregister(INCOMING)
    return frame.height


def table_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Whether the table (or view) `schema.table` exists in the warehouse.

    Args:
        con: open connection to the warehouse.
        name: `schema.table`.

    Returns:
        True when it exists.
    """
    schema, table = name.split(".")
    return bool(
        con.execute(
            "select count(*) from information_schema.tables"
            " where table_schema = ? and table_name = ?",
            [schema, table],
        ).fetchall()[0][0]
    )
