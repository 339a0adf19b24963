"""Which keys a keyed staging build recomputes: the plan of incremental/key_build.py.

A keyed staging table's rows for one key value (an order id, a snapshot day) derive only
from the raw rows holding that value, plus what the model looks up in another staging
table by a raw column (an order line's SKU in the catalog). The plan fills the temp table
`rebuilt_keys (key)` with:

- the keys the changed raw export days hold now (raw) and held at the last build (state):
  an order re-exported on a later day with a new status, or a snapshot day re-exported
  and dropped, are both recomputed from every raw row of that key;
- the keys of raw rows whose lookup value changed (a SKU whose catalog `is_product`
  changed, or that the catalog gained or lost).

A raw export day's fingerprint is the one the traffic builds use (its quality.load_log
entries and raw row count, incremental/build_state.py): a new day, a late file, a
re-export and a removed file all count as changed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from contract.exports import RAW_TABLE
from incremental.build_state import export_day_fingerprints
from warehouse.frames import scalar


@dataclass(frozen=True)
class Lookup:
    """A staging table the model joins by a raw column of the same name."""

    table: str  # `schema.table` of the looked-up table
    key: str  # the column joined (in the raw table and the looked-up table)
    value: str  # SQL over the looked-up table: what the model takes from it


@dataclass(frozen=True)
class KeySource:
    """A staging table whose rows for one key value derive from the raw rows holding it."""

    kind: str  # the export kind of its raw table
    key: str  # the key column, in the raw table and in the staging table
    day: str  # the staging table's day column, by which the checks validate written rows
    lookups: tuple[Lookup, ...] = ()

    @property
    def raw(self) -> str:
        return f"raw.{RAW_TABLE[self.kind]}"


SOURCES: dict[str, KeySource] = {
    # the newest export of an order wins, whichever day it came on; is_product from the catalog
    "staging.stg_order_lines": KeySource(
        kind="orders",
        key="order_id",
        day="order_date",
        lookups=(Lookup("staging.stg_catalog", "sku", "is_product"),),
    ),
    # the newest export of a snapshot day, SKU and location wins
    "staging.stg_inventory": KeySource(kind="inventory", key="snapshot_date", day="snapshot_date"),
}

STATE_TABLES = """
create schema if not exists build_state;
create table if not exists build_state.key_export_days (
    table_name varchar, export_date date, fingerprint varchar
);
create table if not exists build_state.key_export_day_keys (
    table_name varchar, export_date date, key varchar
);
create table if not exists build_state.key_lookups (
    table_name varchar, lookup varchar, key varchar, value varchar
);
-- the tables of the inventory's former day-recording step, which nothing reads now
drop table if exists build_state.export_day_builds;
drop table if exists build_state.export_day_days;
"""


def ensure_key_state(con: duckdb.DuckDBPyConnection) -> None:
    """Create the build_state tables of the keyed builds if absent."""
    con.execute(STATE_TABLES)


def _key_type(con: duckdb.DuckDBPyConnection, source: KeySource) -> str:
    schema, table = source.raw.split(".")
    return scalar(
        con,
        "select data_type from information_schema.columns "
        "where table_schema = ? and table_name = ? and column_name = ?",
        [schema, table, source.key],
    )


def snapshot_inputs(con: duckdb.DuckDBPyConnection, source: KeySource) -> None:
    """Fingerprint every raw export day now (temp table current_export_days) and take the
    lookups' values now (temp table current_lookups)."""
    con.execute(
        "create or replace temp table current_export_days as "
        + export_day_fingerprints(source.kind)
    )
    parts = [
        f"select '{lookup.table}' as lookup, cast({lookup.key} as varchar) as key, "
        f"cast({lookup.value} as varchar) as value from {lookup.table}"
        for lookup in source.lookups
    ]
    empty = "select null::varchar as lookup, null::varchar as key, null::varchar as value limit 0"
    con.execute(
        "create or replace temp table current_lookups as " + " union all ".join(parts or [empty])
    )


def _changed_export_days(con: duckdb.DuckDBPyConnection, table: str) -> list[dt.date]:
    rows = con.execute(
        "select export_date from current_export_days as now "
        "full join (select * from build_state.key_export_days where table_name = $table) "
        "as stored using (export_date) "
        "where now.fingerprint is distinct from stored.fingerprint order by export_date",
        {"table": table},
    ).fetchall()
    return [day for (day,) in rows]


def _rebuilt_by_lookups(con: duckdb.DuckDBPyConnection, table: str, source: KeySource) -> None:
    """Add the keys of raw rows whose looked-up value changed since the last build."""
    for lookup in source.lookups:
        con.execute(
            "create or replace temp table changed_lookup_keys as "
            "select key from (select * from current_lookups where lookup = $lookup) as now "
            "full join (select * from build_state.key_lookups "
            "where table_name = $table and lookup = $lookup) as stored using (key) "
            "where now.value is distinct from stored.value",
            {"table": table, "lookup": lookup.table},
        )
        if scalar(con, "select count(*) from changed_lookup_keys"):
            con.execute(
                f"insert into rebuilt_keys select distinct {source.key} from {source.raw} "
                f"where cast({lookup.key} as varchar) in (select key from changed_lookup_keys) "
                f"and {source.key} not in (select key from rebuilt_keys)"
            )


def plan_keys(con: duckdb.DuckDBPyConnection, table: str, source: KeySource) -> list[dt.date]:
    """Fill rebuilt_keys for an incremental build of `table`; returns the changed export days."""
    days = _changed_export_days(con, table)
    con.execute(
        f"create or replace temp table rebuilt_keys as "
        f"select distinct {source.key} as key from {source.raw} "
        "where _export_date in (select unnest($days::date[])) "
        f"union select cast(key as {_key_type(con, source)}) from build_state.key_export_day_keys "
        "where table_name = $table and export_date in (select unnest($days::date[]))",
        {"days": days, "table": table},
    )
    _rebuilt_by_lookups(con, table, source)
    return days


def every_key(con: duckdb.DuckDBPyConnection, source: KeySource) -> None:
    """An empty rebuilt_keys, for a full build (which reads every key)."""
    con.execute(
        f"create or replace temp table rebuilt_keys as select {source.key} as key "
        f"from {source.raw} limit 0"
    )


def record_key_state(
    con: duckdb.DuckDBPyConnection, table: str, source: KeySource, days: list[dt.date] | None
) -> None:
    """Store the raw days' fingerprints and keys, and the lookups, as this build saw them
    (`days` None: a full build, every export day)."""
    where = "" if days is None else " and export_date in (select unnest($days::date[]))"
    params: dict[str, object] = {"table": table}
    if days is not None:
        params["days"] = days
    for state in ("key_export_days", "key_export_day_keys"):
        con.execute(f"delete from build_state.{state} where table_name = $table{where}", params)
    con.execute(
        "insert into build_state.key_export_days select $table, export_date, fingerprint "
        f"from current_export_days where true{where}",
        params,
    )
    raw_days = "" if days is None else " where _export_date in (select unnest($days::date[]))"
    con.execute(
        "insert into build_state.key_export_day_keys "
        f"select distinct $table, _export_date, cast({source.key} as varchar) from {source.raw}"
        + raw_days,
        params,
    )
    con.execute("delete from build_state.key_lookups where table_name = ?", [table])
    con.execute(
        "insert into build_state.key_lookups select ?, lookup, key, value from current_lookups",
        [table],
    )
