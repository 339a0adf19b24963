"""Fixtures for the ingest tests: an exports folder in tmp_path and a fresh warehouse."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from contract.exports import RAW_TABLE
from ingest.load import ensure_tables, load_days
from tests.ingest.damage import HEALTHY, write


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "real_data: reads the real Online Retail export files (runs in the normal suite)"
    )


@pytest.fixture
def exports(tmp_path: Path) -> Path:
    folder = tmp_path / "exports"
    folder.mkdir()
    return folder


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    connection.execute("SET enable_progress_bar = false")
    ensure_tables(connection)
    yield connection
    connection.close()


@pytest.fixture
def healthy(exports, con):
    """A warehouse holding every kind (orders on three days), one row quarantined."""
    for relative, content in HEALTHY.items():
        write(exports, relative, content)
    for kind in RAW_TABLE:
        load_days(con, exports, kind)
    return exports
