"""Which rows an asset check validates: the rows written since it last passed, or all of them.

The row rules of a suite (key not null, not-null columns, value ranges, GX expectations)
judge each row on its own, so a row that passed stays passed until it is rewritten or the
rules change. A check therefore validates:

- only the rows the builds rewrote since the check last passed (incremental/written.py),
  when the table's builds record what they write and none of those writes was whole:
  staging.stg_traffic_events and marts.sessions record the visitors they recompute
  (incremental/visitor_build.py; a full build, which a change of the model, the macros or
  a setting forces, records the whole table), and the staging table the event days of the
  new export day's events it appended to visitors' unchanged histories; staging.stg_order_lines and
  staging.stg_inventory, rebuilt per order and per snapshot day, record the days of the rows
  they wrote (incremental/key_build.py); a daily mart built by day records its days;
- every row when the table's build records nothing (a plain `create or replace table`
  rewrites it whole every run: the other staging tables, whose rows keep the newest
  export's version of a review or parcel from any day, and the marts not built by day),
  when a pending
  write was whole, when the suite changed, when the check never passed, when its last
  full validation failed, or when the run asks for a full validation (`--full-checks`, the
  run tag FULL_CHECKS_TAG; the nightly run of the backtest weekday sets it).

A failure keeps blocking: the check remembers the last write whose rows passed
(`build_state.validated`), and moves it on only when it passes. Rows of day D that fail on
Monday are still pending on Tuesday, so Tuesday's check validates them again and fails
again unless a build rewrote them and they now pass. A failed full validation marks the
check so that it validates every row until one passes (a bad row found in an old day by
the weekly validation blocks every night until it is fixed).

The key check's uniqueness is a whole-table property: the new rows' keys are joined to
the table (only the rows sharing a new key are counted), never a GROUP BY of all rows; two
old rows sharing a key were caught when the later of them was written.

Rows a check skips were validated before with the same suite, under the assumption that
nothing writes the tables but their assets (the visitor builds check the row count and
rebuild in full when it moved). The weekly full validation is the guard against the rest.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

import duckdb

from incremental.written import ensure_written, forget_validated, pending_writes
from warehouse.frames import scalar

# The run tag that asks every check of the run to validate whole tables.
FULL_CHECKS_TAG = "orderpulse/full_checks"

VALIDATED_TABLE = """
create schema if not exists build_state;
create table if not exists build_state.validated (
    table_name varchar, check_name varchar, through_write_id bigint, suite varchar,
    full_failed boolean, checked_at timestamp
)"""


@dataclass(frozen=True)
class CheckScope:
    """The rows one check validates: `where` None for every row, else a SQL predicate."""

    where: str | None
    reason: str  # why every row, or which writes
    through: int  # the newest write the validation covers
    suite: str  # the suite's fingerprint
    by_days_only: bool = False  # `where` selects whole values of the day column

    @property
    def full(self) -> bool:
        return self.where is None


def suite_fingerprint(parts: object) -> str:
    """A short fingerprint of a suite's rules (their repr, which names every column and bound)."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


def _last_state(con: duckdb.DuckDBPyConnection, table: str, check: str) -> tuple | None:
    con.execute(VALIDATED_TABLE)
    rows = con.execute(
        "select through_write_id, suite, full_failed from build_state.validated "
        "where table_name = ? and check_name = ?",
        [table, check],
    ).fetchall()
    return rows[0] if rows else None


def check_scope(
    con: duckdb.DuckDBPyConnection,
    table: str,
    check: str,
    suite: str,
    day_column: str,
    full: bool,
) -> CheckScope:
    """The rows `check` of `table` validates in this run, and why.

    Args:
        con: a read-write warehouse connection.
        table: `schema.table`.
        check: the check's name (each check of a table keeps its own state).
        suite: the suite's fingerprint (suite_fingerprint).
        day_column: the column holding the days a build records (incremental/written.py).
        full: the run asks for a full validation.
    """
    state = _last_state(con, table, check)
    after = state[0] if state else 0
    pending = pending_writes(con, table, after)
    if full:
        reason = "full validation asked for by the run"
    elif state is None:
        reason = "no earlier passed validation recorded"
    elif state[1] != suite:
        reason = "the suite's rules changed since the last validation"
    elif state[2]:
        reason = "the last full validation failed: every row until one passes"
    elif not pending.recorded:
        reason = "the table's build records no written rows: rewritten whole every build"
    elif pending.whole:
        reason = "rebuilt whole since the last validation (first build or a logic change)"
    else:
        what = f"{pending.writes} builds" if pending.writes != 1 else "1 build"
        return CheckScope(
            pending.where(day_column),
            f"the rows {what} wrote since write {after}, the last validated",
            pending.through,
            suite,
            by_days_only=not pending.by_visitors,
        )
    return CheckScope(None, reason, pending.through, suite)


def record_verdict(
    con: duckdb.DuckDBPyConnection,
    table: str,
    check: str,
    scope: CheckScope,
    passed: bool,
    checks_of_table: int,
) -> None:
    """Store what a check's verdict means for the next run.

    A pass moves the check's state to the newest write it covered; a failed incremental
    validation leaves it (the failing rows stay pending); a failed full validation marks
    the check to validate every row until one passes. When every check of the table has
    passed a write, the lists of days and visitors up to it are dropped.

    Args:
        con: a read-write warehouse connection.
        table: `schema.table`.
        check: the check's name.
        scope: the scope the check validated (check_scope).
        passed: the check's verdict.
        checks_of_table: how many checks the table's suite has (for dropping old lists).
    """
    if not passed and not scope.full:
        return
    state = _last_state(con, table, check)
    through = scope.through if passed else (state[0] if state else 0)
    con.execute(
        "delete from build_state.validated where table_name = ? and check_name = ?",
        [table, check],
    )
    con.execute(
        "insert into build_state.validated values (?, ?, ?, ?, ?, now()::timestamp)",
        [table, check, through, scope.suite, not passed],
    )
    if passed:
        forget_done_writes(con, {table: checks_of_table})


def forget_done_writes(con: duckdb.DuckDBPyConnection, checks_per_table: dict[str, int]) -> None:
    """Drop each table's lists of written days and visitors up to the newest write every
    check of the table has passed, as far as the analyst copy holds them
    (incremental/written.py `forget_validated`).

    Called after each passing verdict and again after each new analyst copy, so what a run
    leaves listed depends only on what its checks and copy hold, not on which of the two
    came first in the runs before it.

    Args:
        con: a read-write warehouse connection.
        checks_per_table: per table, how many checks its suite has; a table with fewer
            recorded verdicts than that keeps its lists.
    """
    for table, checks in checks_per_table.items():
        states, oldest = con.execute(
            "select count(*), min(through_write_id) from build_state.validated "
            "where table_name = ?",
            [table],
        ).fetchall()[0]
        if states >= checks:
            forget_validated(con, table, oldest)


def forget_unchecked_writes(con: duckdb.DuckDBPyConnection, checked: Iterable[str]) -> None:
    """Drop the writes of the tables no check validates (the backtests' tables, which record
    their whole writes for the analyst copy) as far as the analyst copy holds them; the
    newest write of each stays. Called after each new analyst copy, with every checked table
    in `checked`: without it their writes would pile up night after night, and a run that
    a kill made redo a backtest would keep one write more than a clean run."""
    ensure_written(con)
    skip = set(checked)
    tables = con.execute("select distinct table_name from build_state.written").fetchall()
    newest = scalar(con, "select coalesce(max(write_id), 0) from build_state.written")
    for (table,) in tables:
        if table not in skip:
            forget_validated(con, table, newest)
