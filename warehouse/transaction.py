"""One transaction around a block of warehouse writes: all of them land, or none."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """Begin a transaction; commit when the block ends, roll back and re-raise if it fails.

    Any exception rolls back, KeyboardInterrupt included, so an interrupted load or build
    leaves the tables as they were. DuckDB has no nested transactions: do not open one
    inside another on the same connection.

    Args:
        con: a read-write warehouse connection with no transaction open.

    Yields:
        The same connection, for `with transaction(con) as tx:` if preferred.
    """
    con.execute("begin transaction")
    try:
        yield con
    except BaseException:
        con.execute("rollback")
        raise
    con.execute("commit")
