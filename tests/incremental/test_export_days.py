"""The days a rebuild of staging.stg_inventory changed (incremental/export_days.py), from
inventory exports loaded with the real loader and the table built from its SQL model."""

import datetime as dt

import duckdb
import pytest

from assets.warehouse import SQL_DIR, build_table, model_sql, prepare
from config.settings import Settings
from incremental.export_days import record_rebuilt_days
from ingest.load import ensure_tables, load_days

TABLE = "staging.stg_inventory"


@pytest.fixture
def con():
    con = duckdb.connect()
    ensure_tables(con)
    prepare(con, Settings(), salt="0" * 64)
    yield con
    con.close()


def drop(exports, day: str, *rows: str) -> None:
    """inventory/<day>.csv with rows "snapshot_date,sku,on_hand"."""
    path = exports / "inventory" / f"{day}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("snapshot_date,sku,on_hand\n" + "".join(f"{r}\n" for r in rows))


def build(con, exports, *days: str, macros: str | None = None):
    """Load the export days, rebuild the table and record the days it changed."""
    load_days(con, exports, "inventory", [dt.date.fromisoformat(d) for d in days])
    build_table(con, "staging", "stg_inventory")
    macros = (SQL_DIR / "macros.sql").read_text() if macros is None else macros
    days = record_rebuilt_days(con, TABLE, model_sql("staging", "stg_inventory"), macros)
    return None if days is None else [str(d) for d in days]


def test_only_the_snapshot_days_whose_exports_changed_are_recorded(con, tmp_path):
    """Bugs: a new export day, a re-export that moves a snapshot to another day, or a logic
    change is not recorded, so the checks skip rows the build changed; or every day is."""
    drop(tmp_path, "2024-01-01", "2024-01-01,A,3", "2024-01-01,B,4")
    assert build(con, tmp_path, "2024-01-01") is None  # first build: the whole table
    drop(tmp_path, "2024-01-02", "2024-01-02,A,2")
    assert build(con, tmp_path, "2024-01-02") == ["2024-01-02"]
    assert build(con, tmp_path) == []  # nothing loaded: nothing changed
    # a re-export of the first day, dated the day before: both snapshot days changed
    drop(tmp_path, "2024-01-01", "2023-12-31,A,3")
    assert build(con, tmp_path, "2024-01-01") == ["2023-12-31", "2024-01-01"]
    assert build(con, tmp_path, macros="-- another macro file") is None
