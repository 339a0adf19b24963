"""The nightly analyst copy, updated from the previous copy with only the rows the run
rewrote (incremental/copy_plan.py, warehouse/analyst_copy.py), equals a copy made whole:
the real CLI run on tiny order and traffic exports, after a night that adds a day, one that
re-exports an older day, and one whose previous copy an analyst wrote to (a missing or
odd previous copy: tests/warehouse/test_analyst_copy_changes.py).
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb
import polars as pl
import pytest

from config.resources import RunPaths
from pipelines.cli import main
from simulator.tiny import FIRST_DAY, tiny_order_rows, write_tiny_orders
from tests.incremental.traffic_exports import drop
from warehouse.analyst_copy import ANALYST_SCHEMAS, publish_analyst_copy

pytestmark = pytest.mark.e2e

FIRST_RUN_DAYS = 8
UPDATED = "previous copy updated"
WHOLE = "copied whole"


def _traffic(exports: Path, offset: int, visitors: int = 3, first_visitor: int = 0) -> None:
    """One day of traffic: each visitor views and carts; one of them buys."""
    day = str(FIRST_DAY + dt.timedelta(days=offset))
    events = []
    for n in range(visitors):
        user = f"u{(offset + first_visitor + n) % 5}"
        events += [f"1{n}:00,page_view,{user},{day}-{n}a", f"1{n}:05,add_to_cart,{user},{day}-{n}b"]
    events.append(f"19:00,purchase,u{(offset + first_visitor) % 5},{day}-p")
    drop(exports, day, *events)


def _day(exports: Path, offset: int) -> None:
    write_tiny_orders(exports, [offset])
    _traffic(exports, offset)


@pytest.fixture(scope="module")
def first_run(tmp_path_factory) -> Path:
    """A data folder after one run over the first days (copied by each test)."""
    root = tmp_path_factory.mktemp("analyst_nightly_first_run")
    for offset in range(FIRST_RUN_DAYS):
        _day(root / "exports", offset)
    assert _run(root) == 0
    return root


@pytest.fixture
def shop(first_run, tmp_path) -> tuple[Path, RunPaths]:
    shutil.copytree(first_run, tmp_path, dirs_exist_ok=True)
    return tmp_path, RunPaths(
        data_dir=str(tmp_path / "data"), exports_dir=str(tmp_path / "exports")
    )


def _run(root: Path) -> int:
    return main(["run", "--exports", str(root / "exports"), "--data-dir", str(root / "data")])


def _how_the_copy_was_made(paths: RunPaths) -> str:
    """The newest run log's line about the analyst copy."""
    log = max(paths.data.glob("logs/run-*.log"), key=lambda path: path.stat().st_mtime_ns)
    lines = [line for line in log.read_text().splitlines() if "analyst copy written" in line]
    assert len(lines) == 1
    return lines[0]


def _tables(con: duckdb.DuckDBPyConnection, catalog: str) -> list[tuple]:
    return con.execute(
        "select table_schema, table_name, list(column_name || ' ' || data_type "
        "order by ordinal_position) from information_schema.columns "
        "where table_catalog = ? group by all order by all",
        [catalog],
    ).fetchall()


def assert_equals_a_whole_copy(paths: RunPaths, tmp_path: Path) -> None:
    """Every table of the published copy holds the rows a whole copy holds, `except all`
    both ways, and the copies hold the same tables with the same columns."""
    whole = publish_analyst_copy(paths.warehouse, tmp_path / "whole.duckdb")
    assert whole.whole
    with duckdb.connect() as con:
        con.execute(f"attach '{paths.analyst_copy}' as nightly (read_only)")
        con.execute(f"attach '{whole.path}' as whole (read_only)")
        tables = _tables(con, "nightly")
        assert tables == _tables(con, "whole")
        assert {schema for schema, _, _ in tables} <= set(ANALYST_SCHEMAS)
        assert any(table == "sessions" for _, table, _ in tables)
        for schema, table, _ in tables:
            a, b = f'nightly."{schema}"."{table}"', f'whole."{schema}"."{table}"'
            differing = con.execute(
                f"select count(*) from ((from {a} except all from {b}) "
                f"union all (from {b} except all from {a}))"
            ).fetchone()[0]
            assert differing == 0, f"{schema}.{table}"
        assert con.execute("select count(*) from nightly.marts.sessions").fetchone()[0] > 0


def test_nightly_copies_equal_whole_copies_after_a_new_day_and_a_re_exported_day(shop, tmp_path):
    """Bug caught: a nightly copy that misses rows a build rewrote (a day recomputed, a
    visitor's sessions rebuilt, a table rebuilt whole), keeps rows the warehouse deleted, or
    loses the lists of written rows before the copy reads them (the checks forget them
    first), so analysts read numbers the warehouse no longer holds."""
    root, paths = shop
    _day(root / "exports", FIRST_RUN_DAYS)
    assert _run(root) == 0
    assert UPDATED in _how_the_copy_was_made(paths)
    assert_equals_a_whole_copy(paths, tmp_path / "night1")

    # An older day re-exported: other quantities, other visitors and one event fewer.
    day = FIRST_DAY + dt.timedelta(days=2)
    rows = [{**row, "quantity": row["quantity"] + 7} for row in tiny_order_rows(day)]
    pl.DataFrame(rows).write_csv(root / "exports" / "orders" / f"{day}.csv")
    _traffic(root / "exports", 2, visitors=2, first_visitor=3)
    assert _run(root) == 0
    assert UPDATED in _how_the_copy_was_made(paths)
    assert_equals_a_whole_copy(paths, tmp_path / "night2")


def test_a_copy_an_analyst_wrote_to_is_replaced_by_a_whole_copy(shop, tmp_path):
    """Bug caught: the night's rows applied to a copy an analyst changed (rows deleted, a
    table of their own added): the analysts' edits, or their own table, live on."""
    root, paths = shop
    with duckdb.connect(str(paths.analyst_copy)) as analyst:
        analyst.execute("delete from marts.orders_daily")
        analyst.execute("create table marts.my_scratch as select 1 as x")
    _day(root / "exports", FIRST_RUN_DAYS)
    assert _run(root) == 0
    assert WHOLE in _how_the_copy_was_made(paths)
    assert_equals_a_whole_copy(paths, tmp_path)
