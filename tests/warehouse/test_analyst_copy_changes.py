"""The analyst copy updated from the previous copy (warehouse/analyst_copy.py `CopyChanges`)
on small real DuckDB files: only the rows named are copied again, and a previous copy that
is missing, replaced or holds what it must not is never the start of the new one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from warehouse.analyst_copy import CopyChanges, file_identity, publish_analyst_copy

DAYS = 10


def _warehouse(path: Path) -> Path:
    """Two daily marts of 10 days, a forecast rebuilt whole and raw rows with an e-mail."""
    with duckdb.connect(str(path)) as con:
        for schema in ("raw", "marts", "forecasts"):
            con.execute(f"create schema {schema}")
        con.execute("create table raw.orders as select 'ann@example.com' as email")
        for table in ("marts.daily_a", "marts.daily_b"):
            con.execute(
                f"create table {table} as select date '2024-01-01' + d::int as day, "
                "d * 1.5 as amount from range(10) t(d)"
            )
        con.execute("create table forecasts.demand as select 1 as version")
    return path


def _days(*days: str) -> str:
    listed = ", ".join(f"date '{day}'" for day in days)
    return f"day in ({listed})"


def _night(warehouse: Path) -> None:
    """A night: a new day in both marts, day 3 rewritten in daily_a, the forecast anew."""
    with duckdb.connect(str(warehouse)) as con:
        for table in ("marts.daily_a", "marts.daily_b"):
            con.execute(f"insert into {table} values (date '2024-01-11', 99.0)")
        con.execute("update marts.daily_a set amount = -1 where day = date '2024-01-03'")
        con.execute("create or replace table forecasts.demand as select 2 as version")


def _rows(path: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(path), read_only=True) as con:
        tables = con.execute(
            "select table_schema || '.' || table_name from information_schema.tables order by 1"
        ).fetchall()
        return {
            table: con.execute(f"select * from {table} order by all").fetchall()
            for (table,) in tables
        }


def _changes(target: Path, daily_a: str, daily_b: str) -> CopyChanges:
    return CopyChanges(
        2,
        file_identity(target),
        {"marts.daily_a": daily_a, "marts.daily_b": daily_b, "forecasts.demand": None},
    )


def test_the_named_rows_are_copied_again_and_the_result_equals_a_whole_copy(tmp_path):
    """Bug caught: an update that copies the named rows twice, leaves the old version of a
    rewritten row, skips a table rebuilt whole, or keeps a table the warehouse dropped."""
    warehouse = _warehouse(tmp_path / "warehouse.duckdb")
    target = tmp_path / "analyst.duckdb"
    publish_analyst_copy(warehouse, target)
    _night(warehouse)
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create table marts.new_mart as select 1 as x")
    with duckdb.connect(str(target)) as con:  # a table the warehouse no longer has
        con.execute("create table marts.dropped as select 1 as x")
    changes = _changes(target, _days("2024-01-03", "2024-01-11"), _days("2024-01-11"))
    copy = publish_analyst_copy(warehouse, target, changes=changes)
    assert not copy.whole, copy.reason
    whole = publish_analyst_copy(warehouse, tmp_path / "whole.duckdb")
    assert _rows(target) == _rows(whole.path)
    assert "marts.dropped" not in copy.rows and copy.rows["marts.daily_a"] == DAYS + 1


def test_a_missing_or_replaced_previous_copy_is_not_started_from(tmp_path):
    """Bug caught: a missing copy fails the run, or a file put at the copy's path (an older
    copy restored, one an analyst wrote to) is updated as if it were the recorded one."""
    warehouse = _warehouse(tmp_path / "warehouse.duckdb")
    target = tmp_path / "analyst.duckdb"
    publish_analyst_copy(warehouse, target)
    changes = _changes(target, "false", "false")
    target.unlink()
    _night(warehouse)
    missing = publish_analyst_copy(warehouse, target, changes=changes)
    assert missing.whole and "missing" in missing.reason

    changes = _changes(target, "false", "false")
    with duckdb.connect(str(target)) as analyst:
        analyst.execute("delete from marts.daily_b")
    replaced = publish_analyst_copy(warehouse, target, changes=changes)
    assert replaced.whole and "not the copy the warehouse recorded" in replaced.reason
    assert _rows(target) == _rows(publish_analyst_copy(warehouse, tmp_path / "w.duckdb").path)


def test_a_previous_copy_holding_another_schema_is_not_started_from(tmp_path):
    """Bug caught: a previous copy holding a table outside the analyst schemas (raw rows
    with e-mails, written by an older version or by hand) carried into every later copy."""
    warehouse = _warehouse(tmp_path / "warehouse.duckdb")
    target = tmp_path / "analyst.duckdb"
    publish_analyst_copy(warehouse, target)
    with duckdb.connect(str(target)) as con:
        con.execute("create schema raw")
        con.execute("create table raw.orders as select 'ann@example.com' as email")
    copy = publish_analyst_copy(warehouse, target, changes=_changes(target, "false", "false"))
    assert copy.whole and "raw.orders" in copy.reason
    assert "raw.orders" not in _rows(target)


def test_rows_the_changes_do_not_name_send_the_copy_back_to_whole(tmp_path):
    """Bug caught: a build that rewrote rows without recording them (or deleted a day it did
    not record) leaves the copy with other rows than the warehouse, silently."""
    warehouse = _warehouse(tmp_path / "warehouse.duckdb")
    target = tmp_path / "analyst.duckdb"
    publish_analyst_copy(warehouse, target)
    _night(warehouse)
    # The new day is named; the rewritten day 3 of daily_a is not (its count still agrees).
    changes = _changes(target, _days("2024-01-11"), _days("2024-01-11"))
    with duckdb.connect(str(warehouse)) as con:
        con.execute("delete from marts.daily_b where day = date '2024-01-01'")
    copy = publish_analyst_copy(warehouse, target, changes=changes)
    assert copy.whole and "marts.daily_b holds another row count" in copy.reason
    assert _rows(target) == _rows(publish_analyst_copy(warehouse, tmp_path / "w.duckdb").path)


def test_a_table_whose_columns_changed_is_copied_whole(tmp_path):
    """Bug caught: rows inserted by position into a table whose columns the warehouse
    changed (a new column), failing the copy or shifting values into the wrong column."""
    warehouse = _warehouse(tmp_path / "warehouse.duckdb")
    target = tmp_path / "analyst.duckdb"
    publish_analyst_copy(warehouse, target)
    with duckdb.connect(str(warehouse)) as con:
        con.execute("alter table marts.daily_a add column note varchar default 'n'")
    changes = _changes(target, "false", "false")
    copy = publish_analyst_copy(warehouse, target, changes=changes)
    assert not copy.whole
    assert _rows(target)["marts.daily_a"][0] == (dt.date(2024, 1, 1), 0.0, "n")
