"""Opening the warehouse: every connection, writer or reader, gets the same DuckDB settings."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import duckdb

from config.settings import WarehouseSettings


def warehouse_config(settings: WarehouseSettings) -> dict[str, str]:
    """DuckDB configuration of every warehouse connection (writers and read-only readers).

    Args:
        settings: the `warehouse` section of the run settings.

    Returns:
        `duckdb.connect(config=...)` options: memory_limit and temp_directory when set.
    """
    config = {"memory_limit": settings.memory_limit, "temp_directory": settings.temp_directory}
    return {name: value for name, value in config.items() if value}


def connect(
    path: str | Path,
    *,
    read_only: bool = False,
    settings: WarehouseSettings | None = None,
) -> duckdb.DuckDBPyConnection:
    """Open a DuckDB database with the warehouse settings and no progress bar.

    Readers should pass `read_only=True`: a read-only connection can never take the
    writer's lock from a run (DuckDB allows one read-write process per file).

    Args:
        path: the database file, or ":memory:" for a scratch database.
        read_only: open without write access.
        settings: the `warehouse` section of the run settings; None leaves DuckDB its
            defaults (memory limit 80 % of RAM, spilling beside the file).

    Returns:
        The open connection; close it, or use it as a context manager.
    """
    config = warehouse_config(settings) if settings is not None else {}
    con = duckdb.connect(str(path), read_only=read_only, config=config)
    # DuckDB draws a progress bar for long queries, which fills run logs with redraws.
    con.execute("set enable_progress_bar = false")
    return con


@contextlib.contextmanager
def optimizer_off(con: duckdb.DuckDBPyConnection, name: str) -> Iterator[None]:
    """Turn off DuckDB's optimizer `name` on `con` for the block, then restore the list of
    optimizers turned off before it (a query that one optimizer plans badly, while every
    other query keeps DuckDB's defaults)."""
    (before,) = con.execute("select current_setting('disabled_optimizers')").fetchone()
    names = [n for n in before.split(",") if n.strip()]
    con.execute("set disabled_optimizers = ?", [",".join([*names, name])])
    try:
        yield
    finally:
        con.execute("set disabled_optimizers = ?", [before])
