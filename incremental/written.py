"""Which rows each build wrote, kept so that the asset checks validate only those rows.

A build that rewrites only part of its table says which part, in the build's own
transaction:

- `record_written_days(con, table, days)`: the rows of these days (values of the table's
  day column, `day` unless its suite names another) were rewritten; `days=None` means the
  whole table was;
- `record_written_visitors(con, table)`: the rows of the visitors in the temp table
  `rebuilt_visitors` were rewritten (the per-visitor builds, incremental/visitor_build.py).

Every record gets a new `write_id` (increasing across all tables). Two readers use them:

- a check remembers, per table and check, the last write_id whose rows it validated and
  passed (`build_state.validated`, quality/check_scope.py); `pending_writes` gives it the
  writes after that one;
- the analyst copy remembers the newest write_id its last copy holds
  (`build_state.analyst_copy`, incremental/copy_plan.py) and copies again only the rows
  written after it.

A write's lists of days and visitors are dropped once every check of its table has
passed it and the analyst copy holds it (`forget_validated`, called after each passing
check and after each new copy: quality/check_scope.py `forget_done_writes`). A table
that never recorded a write is treated as rewritten whole by every build, which is what
a plain `create or replace table` does. Once a table has
recorded, every build of it must record (a rebuild from scratch with `days=None`): a
build that records nothing is taken to have written nothing.

These tables are data lineage, like the rest of build_state: what was written, not when
anything should run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import duckdb
import polars as pl

from warehouse.frames import replace_table, scalar
from warehouse.sql_text import sql_literal
from warehouse.transaction import transaction

WRITTEN_TABLES = """
create schema if not exists build_state;
create table if not exists build_state.written (
    write_id bigint, table_name varchar, whole boolean, written_at timestamp
);
create table if not exists build_state.written_days (write_id bigint, table_name varchar, day date);
create table if not exists build_state.written_visitors (
    write_id bigint, table_name varchar, user_id varchar
);
create table if not exists build_state.analyst_copy (
    through_write_id bigint, file_id varchar, copied_at timestamp
);
"""


def ensure_written(con: duckdb.DuckDBPyConnection) -> None:
    """Create the build_state tables of written rows if absent."""
    con.execute(WRITTEN_TABLES)


def _new_write(con: duckdb.DuckDBPyConnection, table: str, whole: bool) -> int:
    ensure_written(con)
    write_id = scalar(con, "select coalesce(max(write_id), 0) + 1 from build_state.written")
    con.execute(
        "insert into build_state.written values (?, ?, ?, now()::timestamp)",
        [write_id, table, whole],
    )
    return write_id


def record_written_days(
    con: duckdb.DuckDBPyConnection, table: str, days: Iterable[dt.date] | None
) -> None:
    """Record that a build rewrote the rows of `days` in `table` (None: the whole table).

    Call it in the build's transaction, after the write, so a rolled-back build records
    nothing.

    Args:
        con: a read-write warehouse connection.
        table: `schema.table` as the checks know it (quality/suites.py).
        days: the values of the table's day column whose rows were deleted and inserted
            again (an empty iterable: nothing was rewritten), or None for the whole table.
    """
    write_id = _new_write(con, table, days is None)
    if days is None:
        return
    distinct = sorted(set(days))
    if distinct:
        con.execute(
            "insert into build_state.written_days select ?, ?, unnest(?::date[])",
            [write_id, table, distinct],
        )


def replace_recorded(
    con: duckdb.DuckDBPyConnection, schema: str, table: str, frame: pl.DataFrame
) -> int:
    """Replace `schema.table` with a polars frame and record the whole table as rewritten,
    in one transaction.

    For a table rebuilt whole, but not by every run (the backtests, which most nights
    keep): the analyst copy then copies it again only after a run that rebuilt it, instead
    of every night. Every writer of such a table must write it this way (see above).

    Returns:
        The number of rows written.
    """
    with transaction(con):
        rows = replace_table(con, schema, table, frame)
        record_written_days(con, f"{schema}.{table}", None)
    return rows


def record_written_visitors(
    con: duckdb.DuckDBPyConnection, table: str, except_in: str | None = None
) -> None:
    """Record that a build rewrote the rows of the visitors in the temp table rebuilt_visitors.

    Args:
        con: a read-write warehouse connection holding the temp table `rebuilt_visitors`.
        table: `schema.table` of a per-visitor table (a `user_id` column).
        except_in: a temp table of visitors (user_id) to leave out: visitors whose older
            rows the build kept, recorded by the days of their new rows instead.
    """
    write_id = _new_write(con, table, False)
    left_out = f" where user_id not in (select user_id from {except_in})" if except_in else ""
    con.execute(
        "insert into build_state.written_visitors "
        f"select distinct ?, ?, user_id from rebuilt_visitors{left_out}",
        [write_id, table],
    )


@dataclass(frozen=True)
class PendingWrites:
    """The writes of one table after write `after`, up to write `through` (the newest)."""

    table: str
    after: int
    through: int
    recorded: bool  # the table has ever recorded a write
    whole: bool  # one of the pending writes rewrote the whole table
    writes: int  # how many writes are pending
    by_days: bool  # some pending write named days
    by_visitors: bool  # some pending write named visitors

    def where(self, day_column: str, catalog: str | None = None) -> str:
        """A SQL predicate selecting the rows these writes rewrote: rows whose `day_column`
        holds a written day, or whose user_id is a written visitor. Meaningful only when
        `recorded` and not `whole`; `false` when nothing was written. `catalog` names the
        warehouse when it is attached to another database (the analyst copy's)."""
        state = f"{catalog}.build_state" if catalog else "build_state"
        bounds = (
            f"table_name = {sql_literal(self.table)} "
            f"and write_id > {self.after} and write_id <= {self.through}"
        )
        parts = []
        if self.by_days:
            parts.append(f'"{day_column}" in (select day from {state}.written_days where {bounds})')
        if self.by_visitors:
            parts.append(
                f"user_id in (select user_id from {state}.written_visitors where {bounds})"
            )
        return "(" + " or ".join(parts) + ")" if parts else "false"


def pending_writes(con: duckdb.DuckDBPyConnection, table: str, after: int) -> PendingWrites:
    """The writes recorded for `table` after write `after`.

    Args:
        con: a read-write warehouse connection (the tables are created if absent).
        table: `schema.table`.
        after: the last write_id already validated (0: none).

    Returns:
        A PendingWrites; `recorded` False when the table never recorded a write.
    """
    ensure_written(con)
    params = {"table": table, "after": after}
    ever, through, whole, writes = con.execute(
        "select count(*), coalesce(max(write_id), 0), "
        "coalesce(bool_or(whole) filter (where write_id > $after), false), "
        "count(*) filter (where write_id > $after) "
        "from build_state.written where table_name = $table",
        params,
    ).fetchall()[0]
    by_days, by_visitors = (
        bool(
            scalar(
                con,
                f"select exists (select 1 from build_state.{detail} "
                "where table_name = $table and write_id > $after)",
                params,
            )
        )
        for detail in ("written_days", "written_visitors")
    )
    return PendingWrites(
        table, after, max(through, after), ever > 0, whole, writes, by_days, by_visitors
    )


def forget_validated(con: duckdb.DuckDBPyConnection, table: str, through: int) -> None:
    """Forget `table`'s writes up to `through`, which every check of the table has
    validated, as far as the analyst copy holds them too; the newest write stays, so the
    table still counts as one that records.

    Args:
        con: a read-write warehouse connection.
        table: `schema.table`.
        through: the newest write_id every check of the table has passed.
    """
    ensure_written(con)
    # The next analyst copy reads the lists of the writes after the one it holds.
    copied = scalar(con, "select min(through_write_id) from build_state.analyst_copy")
    if copied is not None:
        through = min(through, copied)
    for detail in ("written_days", "written_visitors"):
        con.execute(
            f"delete from build_state.{detail} where table_name = ? and write_id <= ?",
            [table, through],
        )
    con.execute(
        "delete from build_state.written where table_name = $table and write_id <= $through "
        "and write_id < (select max(write_id) from build_state.written where table_name = $table)",
        {"table": table, "through": through},
    )
