"""Loading days into DuckDB: idempotent per day and in any order, counts reconcile, the real
Online Retail drop."""

from __future__ import annotations

import datetime as dt
import random
import time

import duckdb
import pytest

from bench.stores import link_files
from contract.exports import RAW_TABLE
from ingest.discover import export_files
from ingest.load import day_chunks, ensure_tables, load_days
from ingest.source import ExportFileError

HEADER = "order_id,ordered_at,sku,quantity,unit_price\n"


def write_day(exports, day: str, *lines: str) -> None:
    folder = exports / "orders"
    folder.mkdir(exist_ok=True)
    (folder / f"{day}.csv").write_text(HEADER + "".join(line + "\n" for line in lines))


def counts(con) -> tuple[int, int, int]:
    return con.execute(
        "select (select count(*) from raw.orders), (select count(*) from quality.quarantine), "
        "(select count(*) from quality.load_log)"
    ).fetchone()


def test_loading_a_day_twice_counts_it_once(exports, con):
    write_day(exports, "2024-01-05", "A1,2024-01-05 10:00,S1,1,1.0", "A2,2024-01-05 10:00,S1,0,1.0")
    write_day(exports, "2024-01-06", "A3,2024-01-06 10:00,S1,1,1.0")
    load_days(con, exports, "orders")
    first = con.execute(
        "select * exclude (loaded_at) from quality.load_log order by file"
    ).fetchall()
    load_days(con, exports, "orders")
    load_days(con, exports, "orders", [dt.date(2024, 1, 5)])
    assert counts(con) == (2, 1, 2)
    assert (
        con.execute("select * exclude (loaded_at) from quality.load_log order by file").fetchall()
        == first
    )
    assert first == [
        ("orders", dt.date(2024, 1, 5), "orders/2024-01-05.csv", "generic", 2, 1, 1),
        ("orders", dt.date(2024, 1, 6), "orders/2024-01-06.csv", "generic", 1, 1, 0),
    ]


def test_a_day_without_a_file_clears_that_day_only(exports, con):
    write_day(exports, "2024-01-05", "A1,2024-01-05 10:00,S1,0,1.0")
    write_day(exports, "2024-01-06", "A3,2024-01-06 10:00,S1,1,1.0")
    load_days(con, exports, "orders")
    (exports / "orders" / "2024-01-05.csv").unlink()

    report = load_days(con, exports, "orders", [dt.date(2024, 1, 5), dt.date(2024, 1, 7)])

    assert (report.files, report.rows_read, report.days) == (
        (),
        0,
        (dt.date(2024, 1, 5), dt.date(2024, 1, 7)),
    )
    assert counts(con) == (1, 0, 1)
    assert con.execute("select order_id from raw.orders").fetchall() == [("A3",)]


def test_a_failing_file_changes_nothing(exports, con):
    write_day(exports, "2024-01-05", "A1,2024-01-05 10:00,S1,1,1.0")
    load_days(con, exports, "orders")
    (exports / "orders" / "2024-01-06.csv").write_text("not,an,orders,export\n")
    with pytest.raises(ExportFileError, match="orders/2024-01-06.csv is not an export of orders"):
        load_days(con, exports, "orders")
    assert counts(con) == (1, 0, 1)


def test_progress_and_reconciled_totals(exports, con):
    for day in ("2024-01-05", "2024-01-06", "2024-01-07"):
        write_day(exports, day, f"A-{day},{day} 10:00,S1,1,1.0", f"B-{day},{day} 10:00,S1,one,1.0")
    calls = []
    report = load_days(
        con, exports, "orders", progress=lambda done, total: calls.append((done, total))
    )
    assert calls[-1] == (3, 3) and all(total == 3 for _, total in calls)
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (6, 3, 3)
    assert all(f.rows_read == f.rows_loaded + f.rows_quarantined for f in report.files)
    assert con.execute("select count(*) from raw.orders where _line = 2").fetchone() == (3,)


@pytest.mark.real_data
def test_all_online_retail_days_load_and_reconcile(tmp_path, con, online_retail_by_day):
    exports = tmp_path / "exports"
    exports.mkdir()
    link_files(online_retail_by_day, exports / "orders")
    (exports / "exports.yaml").write_text("orders: {format: online-retail}\n")

    started = time.perf_counter()
    report = load_days(con, exports, "orders")
    seconds = time.perf_counter() - started

    assert len(report.files) == 305
    assert report.rows_read == 541_909 == report.rows_loaded + report.rows_quarantined
    assert (
        report.rows_quarantined == 0
    )  # cancellations, negative quantities and zero prices are valid lines
    assert con.execute(
        "select count(*), count(distinct order_id), count(distinct sku), count(distinct customer_id), "
        "count(*) filter (where customer_id is null), count(*) filter (where order_status = 'cancelled'), "
        "round(sum(quantity * unit_price), 2) from raw.orders"
    ).fetchone() == (report.rows_loaded, 25_900, 4_070, 4_372, 135_080, 9_288, 9_747_747.93)
    assert seconds < 30, f"loading 305 files took {seconds:.1f} s"  # a few seconds on 2 free cores


def warehouse(con) -> dict[str, list[tuple]]:
    """Every raw and quality row, without loaded_at (the only column that tells runs apart)."""
    tables = [f"raw.{table}" for table in RAW_TABLE.values()]
    return {
        table: con.execute(
            f"select * exclude (loaded_at) from {table} order by all"
            if table.startswith("quality")
            else f"select * from {table} order by all"
        ).fetchall()
        for table in [*tables, "quality.quarantine", "quality.load_log"]
    }


def test_days_loaded_shuffled_and_repeated_end_as_loaded_in_order_once(exports, tmp_path):
    days = [dt.date(2024, 1, 1) + dt.timedelta(days=i) for i in range(6)]
    for i, day in enumerate(days):
        lines = [
            f"A{i},{day} 10:00,S{i},{i + 1},1.5",
            f"A{i},{day} 10:00,S{i},{i + 1},1.5",  # identical lines: two real lines
            f"B{i},{day} 11:00,S1,{0 if i % 2 else 2},2.0",  # every other day a zero quantity
        ]
        write_day(exports, day.isoformat(), *lines)
    (exports / "inventory").mkdir()
    for day in days[:3]:
        (exports / "inventory" / f"{day}.csv").write_text(
            f"snapshot_date,sku,on_hand,aisle\n{day},S1,4,A\n{day},S1,5,B\n{day},S2,x,C\n"
        )

    def fresh():
        connection = duckdb.connect()
        ensure_tables(connection)
        return connection

    in_order = fresh()
    for kind in ("orders", "inventory"):
        load_days(in_order, exports, kind)
    expected = warehouse(in_order)
    assert [len(expected[t]) for t in ("raw.orders", "raw.inventory", "quality.quarantine")] == [
        15,
        3,
        9,
    ]

    shuffled = fresh()
    order = random.Random(7).sample(days, len(days))
    for day in order + order[:3]:
        load_days(shuffled, exports, "orders", [day])
        load_days(shuffled, exports, "inventory", [day])
    load_days(shuffled, exports, "orders", order[2:5])
    load_days(shuffled, exports, "orders")
    load_days(shuffled, exports, "inventory", list(reversed(days)))
    assert warehouse(shuffled) == expected


def test_a_warehouse_from_before_new_contract_columns_gets_them(exports):
    old = duckdb.connect()
    old.execute("create schema raw")
    old.execute(
        "create table raw.orders (order_id varchar, ordered_at timestamp, sku varchar, "
        "quantity bigint, unit_price double, _export_date date, _file varchar, _line bigint, "
        "_format varchar)"
    )
    old.execute(
        "insert into raw.orders values ('OLD', null, 'S1', 1, 1.0, null, null, 2, 'generic')"
    )
    write_day(exports, "2024-01-05", "A1,2024-01-05 10:00,S1,1,1.0")
    load_days(old, exports, "orders")
    assert old.execute(
        "select order_id, line_id, _extra from raw.orders order by order_id"
    ).fetchall() == [("A1", None, None), ("OLD", None, None)]


def test_a_range_loaded_in_chunks_equals_it_loaded_day_by_day(exports, tmp_path):
    days = [dt.date(2024, 1, 1) + dt.timedelta(days=i) for i in range(5)]
    for i, day in enumerate(days[:4]):  # the fifth day has no file: it is cleared
        write_day(
            exports,
            day.isoformat(),
            f"A{i},{day} 10:00,S{i},{i + 1},1.5",
            f"A{i},{day} 10:00,S{i},{i + 1},1.5",  # identical lines: two real lines
            f"B{i},{day} 11:00,S1,{'two' if i % 2 else 2},2.0",  # every other day unparsable
        )
    write_day(exports, "2024-01-09", "Z9,2024-01-09 10:00,S9,1,1.0")  # outside the range: kept

    def loaded(load) -> dict[str, list[tuple]]:
        connection = duckdb.connect()
        ensure_tables(connection)
        load_days(connection, exports, "orders", [dt.date(2024, 1, 9)])
        load(connection)
        return warehouse(connection)

    day_by_day = loaded(lambda c: [load_days(c, exports, "orders", [day]) for day in days])
    calls: list[tuple[int, int]] = []
    reports = []

    def chunked(connection) -> None:
        reports.append(
            load_days(
                connection,
                exports,
                "orders",
                days,
                progress=lambda done, total: calls.append((done, total)),
                chunk_bytes=1,  # one file per chunk
            )
        )

    assert loaded(chunked) == day_by_day
    assert loaded(lambda c: load_days(c, exports, "orders", days, chunk_bytes=10**9)) == day_by_day
    assert (len(day_by_day["raw.orders"]), len(day_by_day["quality.quarantine"])) == (11, 2)
    assert len(day_by_day["quality.load_log"]) == 5  # four days of the range and 2024-01-09
    report = reports[0]
    assert report.days == tuple(days)
    assert [f.file for f in report.files] == [f"orders/{d}.csv" for d in days[:4]]
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (12, 10, 2)
    assert [done for done, _ in calls] == [1, 2, 3, 4] and {t for _, t in calls} == {4}


def test_a_failing_file_leaves_the_chunks_before_it_loaded_and_its_own_unchanged(exports, con):
    for day in ("2024-01-05", "2024-01-06", "2024-01-07"):
        write_day(exports, day, f"A-{day},{day} 10:00,S1,1,1.0")
    load_days(con, exports, "orders")
    for day in ("2024-01-05", "2024-01-06"):
        write_day(exports, day, f"N-{day},{day} 10:00,S1,1,1.0")
    (exports / "orders" / "2024-01-07.csv").write_text("not,an,orders,export\n")
    with pytest.raises(ExportFileError, match="orders/2024-01-07.csv is not an export of orders"):
        load_days(con, exports, "orders", chunk_bytes=100)
    assert con.execute("select order_id from raw.orders order by 1").fetchall() == [
        ("A-2024-01-07",),
        ("N-2024-01-05",),
        ("N-2024-01-06",),
    ]


def test_day_chunks_fill_the_byte_budget_and_keep_an_oversized_day_alone(exports):
    days = [dt.date(2024, 1, 1) + dt.timedelta(days=i) for i in range(5)]
    (exports / "orders").mkdir()
    for day, size in zip(days, (40, 50, 200, 10), strict=False):  # the fifth day has no file
        (exports / "orders" / f"{day}.csv").write_text("x" * size)
    chunks = day_chunks(days, export_files(exports, "orders"), chunk_bytes=100)
    assert [(len(d), [f.name[-9:-4] for f in files]) for d, files in chunks] == [
        (2, ["01-01", "01-02"]),  # 90 bytes
        (1, ["01-03"]),  # 200 bytes: over the budget on its own
        (2, ["01-04"]),  # 10 bytes, and the day without a file
    ]


def test_a_day_without_a_file_adds_nothing_to_its_chunk(exports):
    """Bug caught: a day with no file counted as a byte, so a chunk already at its budget
    was split before a missing day (one more read and replace of the warehouse)."""
    days = [dt.date(2024, 1, 1), dt.date(2024, 1, 2)]
    (exports / "orders").mkdir()
    (exports / "orders" / "2024-01-01.csv").write_text("x" * 100)
    chunks = day_chunks(days, export_files(exports, "orders"), chunk_bytes=100)
    assert [(d, len(files)) for d, files in chunks] == [(days, 1)]


def test_a_chunk_splits_one_byte_over_its_budget_missing_days_weighing_nothing(exports):
    """Bug caught: a chunk's byte count started a byte low, or a day without a file took a
    byte off it, so 50 + 51 bytes fit a budget of 100 and the chunk held more than its
    budget (the memory the budget is sized for)."""
    days = [dt.date(2024, 1, 1) + dt.timedelta(days=i) for i in range(3)]
    (exports / "orders").mkdir()
    (exports / "orders" / "2024-01-01.csv").write_text("x" * 50)
    (exports / "orders" / "2024-01-03.csv").write_text("x" * 51)
    chunks = day_chunks(days, export_files(exports, "orders"), chunk_bytes=100)
    assert [(len(d), [f.name[-9:-4] for f in files]) for d, files in chunks] == [
        (2, ["01-01"]),
        (1, ["01-03"]),
    ]


def test_a_chunk_of_days_without_files_takes_the_next_day_whatever_its_size(exports):
    """Bug caught: the split looked at the first chunk's files (or at its days, never
    empty) instead of the last chunk's, so a day without a file became a chunk of its
    own: a commit that loads nothing."""
    days = [dt.date(2024, 1, 1) + dt.timedelta(days=i) for i in range(3)]
    (exports / "orders").mkdir()
    (exports / "orders" / "2024-01-01.csv").write_text("x" * 150)
    (exports / "orders" / "2024-01-03.csv").write_text("x" * 150)
    chunks = day_chunks(days, export_files(exports, "orders"), chunk_bytes=100)
    assert [(len(d), [f.name[-9:-4] for f in files]) for d, files in chunks] == [
        (1, ["01-01"]),
        (2, ["01-03"]),
    ]


def test_the_report_times_the_load_itself(exports, con):
    """Bug caught: the load's time computed from the wrong end (the clock reading added to
    the start instead of subtracted), so a load of a second reports hours: the benchmark's
    time per kind (bench/run.py reads it) then shows a load that never took that long."""
    write_day(exports, "2024-01-05", "A1,2024-01-05 10:00,S1,1,1.0")
    started = time.perf_counter()
    report = load_days(con, exports, "orders")
    took = time.perf_counter() - started
    assert 0 <= report.seconds <= took
