"""Which days of a staging table rebuilt from scratch came out different, for its checks.

staging.stg_inventory is rebuilt whole by `create or replace` every run, yet its row for
snapshot day S (one per SKU and location) is chosen among the raw rows of snapshot day S
only: the newest export of that day, SKU and location wins. So its rows of day S change
only when the raw rows of S do, and raw rows change by export day. After each build:

1. every raw export day of the table's kind is fingerprinted (its quality.load_log entries
   and raw row count, as for the traffic builds, incremental/build_state.py) and compared
   with the fingerprints stored at the table's last build: a new day, a late file, a
   re-export and a removed file all count as changed;
2. the days written are the snapshot days the changed export days hold now and held at the
   last build (a re-export may drop a snapshot day, whose rows then come from another
   export or vanish);
3. they are recorded with incremental/written.py, and the state is replaced, in one
   transaction. A build whose model, macros or settings changed (the logic fingerprint),
   or with no stored state, records the whole table.

Nothing is recorded between the build and this step if the process dies there: the state
stays that of the build before, so the next build records those days again.

The other staging tables are not listed: an order, a review or a parcel exported again
keeps its newest export's version, whose day may be any, so their rows do not follow
their export days this simply; they are recorded as rewritten whole.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from contract.exports import RAW_TABLE
from incremental.build_state import export_day_fingerprints, logic_fingerprint
from incremental.written import record_written_days
from warehouse.transaction import transaction


@dataclass(frozen=True)
class DaySource:
    """A staging table whose rows of one day derive from the raw rows of that day only."""

    kind: str  # the export kind of its raw table
    day: str  # the raw column holding the day the staging row keeps (its day column)


SOURCES: dict[str, DaySource] = {
    "staging.stg_inventory": DaySource(kind="inventory", day="snapshot_date"),
}

STATE_TABLES = """
create schema if not exists build_state;
create table if not exists build_state.export_day_builds (
    table_name varchar, export_date date, fingerprint varchar, logic varchar
);
create table if not exists build_state.export_day_days (
    table_name varchar, export_date date, day date
);
"""


def _changed_days(con: duckdb.DuckDBPyConnection, table: str, source: DaySource) -> list[dt.date]:
    """The days written: those the changed export days hold now (raw) or held (state)."""
    raw = f"raw.{RAW_TABLE[source.kind]}"
    rows = con.execute(
        f"""
        with changed as (
            select export_date from current_export_days as now
            full join (select * from build_state.export_day_builds where table_name = $table)
                as stored using (export_date)
            where now.fingerprint is distinct from stored.fingerprint
        )
        select distinct "{source.day}" from {raw} where _export_date in (select * from changed)
        union
        select day from build_state.export_day_days
        where table_name = $table and export_date in (select * from changed)
        order by 1
        """,
        {"table": table},
    ).fetchall()
    return [day for (day,) in rows if day is not None]


def _store_state(con: duckdb.DuckDBPyConnection, table: str, source: DaySource, logic: str) -> None:
    raw = f"raw.{RAW_TABLE[source.kind]}"
    for state in ("export_day_builds", "export_day_days"):
        con.execute(f"delete from build_state.{state} where table_name = ?", [table])
    con.execute(
        "insert into build_state.export_day_builds "
        "select ?, export_date, fingerprint, ? from current_export_days",
        [table, logic],
    )
    con.execute(
        f'insert into build_state.export_day_days select distinct ?, _export_date, "{source.day}" '
        f"from {raw}",
        [table],
    )


def record_rebuilt_days(
    con: duckdb.DuckDBPyConnection, table: str, model: str, macros: str
) -> list[dt.date] | None:
    """Record which days of `table` its last build (from scratch) changed.

    Args:
        con: a warehouse connection prepared for the SQL models, just after the build.
        table: one of SOURCES.
        model: the table's SQL model; with the macros and the connection's variables it
            makes the logic fingerprint.
        macros: the SQL macros the model calls.

    Returns:
        The days recorded, or None when the whole table was.
    """
    source = SOURCES[table]
    logic = logic_fingerprint(con, model, macros)
    con.execute(STATE_TABLES)
    with transaction(con):
        con.execute(
            "create or replace temp table current_export_days as "
            + export_day_fingerprints(source.kind)
        )
        stored = con.execute(
            "select distinct logic from build_state.export_day_builds where table_name = ?",
            [table],
        ).fetchall()
        days = _changed_days(con, table, source) if stored == [(logic,)] else None
        record_written_days(con, table, days)
        _store_state(con, table, source, logic)
    return days
