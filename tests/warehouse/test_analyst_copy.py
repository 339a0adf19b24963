"""The analyst copy (warehouse/analyst_copy.py) on small real DuckDB files: what it holds,
that readers never see it half-written, and that a failed copy leaves the one before."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from warehouse.analyst_copy import ANALYST_SCHEMAS, publish_analyst_copy

MART_TABLES = 12
ROWS = 50_000
EMAIL = "ann@example.com"


def _warehouse(path: Path, version: int) -> Path:
    """A warehouse whose every analyst table carries `version` in each row, plus raw,
    staging and build_state tables holding what must not reach the copy."""
    with duckdb.connect(str(path)) as con:
        for schema in ("raw", "staging", "build_state", *ANALYST_SCHEMAS):
            con.execute(f"create schema {schema}")
        con.execute(f"create table raw.orders as select 'O1' as order_id, '{EMAIL}' as email")
        con.execute("create table staging.stg_order_lines as select 'O1' as order_id, 'k1' as key")
        con.execute("create table build_state.builds as select 1 as build")
        for n in range(MART_TABLES):
            con.execute(
                f"create table marts.table_{n:02} as select range as id, {version} as version, "
                f"range * 0.5 as amount, date '2024-01-01' + range::int % 30 as day "
                f"from range({ROWS})"
            )
        for table in ("forecasts.demand_forecast", "inventory.reorders", "quality.load_log"):
            con.execute(f"create table {table} as select {version} as version")
        con.execute("create view marts.first_rows as select * from marts.table_00 where id < 10")
    return path


def _analyst_tables_of(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [
        f"{schema}.{table}"
        for schema, table in con.execute(
            "select table_schema, table_name from information_schema.tables order by 1, 2"
        ).fetchall()
    ]


def _analyst_tables(path: Path) -> list[str]:
    with duckdb.connect(str(path), read_only=True) as con:
        return _analyst_tables_of(con)


def _versions(con: duckdb.DuckDBPyConnection, tables: list[str]) -> set[int]:
    return {
        row[0]
        for table in tables
        for row in con.execute(f"select distinct version from {table}").fetchall()
    }


def test_the_copy_holds_the_analyst_schemas_whole_and_nothing_else(tmp_path):
    """Bug caught: raw or staging copied too (customer e-mails in the analysts' file), a
    schema left out, or a view dropped instead of copied with its rows."""
    warehouse = _warehouse(tmp_path / "warehouse.duckdb", version=1)
    copy = publish_analyst_copy(warehouse, tmp_path / "analyst.duckdb")
    tables = _analyst_tables(copy.path)
    assert {table.split(".")[0] for table in tables} == set(ANALYST_SCHEMAS)
    assert sorted(copy.rows) == tables and copy.rows["marts.first_rows"] == 10
    assert copy.bytes == copy.path.stat().st_size > 0
    with duckdb.connect(str(copy.path), read_only=True) as con:
        con.execute(f"attach '{warehouse}' as source (read_only)")
        for table in tables:
            schema_of = "select column_name, data_type from information_schema.columns "
            schema_of += "where table_catalog = ? and table_schema = ? and table_name = ? "
            schema_of += "order by ordinal_position"
            name = table.split(".")
            assert (
                con.execute(schema_of, ["analyst", *name]).fetchall()
                == con.execute(schema_of, ["source", *name]).fetchall()
            )
            differing = con.execute(
                f"select count(*) from ((select * from {table} except all select * from "
                f"source.{table}) union all (select * from source.{table} except all "
                f"select * from {table}))"
            ).fetchone()[0]
            assert differing == 0, table
        text = con.execute(
            "select string_agg(column_name) from information_schema.columns "
            "where table_catalog = 'analyst'"
        ).fetchone()[0]
    assert "email" not in text


def test_readers_see_the_old_copy_or_the_new_one_never_a_half_written_one(tmp_path):
    """Bug caught: writing the copy in place (or deleting it first) gives a reader that
    opens it mid-publication a missing file, a lock error or a copy with some tables new
    and some old; and a reader holding the old copy open must keep reading it, whole."""
    target = tmp_path / "analyst.duckdb"
    publish_analyst_copy(_warehouse(tmp_path / "v1.duckdb", version=1), target)
    tables = _analyst_tables(target)
    newer = _warehouse(tmp_path / "v2.duckdb", version=2)
    # An analyst's session in another process, open on the first copy throughout.
    held = subprocess.Popen(
        [sys.executable, "-c", _HELD_READER, str(target), ",".join(tables)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert held.stdout.readline().strip() == "1"
    seen, errors, stop = [], [], threading.Event()

    def poll() -> None:  # a reader opening the copy again and again (one at a time)
        while not stop.is_set():
            opened = time.monotonic()
            try:
                with duckdb.connect(str(target), read_only=True) as con:
                    seen.append((opened, _analyst_tables_of(con), _versions(con, tables)))
            except duckdb.Error as error:
                errors.append(error)

    poller = threading.Thread(target=poll)
    poller.start()
    started = time.monotonic()
    try:
        copy = publish_analyst_copy(newer, target)
        finished = time.monotonic()
        deadline = finished + 30
        while not any(opened > finished for opened, _, _ in seen) and time.monotonic() < deadline:
            time.sleep(0.05)  # until one reader has opened the new copy
    finally:
        stop.set()
        poller.join()
    held_after, _ = held.communicate("\n", timeout=60)
    assert not errors, errors[:3]
    assert sum(started <= when <= finished for when, _, _ in seen) >= 2, "no poll overlapped"
    assert all(names == tables for _, names, _ in seen)
    # Each opening saw one whole copy, the old until the swap and the new from then on.
    versions = [found for _, _, found in seen]
    assert all(found in ({1}, {2}) for found in versions)
    assert versions == sorted(versions, key=min) and versions[-1] == {2}, versions
    with duckdb.connect(str(target), read_only=True) as con:
        assert _versions(con, tables) == {2} and sorted(copy.rows) == tables
    assert held_after.strip() == "1"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "analyst.duckdb",
        "v1.duckdb",
        "v2.duckdb",
    ]


# Opens the copy, prints the versions it reads, waits for a line, prints them again.
_HELD_READER = """
import sys, duckdb
path, tables = sys.argv[1], sys.argv[2].split(",")
con = duckdb.connect(path, read_only=True)
def versions():
    found = {r[0] for t in tables for r in con.execute(f"select distinct version from {t}").fetchall()}
    return ",".join(map(str, sorted(found)))
print(versions(), flush=True)
sys.stdin.readline()
print(versions(), flush=True)
"""


def test_a_failed_copy_leaves_the_previous_copy_and_no_partial_file(tmp_path):
    """Bug caught: a copy that fails halfway (here a view that raises) replaces or
    truncates the analysts' copy, or leaves its half-written file beside it."""
    target = tmp_path / "analyst.duckdb"
    publish_analyst_copy(_warehouse(tmp_path / "v1.duckdb", version=1), target)
    before = target.stat()
    broken = _warehouse(tmp_path / "v2.duckdb", version=2)
    with duckdb.connect(str(broken)) as con:
        # Sorted last, so every other table has been copied when it fails.
        con.execute("create view quality.zz_broken as select error('this view cannot be read')")
    with pytest.raises(duckdb.Error, match="this view cannot be read"):
        publish_analyst_copy(broken, target)
    after = target.stat()
    assert (after.st_ino, after.st_mtime_ns, after.st_size) == (
        before.st_ino,
        before.st_mtime_ns,
        before.st_size,
    )
    tables = _analyst_tables(target)
    with duckdb.connect(str(target), read_only=True) as con:
        assert _versions(con, tables) == {1}
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "analyst.duckdb",
        "v1.duckdb",
        "v2.duckdb",
    ]
