"""Incremental staging.stg_order_lines and staging.stg_inventory (incremental/key_build.py).

Each case loads small export files with the real loader, builds the table from its SQL
model, changes the exports (a new day, an order re-exported later with a new status, an
older inventory day re-exported, a night with nothing new, a catalog change), loads and
builds again, then checks the keys the build recomputed, the days it recorded for the
checks, and that the table equals a rebuild from scratch row for row.
"""

import datetime as dt

import duckdb
import pytest

from assets.warehouse import SQL_DIR, build_table, model_sql, prepare
from config.settings import Settings
from incremental.key_build import build_keyed_table
from incremental.written import pending_writes
from ingest.load import ensure_tables, load_days

ORDERS = "staging.stg_order_lines"
INVENTORY = "staging.stg_inventory"


@pytest.fixture
def con():
    con = duckdb.connect()
    ensure_tables(con)
    prepare(con, Settings(), salt="0" * 64)
    build_table(con, "staging", "stg_catalog")  # the order lines look SKUs up in it
    yield con
    con.close()


def drop(exports, kind: str, day: str, header: str, *rows: str) -> None:
    """<kind>/<day>.csv with the header and rows given."""
    path = exports / kind / f"{day}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + "\n" + "".join(f"{r}\n" for r in rows))


def orders(exports, day: str, *rows: str) -> None:
    """An orders export; a row is "order_id,ordered_at,sku,quantity,order_status"."""
    drop(
        exports,
        "orders",
        day,
        "order_id,ordered_at,sku,quantity,order_status,unit_price",
        *[f"{r},2.5" for r in rows],
    )


def inventory(exports, day: str, *rows: str) -> None:
    """An inventory export; a row is "snapshot_date,sku,on_hand"."""
    drop(exports, "inventory", day, "snapshot_date,sku,on_hand", *rows)


def build(con, table: str, full: bool = False, macros: str | None = None):
    macros = (SQL_DIR / "macros.sql").read_text() if macros is None else macros
    return build_keyed_table(con, table, model_sql(*table.split(".")), macros, full=full)


def load_and_build(con, exports, kind: str, table: str, *days: str):
    load_days(con, exports, kind, [dt.date.fromisoformat(d) for d in days])
    return build(con, table)


def written_days(con, table: str) -> list[str] | None:
    """The days the newest build recorded as rewritten (None: the whole table)."""
    last = con.execute(
        "select max(write_id) from build_state.written where table_name = ?", [table]
    ).fetchall()[0][0]
    pending = pending_writes(con, table, last - 1)
    if pending.whole:
        return None
    rows = con.execute(
        "select day from build_state.written_days where table_name = ? and write_id = ? "
        "order by day",
        [table, last],
    ).fetchall()
    return [str(day) for (day,) in rows]


def assert_equals_full_rebuild(con, table: str) -> None:
    """Bug caught: an incremental build that leaves a row a rebuild from scratch would not
    (a stale line of a replaced order, a dropped snapshot day) or misses one."""
    incremental = con.execute(f"select * from {table} order by all").fetchall()
    assert build(con, table, full=True).mode == "full"
    assert con.execute(f"select * from {table} order by all").fetchall() == incremental


def statuses(con) -> list[tuple]:
    return con.execute(
        "select order_id, line_number, order_status, cast(export_date as varchar) "
        "from staging.stg_order_lines order by all"
    ).fetchall()


def test_an_order_re_exported_later_with_a_new_status_replaces_its_lines(con, tmp_path):
    """Bugs: the re-exported order keeps its old lines beside the new ones or keeps the old
    status; orders the night did not touch are recomputed; the checks are told nothing
    (or the whole table) was written."""
    orders(
        tmp_path,
        "2024-01-01",
        *[
            "A1,2024-01-01 10:00,S1,2,placed",
            "A1,2024-01-01 10:00,S2,1,placed",
            "A2,2024-01-01 11:00,S1,1,placed",
        ],
    )
    assert load_and_build(con, tmp_path, "orders", ORDERS, "2024-01-01").mode == "full"
    assert written_days(con, ORDERS) is None

    # A1 cancelled on the 3rd, one line only now; a new order A3 on the same day
    orders(
        tmp_path,
        "2024-01-03",
        "A1,2024-01-01 10:00,S1,2,cancelled",
        "A3,2024-01-03 09:00,S2,4,placed",
    )
    built = load_and_build(con, tmp_path, "orders", ORDERS, "2024-01-03")
    assert (built.mode, built.keys, built.rows_written) == ("incremental", 2, 2)
    assert [str(d) for d in built.changed_days] == ["2024-01-03"]
    assert statuses(con) == [
        ("A1", 1, "cancelled", "2024-01-03"),
        ("A2", 1, "placed", "2024-01-01"),
        ("A3", 1, "placed", "2024-01-03"),
    ]
    # the rows written are of the order days 1st (A1) and 3rd (A3)
    assert written_days(con, ORDERS) == ["2024-01-01", "2024-01-03"]
    assert_equals_full_rebuild(con, ORDERS)

    # the later export removed again (re-exported empty): A1's first export is the newest
    orders(tmp_path, "2024-01-03")
    built = load_and_build(con, tmp_path, "orders", ORDERS, "2024-01-03")
    assert built.keys == 2  # A1 and A3, held by the day at the last build
    assert [s[:3] for s in statuses(con)] == [
        ("A1", 1, "placed"),
        ("A1", 2, "placed"),
        ("A2", 1, "placed"),
    ]
    assert_equals_full_rebuild(con, ORDERS)


def test_a_night_with_no_new_rows_recomputes_nothing(con, tmp_path):
    """Bugs: a night without new order or inventory rows rebuilds everything, or records
    written days so the checks re-read rows nobody wrote."""
    orders(tmp_path, "2024-01-01", "A1,2024-01-01 10:00,S1,2,placed")
    inventory(tmp_path, "2024-01-01", "2024-01-01,S1,3")
    load_and_build(con, tmp_path, "orders", ORDERS, "2024-01-01")
    load_and_build(con, tmp_path, "inventory", INVENTORY, "2024-01-01")
    for table in (ORDERS, INVENTORY):
        built = build(con, table)
        assert (built.mode, built.keys, built.rows_written) == ("incremental", 0, 0)
        assert written_days(con, table) == []
        assert_equals_full_rebuild(con, table)


def test_a_re_exported_older_inventory_day_replaces_only_its_snapshot_days(con, tmp_path):
    """Bugs: a re-export of an old day leaves the snapshot rows it no longer holds, or its
    moved snapshot day is not recomputed; the other days are recomputed too."""
    inventory(tmp_path, "2024-01-01", "2024-01-01,A,3", "2024-01-01,B,4")
    inventory(tmp_path, "2024-01-02", "2024-01-02,A,2")
    assert (
        load_and_build(con, tmp_path, "inventory", INVENTORY, "2024-01-01", "2024-01-02").mode
        == "full"
    )
    inventory(tmp_path, "2024-01-03", "2024-01-03,A,1")
    built = load_and_build(con, tmp_path, "inventory", INVENTORY, "2024-01-03")
    assert (built.mode, built.keys, written_days(con, INVENTORY)) == (
        "incremental",
        1,
        ["2024-01-03"],
    )

    # the first day re-exported, dated the day before: both snapshot days recomputed
    inventory(tmp_path, "2024-01-01", "2023-12-31,A,3")
    built = load_and_build(con, tmp_path, "inventory", INVENTORY, "2024-01-01")
    assert built.keys == 2
    assert written_days(con, INVENTORY) == ["2023-12-31"]  # 2024-01-01 has no row left
    rows = con.execute(
        "select cast(snapshot_date as varchar), sku, on_hand from staging.stg_inventory order by all"
    ).fetchall()
    assert rows == [("2023-12-31", "A", 3), ("2024-01-02", "A", 2), ("2024-01-03", "A", 1)]
    assert_equals_full_rebuild(con, INVENTORY)


def test_a_catalog_change_recomputes_the_orders_of_its_skus(con, tmp_path):
    """Bug: a SKU whose catalog is_product changed keeps its order lines' old flag, which a
    rebuild from scratch would change."""
    drop(tmp_path, "catalog", "2024-01-01", "sku,unit_cost,is_product", "S1,1,true", "S2,1,true")
    load_days(con, tmp_path, "catalog", [dt.date(2024, 1, 1)])
    build_table(con, "staging", "stg_catalog")
    orders(
        tmp_path, "2024-01-01", "A1,2024-01-01 10:00,S1,2,placed", "A2,2024-01-01 11:00,S2,1,placed"
    )
    load_and_build(con, tmp_path, "orders", ORDERS, "2024-01-01")

    drop(tmp_path, "catalog", "2024-01-02", "sku,unit_cost,is_product", "S1,1,false", "S2,1,true")
    load_days(con, tmp_path, "catalog", [dt.date(2024, 1, 2)])
    build_table(con, "staging", "stg_catalog")
    built = build(con, ORDERS)
    assert (built.mode, built.keys) == ("incremental", 1)  # A1 only: S1 changed
    flags = "select order_id, is_product from staging.stg_order_lines order by all"
    assert con.execute(flags).fetchall() == [("A1", False), ("A2", True)]
    assert_equals_full_rebuild(con, ORDERS)


def test_a_logic_change_or_a_foreign_write_rebuilds_in_full(con, tmp_path):
    """Bugs: a changed model or macro file, or rows written outside the build, leave rows
    an incremental build would not recompute."""
    inventory(tmp_path, "2024-01-01", "2024-01-01,A,3")
    load_and_build(con, tmp_path, "inventory", INVENTORY, "2024-01-01")
    assert build(con, INVENTORY, macros="-- another macro file").mode == "full"
    con.execute("delete from staging.stg_inventory")
    built = build(con, INVENTORY, macros="-- another macro file")
    assert (built.mode, built.reason) == ("full", "the table has 0 rows, the last build left 1")
