"""Full builds of the web-traffic tables in visitor buckets, so that each sort fits in memory.

staging.stg_traffic_events and marts.sessions are window functions over every event,
partitioned by visitor. Built in one statement, DuckDB sorts all the events at once: past
its memory cap it spills to disk and costs more per row (docs/performance.md, "What grows
faster than its input"). A bucketed build runs the same SQL model once per bucket of
visitors (the model reads only rows where `is_rebuilt_visitor(user_id)`, the macro the
incremental build redefines too) and appends each bucket's rows, so its cost grows with the
events and its memory with one bucket.

Exactness: a visitor's rows depend on its own raw rows and on the raw rows of other
visitors that share an event key with them (staging keeps one copy of an event exported
twice, across visitors). The visitors sharing an event key with another visitor ("linked")
are built together in a last bucket of their own: whoever shares a key with a linked
visitor is linked too, so that set is closed, and so is each hash bucket without them. The
union of the buckets therefore equals one build of the whole table, row for row.
marts.sessions reads staging, where every event key is kept once: its buckets need no
linked set.
"""

from __future__ import annotations

import math

import duckdb

from warehouse.frames import scalar

# Input rows per bucket. At the demo's size (SF1: 4.9M events) a one-statement build
# peaks at ~2.6 GB, so 2M rows keep a bucket near 1 GB, well inside DuckDB's default
# 6 GB cap; a shop of ten times the events gets ten times the buckets, not a spilling sort.
BUCKET_ROWS = 2_000_000

LINKED_VISITORS = """
create or replace temp table linked_visitors as
select distinct user_id from raw.traffic_events
where hash(event_key(event_id, _file, _line)) in (
    select hash(event_key(event_id, _file, _line)) from raw.traffic_events
    group by 1
    having min(user_id) <> max(user_id)
)
"""
# Grouped by the key's hash, not the key: a cheaper aggregate. Two keys that collide put
# their visitors in the linked bucket for nothing, which is still exact.

NO_LINKED_VISITORS = "create or replace temp table linked_visitors (user_id varchar)"


def _bucket_macro(buckets: int, bucket: int) -> str:
    """`is_rebuilt_visitor` for one hash bucket, the linked visitors left out."""
    return (
        "create or replace temp macro is_rebuilt_visitor(visitor) as "
        f"hash(visitor) % {buckets} = {bucket} "
        "and not coalesce(visitor in (select user_id from linked_visitors), false)"
    )


LINKED_MACRO = (
    "create or replace temp macro is_rebuilt_visitor(visitor) as "
    "visitor in (select user_id from linked_visitors)"
)
NO_VISITOR = "create or replace temp macro is_rebuilt_visitor(visitor) as false"


def bucket_count(con: duckdb.DuckDBPyConnection, source: str, bucket_rows: int) -> int:
    """Buckets for a full build reading `source`: one per `bucket_rows` of its rows."""
    return max(1, math.ceil(scalar(con, f"select count(*) from {source}") / bucket_rows))


def build_in_parts(
    con: duckdb.DuckDBPyConnection, table: str, sql: str, no_part: str, parts: list[str]
) -> int:
    """Replace `table` with the model `sql` run once per part, in the order given; returns
    the rows written.

    Args:
        con: a warehouse connection prepared for the SQL models.
        table: the table to replace.
        sql: the table's SQL model.
        no_part: the statement defining the model's restricting macro as false everywhere
            (to create the table with the model's columns and no rows).
        parts: per part, the statement redefining that macro as true for the part only.
    """
    con.execute(no_part)
    con.execute(f"create or replace table {table} as {sql}")
    for part in parts:
        con.execute(part)
        con.execute(f"insert into {table} by name select * from ({sql})")
    return scalar(con, f"select count(*) from {table}")


def build_in_buckets(
    con: duckdb.DuckDBPyConnection, table: str, sql: str, buckets: int, linked: bool
) -> int:
    """Replace `table` with the model `sql` run bucket by bucket; returns the rows written.

    Runs in the caller's transaction and leaves `is_rebuilt_visitor` as the caller must
    restore it (the caller sets every visitor back).

    Args:
        con: a warehouse connection prepared for the SQL models.
        table: staging.stg_traffic_events or marts.sessions.
        sql: the table's SQL model.
        buckets: hash buckets of visitors (at least 1).
        linked: whether visitors can share event keys in the model's input (staging reads
            raw, where they can); those are built in a last bucket of their own.
    """
    con.execute(LINKED_VISITORS if linked else NO_LINKED_VISITORS)
    parts = [_bucket_macro(buckets, bucket) for bucket in range(buckets)]
    if scalar(con, "select count(*) from linked_visitors"):
        parts.append(LINKED_MACRO)
    return build_in_parts(con, table, sql, NO_VISITOR, parts)
