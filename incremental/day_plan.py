"""Which days a daily mart recomputes: its inputs' days whose content changed since its last build.

Each input's rows are fingerprinted per mart day (row count and the sum of the rows' hashes,
every column, every bit), into the temp table current_input_days; the mart's last build
stored the same in build_state.mart_input_days. A day whose fingerprint differs, appeared
or vanished changed, whichever build wrote the input and however (a new export day, a
re-sent old day, visitors rebuilt, a staging table rebuilt in full). The first recomputed
day is the first changed day moved back by the mart's window (incremental/daily_marts.py),
or the day after the mart's last day if that comes first.

Fingerprinting reads every row of every input, each night: the sessions alone cost the
three traffic marts about 2.5 CPU s each at SF10. Marts of one Dagster run that read the
same input through the same query share its fingerprints: the first computes them and keeps
them in build_state.run_input_days under the run's id, the others copy them. Within a run
an input is written only by its own step, which runs before every mart that reads it, so
the copy is what fingerprinting again would give. A build outside a Dagster run (no run
id) computes its own.
"""

from __future__ import annotations

import datetime as dt
import math

import duckdb

from incremental.daily_marts import DailyMart
from warehouse.frames import scalar

FINGERPRINTS = """
select ? as input, day, concat(count(*), ':', sum(hash(input_rows)::hugeint)) as fingerprint
from ({rows}) as input_rows
where day is not null
group by day
"""
# One input's fingerprints as a mart of the same run kept them (run id, input, its query).
SHARED_ROWS = (
    "select input, day, fingerprint from build_state.run_input_days "
    "where run_id = ? and input = ? and query = ?"
)


def snapshot_inputs(
    con: duckdb.DuckDBPyConnection, mart: DailyMart, run_id: str | None = None
) -> None:
    """Fingerprint every input day of `mart` now, into the temp table current_input_days.

    Args:
        con: a warehouse connection (build_state exists).
        mart: the daily mart about to be built.
        run_id: the Dagster run building it: an input another mart of this run already
            fingerprinted through the same query is copied, not read again; None computes
            every input.
    """
    con.execute(
        "create or replace temp table current_input_days "
        "(input varchar, day date, fingerprint varchar)"
    )
    if run_id is not None:  # what earlier runs kept is never read again
        con.execute("delete from build_state.run_input_days where run_id <> ?", [run_id])
    for name, rows in mart.inputs:
        key = [run_id, name, rows]
        if run_id is not None and scalar(con, f"select count(*) from ({SHARED_ROWS})", key):
            con.execute(f"insert into current_input_days {SHARED_ROWS}", key)
            continue
        # `rows` is our own query from incremental/daily_marts.py, not outside text
        con.execute(f"insert into current_input_days {FINGERPRINTS.format(rows=rows)}", [name])
        if run_id is not None:
            con.execute(
                "insert into build_state.run_input_days "
                "select ?, input, ?, day, fingerprint from current_input_days where input = ?",
                [run_id, rows, name],
            )


def has_stored_inputs(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    """Whether the last build of `table` stored its inputs' fingerprints."""
    return bool(
        scalar(
            con, "select count(*) from build_state.mart_input_days where table_name = ?", [table]
        )
    )


def changed_input_days(con: duckdb.DuckDBPyConnection, table: str) -> tuple[list[dt.date], bool]:
    """The days whose input fingerprints differ from the stored ones, in order, and whether a
    whole-table input (day '-infinity') changed."""
    con.execute(
        "create or replace temp table changed_input_days as "
        "select distinct day from current_input_days as now "
        "full join (select * from build_state.mart_input_days where table_name = ?) as stored "
        "using (input, day) "
        "where now.fingerprint is distinct from stored.fingerprint",
        [table],
    )
    whole_table = scalar(con, "select count(*) from changed_input_days where not isfinite(day)")
    rows = con.execute(
        "select day from changed_input_days where isfinite(day) order by day"
    ).fetchall()
    return [day for (day,) in rows], bool(whole_table)


def window_days(con: duckdb.DuckDBPyConnection, mart: DailyMart) -> int:
    """Whole days a changed day reaches back: the mart's window in hours, rounded up.

    An event at any time of day d reaches back to day d - ceil(hours / 24) at the earliest.
    """
    if mart.window_hours_variable is None:
        return 0
    hours = scalar(con, "select getvariable(?)", [mart.window_hours_variable])
    return math.ceil(hours / 24)


def first_recomputed_day(
    con: duckdb.DuckDBPyConnection, mart: DailyMart, changed: list[dt.date]
) -> dt.date | None:
    """The first day to recompute (every later day is recomputed too); None: nothing changed.

    That is the first changed day moved back by the window, or the day after the mart's last
    day if that is earlier: a new last day extends the spine over the days without input
    rows in between (a closed Sunday), which must be written as zero rows.
    """
    if not changed:
        return None
    first = changed[0] - dt.timedelta(days=window_days(con, mart))
    last_built = scalar(con, f"select max(day) from {mart.table}")
    if last_built is not None:
        first = min(first, last_built + dt.timedelta(days=1))
    return first


def record_input_days(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """Store the inputs' fingerprints this build read, replacing the last build's."""
    con.execute("delete from build_state.mart_input_days where table_name = ?", [table])
    con.execute(
        "insert into build_state.mart_input_days select ?, input, day, fingerprint "
        "from current_input_days",
        [table],
    )
