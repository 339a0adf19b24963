"""A table rebuilt whole but not every night (the backtests, written with
incremental/written.py `replace_recorded`) is copied again only after a night that rebuilt
it, and the nightly copy then equals a whole copy."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

from incremental.copy_plan import plan_analyst_copy, record_analyst_copy
from incremental.written import replace_recorded
from warehouse.analyst_copy import SOURCE, publish_analyst_copy

BACKTEST = "forecasts.demand_backtest"


def _night(warehouse: Path, copy: Path, backtest: pl.DataFrame | None):
    """One run: the backtest rebuilt (or kept: None), then the copy as the asset makes it."""
    with duckdb.connect(str(warehouse)) as con:
        if backtest is not None:
            replace_recorded(con, "forecasts", "demand_backtest", backtest)
        changes = plan_analyst_copy(con, SOURCE, {})
    published = publish_analyst_copy(warehouse, copy, changes=changes)
    with duckdb.connect(str(warehouse)) as con:
        record_analyst_copy(con, changes.through, published.file_id)
    return changes, published


def _rows(path: Path) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(f"select * from {BACKTEST} order by all").fetchall()


def test_a_kept_backtest_is_not_copied_and_a_rebuilt_one_is(tmp_path):
    """Bug caught: a backtest rebuilt with as many rows as before but other errors, which
    the copy does not copy again (its row count still agrees), so analysts read last week's
    model errors; or a kept backtest copied whole every night for nothing."""
    warehouse, copy = tmp_path / "warehouse.duckdb", tmp_path / "analyst.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema forecasts; create schema marts")
        con.execute("create table marts.orders_daily as select 1 as orders")
    week_1 = pl.DataFrame({"sku": ["A", "B"], "wape": [0.5, 0.25]})
    _changes, first = _night(warehouse, copy, week_1)
    assert first.whole

    kept, published = _night(warehouse, copy, None)
    assert not published.whole
    assert kept.rows[BACKTEST] == "false"  # nothing rewrote it: not copied again
    assert kept.rows["marts.orders_daily"] is None  # records nothing: copied whole
    assert _rows(copy) == _rows(warehouse) == list(week_1.rows())

    week_2 = pl.DataFrame({"sku": ["A", "B"], "wape": [0.75, 0.125]})
    rebuilt, published = _night(warehouse, copy, week_2)
    assert not published.whole
    assert rebuilt.rows[BACKTEST] is None
    assert _rows(copy) == _rows(warehouse) == list(week_2.rows())
    whole = publish_analyst_copy(warehouse, tmp_path / "whole.duckdb")
    assert _rows(whole.path) == _rows(copy)
