"""The bookkeeping of the incremental builds, kept in the warehouse schema build_state.

These tables are data lineage, not scheduling state: they say which raw export days and
visitors each build saw, so the next build can recompute exactly the visitors that changed.

- build_state.builds: one row per build of an incremental table (mode, logic fingerprint,
  the staging build it read, rows written, rows the table held afterwards);
- build_state.traffic_days: each raw export day's fingerprint at the last staging build;
- build_state.traffic_day_visitors: the visitors each raw export day held at that build;
- build_state.rebuilt_visitors: the visitors each incremental staging build recomputed,
  until marts.sessions (their one reader) has read them.
- build_state.mart_input_days: each daily mart's inputs as its last build read them, one
  content fingerprint per input and day (incremental/day_plan.py).
- build_state.run_input_days: the same fingerprints as the current run's first mart to read
  each input computed them, for the run's other marts reading it (incremental/day_plan.py).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import duckdb

from contract.exports import RAW_TABLE
from warehouse.frames import scalar, table_exists

# Part of the logic fingerprint: changing how state is kept forces one full build.
STATE_VERSION = "1"

STATE_TABLES = """
create schema if not exists build_state;
create table if not exists build_state.builds (
    table_name varchar, build_id bigint, mode varchar, logic varchar, input_build_id bigint,
    changed_days bigint, visitors bigint, rows_written bigint, table_rows bigint, built_at timestamp
);
create table if not exists build_state.traffic_days (export_date date, fingerprint varchar);
create table if not exists build_state.traffic_day_visitors (export_date date, user_id varchar);
create table if not exists build_state.rebuilt_visitors (build_id bigint, user_id varchar);
create table if not exists build_state.mart_input_days (
    table_name varchar, input varchar, day date, fingerprint varchar
);
create table if not exists build_state.run_input_days (
    run_id varchar, input varchar, query varchar, day date, fingerprint varchar
);
"""


# Per raw export day of one kind: what the loader logged for it and how many rows raw holds.
# A new day, a late file, a re-export and a removed file all change it.
DAY_FINGERPRINTS = """
with loads as (
    select export_date,
           string_agg(concat_ws('|', file, format, rows_read, rows_loaded, rows_quarantined, loaded_at), ';'
                      order by file) as loads
    from quality.load_log where kind = '{kind}' group by export_date
),
raw_days as (
    select _export_date as export_date, count(*) as raw_rows from raw.{raw} group by _export_date
)
select export_date, concat_ws('#', coalesce(loads, ''), coalesce(raw_rows, 0)) as fingerprint
from loads full join raw_days using (export_date)
"""


def export_day_fingerprints(kind: str) -> str:
    """The query fingerprinting every raw export day of `kind` (export_date, fingerprint)."""
    return DAY_FINGERPRINTS.format(kind=kind, raw=RAW_TABLE[kind])


@dataclass(frozen=True)
class LastBuild:
    """The newest row of build_state.builds for one table."""

    build_id: int
    mode: str
    logic: str
    input_build_id: int | None
    table_rows: int


def ensure_state(con: duckdb.DuckDBPyConnection) -> None:
    """Create the build_state schema and tables if absent.

    Args:
        con: a read-write warehouse connection.
    """
    con.execute(STATE_TABLES)


def logic_fingerprint(con: duckdb.DuckDBPyConnection, model: str, macros: str) -> str:
    """sha256 of the model, the macros and every SQL variable (settings and salt) on `con`."""
    variables = con.execute(
        "select name, cast(value as varchar) from duckdb_variables() order by name"
    ).fetchall()
    text = "\n".join(
        [
            STATE_VERSION,
            model,
            macros,
            repr(variables),
        ]
    )
    return hashlib.sha256(text.encode()).hexdigest()


def last_build(con: duckdb.DuckDBPyConnection, table: str) -> LastBuild | None:
    """The newest recorded build of `table`, or None when it was never built incrementally."""
    rows = con.execute(
        "select build_id, mode, logic, input_build_id, table_rows from build_state.builds "
        "where table_name = ? order by build_id desc limit 1",
        [table],
    ).fetchall()
    return LastBuild(*rows[0]) if rows else None


def table_rows(con: duckdb.DuckDBPyConnection, table: str) -> int | None:
    """Row count of `schema.table`, or None when the table does not exist."""
    return scalar(con, f"select count(*) from {table}") if table_exists(con, table) else None


def full_builds_since(con: duckdb.DuckDBPyConnection, table: str, build_id: int) -> int:
    """How many full builds of `table` were recorded after `build_id`."""
    return scalar(
        con,
        "select count(*) from build_state.builds "
        "where table_name = ? and build_id > ? and mode = 'full'",
        [table, build_id],
    )


@dataclass(frozen=True)
class BuildRecord:
    """One row of build_state.builds, written in the build's transaction."""

    table: str
    build_id: int
    mode: str
    logic: str
    input_build_id: int | None
    changed_days: int | None
    visitors: int | None
    rows_written: int


def record_build(con: duckdb.DuckDBPyConnection, build: BuildRecord) -> None:
    """Append `build` to build_state.builds with the row count the table now has."""
    con.execute(
        "insert into build_state.builds values (?, ?, ?, ?, ?, ?, ?, ?, ?, now()::timestamp)",
        [
            build.table,
            build.build_id,
            build.mode,
            build.logic,
            build.input_build_id,
            build.changed_days,
            build.visitors,
            build.rows_written,
            table_rows(con, build.table),
        ],
    )
