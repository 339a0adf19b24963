"""Full builds of the web-traffic tables in visitor buckets (incremental/visitor_buckets.py).

A small traffic export is loaded with the real loader and both tables are built in full
once in one statement and once in many buckets; the tables must be equal row for row.
"""

import duckdb
import pytest

from assets.warehouse import SQL_DIR, model_sql, prepare
from config.settings import Settings
from incremental import visitor_buckets, visitor_build
from incremental.visitor_build import INCREMENTAL_TABLES, STAGING
from ingest.load import ensure_tables, load_days
from tests.incremental.traffic_exports import drop


@pytest.fixture
def con():
    con = duckdb.connect()
    ensure_tables(con)
    prepare(con, Settings(), salt="0" * 64)
    yield con
    con.close()


def full_build(con, bucket_rows: int, tables=INCREMENTAL_TABLES) -> dict[str, list[tuple]]:
    """The tables rebuilt in full with `bucket_rows` input rows per bucket, and their rows."""
    macros = (SQL_DIR / "macros.sql").read_text()
    for table in tables:
        build = visitor_build.build_visitor_table(
            con, table, model_sql(*table.split(".")), macros, full=True, bucket_rows=bucket_rows
        )
        assert build.mode == "full"
    return {
        table: con.execute(f"select * from {table} order by all").fetchall() for table in tables
    }


@pytest.mark.parametrize("split_from", [1, 10**9], ids=["split-in-one-pass", "read-per-bucket"])
def test_a_bucketed_full_build_equals_one_build_with_events_shared_across_visitors(
    con, tmp_path, monkeypatch, split_from
):
    """Catches a bucket that loses or doubles a visitor's rows, sessions cut at a bucket's
    edge, and an event exported twice under two visitors kept twice (or in neither) when the
    visitors fall in different buckets: its dedup crosses visitors. Both ways of reading a
    bucket: split from the input in one pass, or read from the input table."""
    monkeypatch.setattr(visitor_buckets, "SPLIT_FROM_BUCKETS", split_from)
    drop(
        tmp_path,
        "2024-01-01",
        *(f"10:{m:02d},page_view,u{v},e{v}-{m}" for v in range(12) for m in (0, 5, 50)),
        "11:00,view_item,u1,shared-a",
        "11:01,view_item,u2,shared-b",
    )
    # the next export holds both shared events again under other visitors: newest wins
    drop(
        tmp_path,
        "2024-01-02",
        "11:00,view_item,u7,shared-a",
        "11:01,view_item,u8,shared-b",
        "11:02,add_to_cart,u8,e-cart",
    )
    load_days(con, tmp_path, "traffic")
    one_build = full_build(con, bucket_rows=10**9)
    bucketed = full_build(con, bucket_rows=4)  # 11 buckets of 41 events
    assert bucketed == one_build
    owners = dict(
        con.execute(
            "select event_id, user_id from staging.stg_traffic_events where event_id like 'shared%'"
        ).fetchall()
    )
    assert owners == {"shared-a": "u7", "shared-b": "u8"}
    assert len(one_build[STAGING]) == 12 * 3 + 3


@pytest.mark.parametrize(
    ("prefix", "sessions_split"), [("u", False), ("gid://shopify/Customer/", True)]
)
def test_a_bucketed_build_stores_its_table_in_visitor_ranges_for_the_next_one_to_read(
    con, tmp_path, monkeypatch, prefix, sessions_split
):
    """Catches buckets that are not ranges appended in ascending order (marts.sessions would
    then scan all of staging for each of its buckets), sessions splitting staging when its
    zone maps would skip the other ranges, and sessions reading ranges in place when they
    cannot (ids alike in their first 8 bytes): the build must still equal one build."""
    monkeypatch.setattr(visitor_buckets, "SPLIT_FROM_BUCKETS", 1)
    splits = []
    split = visitor_buckets._split_into_buckets
    monkeypatch.setattr(
        visitor_buckets,
        "_split_into_buckets",
        lambda con, source, *rest: splits.append(source) or split(con, source, *rest),
    )
    drop(
        tmp_path,
        "2024-01-01",
        *(f"10:{m:02d},page_view,{prefix}{v:03d},e{v}-{m}" for v in range(40) for m in (0, 50)),
    )
    load_days(con, tmp_path, "traffic")
    one_build = full_build(con, bucket_rows=10**9)
    splits.clear()
    assert full_build(con, bucket_rows=8) == one_build  # 10 ranges of ~8 events
    assert splits == ["raw.traffic_events"] + (["staging.stg_traffic_events"] * sessions_split)
    stored = [
        row[0] for row in con.execute("select user_id from staging.stg_traffic_events").fetchall()
    ]
    bounds = visitor_buckets.visitor_ranges(con, "staging.stg_traffic_events", 10)
    assert len(bounds) >= 5
    ranges = [sum(user > bound for bound in bounds) for user in stored]
    assert ranges == sorted(ranges)


def test_every_visitor_id_is_in_exactly_one_range_and_the_split_agrees():
    """Catches an id equal to a boundary counted in two ranges or none, a missing id lost,
    a quote in an id breaking the SQL, and the split's binary search disagreeing with the
    ranges the reads use (a visitor built twice or not at all)."""
    con = duckdb.connect()
    ids = ["a", "b", "b", "c'd", "e", "f", "g", "h", None, "z"]
    con.execute("create table t (user_id varchar)")
    con.executemany("insert into t values (?)", [[i] for i in ids])
    bounds = visitor_buckets.visitor_ranges(con, "t", 4)
    assert bounds == sorted(set(bounds)) and 1 <= len(bounds) <= 3
    ranges = len(bounds) + 1
    members = [
        con.execute(
            f"select list(user_id order by user_id) from t "
            f"where {visitor_buckets.in_range('user_id', bounds, i)}"
        ).fetchone()[0]
        for i in range(ranges)
    ]
    assert sorted((u for m in members for u in m), key=str) == sorted(ids, key=str)
    searched = con.execute(
        f"select {visitor_buckets.range_of('user_id', bounds)} as r, list(user_id order by user_id) "
        "from t group by r order by r"
    ).fetchall()
    assert {r: users for r, users in searched} == {
        i: users for i, users in enumerate(members) if users
    }


def test_zone_maps_tell_ranges_apart_only_within_their_first_8_bytes():
    assert visitor_buckets.told_apart_by_zone_maps(["u010", "u020", "u030"])
    assert not visitor_buckets.told_apart_by_zone_maps(
        ["gid://shopify/Customer/10", "gid://shopify/Customer/20"]
    )


def test_the_linked_bucket_holds_only_visitors_that_share_an_event(con, tmp_path):
    """Catches a linked set that misses a visitor sharing an event (its copy would be kept in
    two buckets) or pulls in visitors who share none (their bucket would not be bounded)."""
    drop(tmp_path, "2024-01-01", "10:00,page_view,u1,e1", "10:00,page_view,u3,e3")
    drop(tmp_path, "2024-01-02", "2024-01-01 10:00,page_view,u2,e1")  # e1 again, under u2
    load_days(con, tmp_path, "traffic")
    full_build(con, bucket_rows=1, tables=(STAGING,))
    linked = con.execute("select user_id from linked_visitors order by 1").fetchall()
    assert linked == [("u1",), ("u2",)]


def test_a_bucket_reads_its_own_files_in_place_of_the_input_table():
    """Catches a bucketed build whose model still reads the whole input table (a second
    reference the replacement missed would read every visitor in every bucket, or a model
    without one would read nothing from the bucket)."""
    sql = "with events as (select * from staging.stg_traffic_events where x) select * from events"
    assert visitor_buckets.reading(sql, "staging.stg_traffic_events", "bucket_rows") == (
        "with events as (select * from bucket_rows where x) select * from events"
    )
    twice = sql + " join staging . stg_traffic_events using (user_id)"
    with pytest.raises(ValueError, match="found 2"):
        visitor_buckets.reading(twice, "staging.stg_traffic_events", "bucket_rows")
    with pytest.raises(ValueError, match="found 0"):
        visitor_buckets.reading(sql, "raw.traffic_events", "bucket_rows")
