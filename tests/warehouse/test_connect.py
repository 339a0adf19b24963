"""connect(): the warehouse settings reach DuckDB, and readers cannot write."""

from __future__ import annotations

import duckdb
import pytest

from config.settings import WarehouseSettings
from warehouse.connect import connect, warehouse_config


def test_memory_limit_and_temp_directory_are_applied(tmp_path):
    spill = tmp_path / "spill"
    settings = WarehouseSettings(memory_limit="300MB", temp_directory=str(spill))
    with connect(tmp_path / "w.duckdb", settings=settings) as con:
        limit, temp = con.execute(
            "select current_setting('memory_limit'), current_setting('temp_directory')"
        ).fetchall()[0]
    assert (limit, temp) == ("286.1 MiB", str(spill))  # 300,000,000 bytes in MiB


def test_a_read_only_connection_gets_the_settings_too(tmp_path):
    path = tmp_path / "w.duckdb"
    connect(path).close()
    settings = WarehouseSettings(memory_limit="300MB")
    with connect(path, read_only=True, settings=settings) as con:
        limit = con.execute("select current_setting('memory_limit')").fetchall()[0][0]
    assert limit == "286.1 MiB"


def test_the_progress_bar_is_off():
    with connect(":memory:") as con:
        shown = con.execute("select current_setting('enable_progress_bar')").fetchall()[0][0]
    assert shown is False


def test_a_read_only_connection_refuses_a_write(tmp_path):
    path = tmp_path / "w.duckdb"
    with connect(path) as con:
        con.execute("create table stock as select 'A' as sku, 1 as units")
    with connect(path, read_only=True) as con:
        with pytest.raises(duckdb.InvalidInputException, match="read-only"):
            con.execute("insert into stock values ('B', 2)")
        assert con.execute("select * from stock").fetchall() == [("A", 1)]


def test_default_settings_leave_duckdb_its_own():
    assert warehouse_config(WarehouseSettings()) == {}
