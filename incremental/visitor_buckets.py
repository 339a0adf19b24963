"""Full builds of the web-traffic tables in visitor buckets, so that each sort fits in memory.

staging.stg_traffic_events and marts.sessions are window functions over every event,
partitioned by visitor. Built in one statement, DuckDB sorts all the events at once: past
its memory cap it spills to disk and costs more per row (docs/performance.md, "What grows
faster than its input"). A bucketed build runs the same SQL model once per bucket of
visitors and appends each bucket's rows, so its memory stays that of one bucket.

A bucket is a range of visitor ids (user_id), the ranges cut at quantiles of a sample of
the input's ids so that they hold about the same number of rows, and appended in
ascending order. So a bucketed build leaves its table stored in visitor order, and the
next build reading that table (marts.sessions reads staging) finds each of its ranges in
a few row groups: DuckDB skips the others by their min/max (zone maps), and a bucket's
read costs its own rows, not the whole table. With hash buckets each read scanned every
visitor id of the input, ~1.8 CPU s per bucket at 49M events (docs/performance.md).

A run reads its bucket from the input table (the model reads only rows where
`is_rebuilt_visitor(user_id)`, the macro the incremental build redefines too). Where the
input is not stored in visitor order (raw events are stored by export day), every read
scans the whole table, a cost that grows with the square of the events: past
SPLIT_FROM_BUCKETS buckets that input is instead split in one pass, its rows copied once
into Parquet files, one folder per bucket, and each run of the model reads its bucket's
files in place of the input table. DuckDB's zone maps keep the first 8 bytes of a
string, so ids whose ranges share their first 8 bytes (``gid://shopify/Customer/...``)
are not skipped either: such an input is split too.

Exactness: a visitor's rows depend on its own raw rows and on the raw rows of other
visitors that share an event key with them (staging keeps one copy of an event exported
twice, across visitors). The visitors sharing an event key with another visitor ("linked")
are built together in a last bucket of their own: whoever shares a key with a linked
visitor is linked too, so that set is closed, and so is each range without them. The
ranges cover every visitor id once (a missing id in the last), so the union of the
buckets equals one build of the whole table, row for row. marts.sessions reads staging,
where every event key is kept once: its buckets need no linked set.
"""

from __future__ import annotations

import math
import re
import tempfile
from itertools import pairwise
from pathlib import Path

import duckdb

from warehouse.frames import scalar
from warehouse.sql_text import in_key_range, sql_literal

# Input rows per bucket. At the demo's size (SF1: 4.9M events) a one-statement build
# peaks at ~2.6 GB, so 2M rows keep a bucket near 1 GB, well inside DuckDB's default
# 6 GB cap; a shop of ten times the events gets ten times the buckets, not a spilling sort.
BUCKET_ROWS = 2_000_000

# From this many buckets on, an input not stored in visitor order is split into its buckets
# in one pass (Parquet files) instead of being read once per bucket. Reading a bucket from
# the input table costs about 0.08 us per input row (DuckDB checks the bucket on the visitor
# column and fetches the other columns of the bucket's rows only); at SF1 writing the split
# cost about 1.4 us per row (4.9M events: 0.4 CPU s a read, 6.8 CPU s the split), which put
# the break-even at 17 buckets. At SF10 (49M events, 25 buckets) the split measured worse
# than the reads: the events staging 280 -> 346 CPU s (`orderpulse-bench --scale 10`, the
# split against the record before it), so the split costs ~3.3 us per row at that size and
# pays from ~41 buckets. SF30 (74 buckets), where reading the input once per bucket cost
# ~870 of the build's 1,341 CPU s, splits; SF10 reads.
SPLIT_FROM_BUCKETS = 45

# The visitor ids sampled to cut the ranges: enough for ranges within a few percent of
# their share, and a sort of 100k ids instead of every row's.
SAMPLE_IDS = 100_000

# How much of a string DuckDB's min/max statistics keep: ranges whose boundaries differ
# only after it cannot be told apart by a row group's statistics.
ZONE_MAP_PREFIX_BYTES = 8

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

NO_VISITOR = "create or replace temp macro is_rebuilt_visitor(visitor) as false"
EVERY_VISITOR = "create or replace temp macro is_rebuilt_visitor(visitor) as true"


def bucket_count(con: duckdb.DuckDBPyConnection, source: str, bucket_rows: int) -> int:
    """Buckets for a full build reading `source`: one per `bucket_rows` of its rows."""
    return max(1, math.ceil(scalar(con, f"select count(*) from {source}") / bucket_rows))


def visitor_ranges(con: duckdb.DuckDBPyConnection, source: str, buckets: int) -> list[str]:
    """The visitor ids that cut `source` into `buckets` ranges of about equal rows, distinct
    and in DuckDB's order (fewer when a few visitors hold most rows): range i holds the ids
    above boundary i - 1 up to boundary i. Cut at quantiles of a sample of the rows' ids, so
    a range's share is close to 1 / buckets, not exact; the ranges cover every id anyway.
    The quantiles come back in the order DuckDB compares strings, which the ranges' SQL
    uses too, so they are not sorted again here."""
    if buckets < 2:
        return []
    fractions = ", ".join(str(i / buckets) for i in range(1, buckets))
    cuts = scalar(
        con,
        f"select quantile_disc(user_id, [{fractions}]) from ("
        f"select user_id from {source} where user_id is not null "
        f"using sample reservoir({SAMPLE_IDS} rows) repeatable (1))",
    )
    cuts = cuts or []
    return [cut for i, cut in enumerate(cuts) if i == 0 or cut != cuts[i - 1]]


def in_range(column: str, bounds: list[str], index: int) -> str:
    """SQL true for the rows of `column` in range `index` of `bounds` (visitor_ranges); a
    missing id is in the last range."""
    after = bounds[index - 1] if index > 0 else None
    last = bounds[index] if index < len(bounds) else None
    return in_key_range(column, after, last)


def range_of(column: str, bounds: list[str]) -> str:
    """SQL giving the range (0 .. len(bounds)) each row of `column` is in: a binary search
    over the boundaries written as nested CASEs, about log2(ranges) comparisons a row; a
    missing id is in the last range, as with `in_range`."""

    def search(first: int, last: int) -> str:
        if first == last:
            return str(first)
        middle = (first + last) // 2
        return (
            f"case when {column} <= {sql_literal(bounds[middle])} "
            f"then {search(first, middle)} else {search(middle + 1, last)} end"
        )

    return f"case when {column} is null then {len(bounds)} else {search(0, len(bounds))} end"


def told_apart_by_zone_maps(bounds: list[str]) -> bool:
    """Whether row groups of different ranges have different min/max statistics, so that a
    range's read skips the others: the boundaries differ within the bytes DuckDB keeps."""
    prefixes = [b.encode()[:ZONE_MAP_PREFIX_BYTES] for b in bounds]
    return all(a < b for a, b in pairwise(prefixes))


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
    return _insert_parts(con, table, sql, no_part, [(part, sql) for part in parts])


def _insert_parts(
    con: duckdb.DuckDBPyConnection,
    table: str,
    sql: str,
    no_part: str,
    parts: list[tuple[str, str]],
) -> int:
    """build_in_parts with a query of its own per part: (macro statement, query) pairs."""
    con.execute(no_part)
    con.execute(f"create or replace table {table} as {sql}")
    for macro, query in parts:
        con.execute(macro)
        con.execute(f"insert into {table} by name select * from ({query})")
    return scalar(con, f"select count(*) from {table}")


def reading(sql: str, source: str, relation: str) -> str:
    """The model `sql` with its one reference to the table `source` replaced by `relation`.

    Raises ValueError when the model reads `source` other than exactly once: the bucketed
    build would then read the whole table somewhere, or not read the bucket at all.
    """
    schema, table = source.split(".")
    reference = re.compile(rf"\b(from|join)\s+{schema}\s*\.\s*{table}\b", re.IGNORECASE)
    replaced, count = reference.subn(lambda m: f"{m.group(1)} {relation}", sql)
    if count != 1:
        raise ValueError(f"a bucketed build needs one `from {source}` in the model, found {count}")
    return replaced


def _work_folder(con: duckdb.DuckDBPyConnection) -> str | None:
    """The warehouse file's folder, where the bucket files go (None for an in-memory
    warehouse: the system's temporary folder)."""
    path = scalar(
        con, "select path from duckdb_databases() where database_name = current_database()"
    )
    return str(Path(path).parent) if path else None


def _split_into_buckets(
    con: duckdb.DuckDBPyConnection, source: str, bounds: list[str], folder: Path
) -> list[int]:
    """Copy `source` once into `folder`, one subfolder `b=<n>` of Parquet files per range
    of `bounds` (the linked visitors in the last, after the ranges); the buckets that hold
    rows, in order."""
    linked = len(bounds) + 1
    bucket = (
        f"case when user_id in (select user_id from linked_visitors) then {linked} "
        f"else {range_of('user_id', bounds)} end"
    )
    con.execute(
        f"copy (select *, {bucket} as b from {source}) "
        f"to {sql_literal(str(folder))} (format parquet, partition_by (b))"
    )
    return sorted(int(part.name.removeprefix("b=")) for part in folder.glob("b=*"))


def _bucket_macro(bounds: list[str], index: int) -> str:
    """`is_rebuilt_visitor` for one range of visitors, the linked visitors left out."""
    return (
        "create or replace temp macro is_rebuilt_visitor(visitor) as "
        f"{in_range('visitor', bounds, index)} "
        "and not coalesce(visitor in (select user_id from linked_visitors), false)"
    )


LINKED_MACRO = (
    "create or replace temp macro is_rebuilt_visitor(visitor) as "
    "visitor in (select user_id from linked_visitors)"
)


def build_in_buckets(
    con: duckdb.DuckDBPyConnection,
    table: str,
    sql: str,
    source: str,
    buckets: int,
    linked: bool,
    source_in_visitor_order: bool = False,
) -> int:
    """Replace `table` with the model `sql` run range of visitors by range, in ascending
    order; returns the rows written.

    Each run reads its range from `source` through `is_rebuilt_visitor`, unless reading
    would scan the whole input every time: from SPLIT_FROM_BUCKETS buckets on, an input not
    stored in visitor order, or whose ranges its zone maps cannot tell apart, is split into
    its ranges in one pass first. Runs in the caller's transaction and leaves
    `is_rebuilt_visitor` true for every visitor.

    Args:
        con: a warehouse connection prepared for the SQL models.
        table: staging.stg_traffic_events or marts.sessions.
        sql: the table's SQL model.
        source: the table the model reads its visitors' rows from (`schema.table`).
        buckets: ranges of visitors wanted (at least 1; fewer when a few visitors hold
            most rows).
        linked: whether visitors can share event keys in the model's input (staging reads
            raw, where they can); those are built in a last bucket of their own.
        source_in_visitor_order: whether `source` was written by a bucketed build (staging,
            read by marts.sessions), so that its ranges lie in separate row groups.
    """
    con.execute(LINKED_VISITORS if linked else NO_LINKED_VISITORS)
    bounds = visitor_ranges(con, source, buckets)
    skips = source_in_visitor_order and told_apart_by_zone_maps(bounds)
    try:
        if buckets < SPLIT_FROM_BUCKETS or skips:
            parts = [(_bucket_macro(bounds, index), sql) for index in range(len(bounds) + 1)]
            if scalar(con, "select count(*) from linked_visitors"):
                parts.append((LINKED_MACRO, sql))
            return _insert_parts(con, table, sql, NO_VISITOR, parts)
        with tempfile.TemporaryDirectory(prefix="visitor_buckets_", dir=_work_folder(con)) as work:
            folder = Path(work) / "buckets"
            parts = []
            for bucket in _split_into_buckets(con, source, bounds, folder):
                files = sql_literal(str(folder / f"b={bucket}" / "*.parquet"))
                relation = f"read_parquet({files}, hive_partitioning = false)"
                parts.append((EVERY_VISITOR, reading(sql, source, relation)))
            return _insert_parts(con, table, sql, NO_VISITOR, parts)
    finally:
        con.execute(EVERY_VISITOR)
