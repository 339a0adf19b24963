"""Rules about whole feeds, checked in DuckDB SQL: they compare tables or days, which a
Great Expectations suite (one batch, one table) cannot express.

- sessions cover orders: two marts compared day by day;
- inventory not stale, export freshness: the newest day of one feed against the newest
  order day, i.e. a comparison across tables and against the data's own clock (GX's
  freshness rules compare with the wall clock, which is wrong for history and backfills);
- quarantine share: reads the loader's bookkeeping (quality.load_log), not a table's rows.

Plain functions on a DuckDB connection (no Dagster) returning a `Gate`.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import polars as pl

from contract.feeds import missing_feed_line, provided_feeds
from quality.table_rules import EXAMPLES, Gate


def sessions_cover_orders(con: duckdb.DuckDBPyConnection) -> Gate:
    """Every order day from the first traffic day on has at least as many sessions as orders.

    Total sessions, not purchasing sessions: one session may place several orders and
    stock adjustments are orders without a session, but a shop never takes more orders
    in a day than it has visits. Days before the first traffic day are not compared, so a
    shop without a traffic feed passes; a missing traffic day inside the feed fails.

    Args:
        con: warehouse connection with marts.conversion_daily and marts.orders_daily.

    Returns:
        A Gate with `compared_days`, `short_days` and the worst days as examples.
    """
    compared = """
        with sessions as (
            select day, sum(sessions) as sessions from marts.conversion_daily group by day
        ),
        orders as (
            select day, sum(orders) as orders from marts.orders_daily group by day
        )
        select o.day, coalesce(s.sessions, 0) as sessions, o.orders
        from orders as o
        left join sessions as s on s.day = o.day
        where o.orders > 0 and o.day >= (select min(day) from sessions)
    """
    days, short = con.execute(
        f"select count(*), count(*) filter (where sessions < orders) from ({compared})"
    ).fetchall()[0]
    examples = con.sql(
        f"select * from ({compared}) where sessions < orders order by orders - sessions desc, day limit {EXAMPLES}"
    ).pl()
    if short == 0:
        return Gate(
            True,
            f"sessions >= orders on all {days} order days with traffic",
            {"compared_days": days, "short_days": 0},
        )
    first = examples["day"].min()
    return Gate(
        False,
        f"{short} of {days} days have more orders than sessions (e.g. {first}): the traffic "
        f"export of those days is missing or cut short; re-export traffic/<day> and rerun",
        {"compared_days": days, "short_days": short},
        examples,
    )


def customer_types_add_up(con: duckdb.DuckDBPyConnection) -> Gate:
    """Per day and country, orders, units and net sales of marts.orders_by_customer_type_daily
    summed over customer types equal marts.orders_daily's.

    The dashboards read the orders metrics from the mart split by customer type and the
    daily charts from orders_daily: a customer line lost or counted twice by the split
    would make the same page disagree with itself.

    Args:
        con: warehouse connection with both marts.

    Returns:
        A Gate with `compared_rows`, `differing_rows` and the worst rows as examples.
    """
    compared = """
        with by_type as (
            select day, country, sum(orders) as orders, sum(units) as units,
                sum(net_sales) as net_sales
            from marts.orders_by_customer_type_daily group by day, country
        )
        select day, country, o.orders, t.orders as orders_by_type, o.units,
            t.units as units_by_type, o.net_sales, t.net_sales as net_sales_by_type
        from marts.orders_daily as o
        full join by_type as t using (day, country)
    """
    differs = (
        "orders is distinct from orders_by_type or units is distinct from units_by_type"
        " or abs(coalesce(net_sales, 0) - coalesce(net_sales_by_type, 0)) > 0.005"
        " or net_sales is null or net_sales_by_type is null"
    )
    rows, bad = con.execute(
        f"select count(*), count(*) filter (where {differs}) from ({compared})"
    ).fetchall()[0]
    evidence = {"compared_rows": rows, "differing_rows": bad}
    if bad == 0:
        return Gate(
            True, f"customer types add up to marts.orders_daily on all {rows} rows", evidence
        )
    examples = con.sql(
        f"select * from ({compared}) where {differs} order by day, country limit {EXAMPLES}"
    ).pl()
    return Gate(
        False,
        f"{bad} of {rows} day-country rows of marts.orders_by_customer_type_daily do not add "
        f"up to marts.orders_daily (e.g. {examples['day'][0]}, {examples['country'][0]}); "
        "rebuild both marts in full",
        evidence,
        examples,
    )


def inventory_staleness(con: duckdb.DuckDBPyConnection, max_age_days: int) -> Gate:
    """The newest inventory snapshot is at most `max_age_days` older than the newest order day.

    A shop that never sent an inventory feed passes (there is no stock to be stale; the
    reorder list then says on-hand stock is unknown); one whose inventory files were
    loaded but are too old, or loaded no snapshot, fails.

    Args:
        con: warehouse connection with staging.stg_inventory and staging.stg_order_lines.
        max_age_days: setting quality.inventory_max_age_days.

    Returns:
        A Gate with the newest snapshot day, the newest order day and the age in days.
    """
    snapshot = con.execute("select max(snapshot_date) from staging.stg_inventory").fetchall()[0][0]
    ordered = con.execute("select max(order_date) from staging.stg_order_lines").fetchall()[0][0]
    evidence: dict[str, object] = {
        "newest_snapshot": str(snapshot),
        "newest_order_day": str(ordered),
        "max_age_days": max_age_days,
    }
    if snapshot is None and "inventory" not in provided_feeds(con):
        return Gate(True, f"not judged: {missing_feed_line('inventory')}", evidence)
    if snapshot is None:
        return Gate(
            False,
            "inventory files were loaded but no inventory snapshot is in staging: drop inventory/YYYY-MM-DD.csv (sku, on_hand)",
            evidence,
        )
    if ordered is None:
        return Gate(True, f"newest snapshot {snapshot}; no orders to compare with", evidence)
    age = max((ordered - snapshot).days, 0)
    evidence["age_days"] = age
    if age <= max_age_days:
        return Gate(
            True,
            f"newest snapshot {snapshot} is {age} days older than the newest order day",
            evidence,
        )
    fix = f"export inventory/{ordered}.csv before ordering stock"
    rhythm = _usual_snapshot_gap(con)
    if rhythm is not None and rhythm > max_age_days:
        fix += (
            f"; or, as this shop counts stock every {rhythm} days, set "
            f"quality.inventory_max_age_days: {rhythm} in the settings file"
        )
    return Gate(
        False,
        f"newest inventory snapshot {snapshot} is {age} days older than the newest order day "
        f"{ordered} (allowed {max_age_days}); {fix}",
        evidence,
    )


def _usual_snapshot_gap(con: duckdb.DuckDBPyConnection) -> int | None:
    """The median days between consecutive inventory snapshot days (None with fewer than
    two): a shop that counts weekly says so, one whose daily feed stopped does not."""
    gap = con.execute(
        "select median(gap) from (select snapshot_date - lag(snapshot_date) over "
        "(order by snapshot_date) as gap "
        "from (select distinct snapshot_date from staging.stg_inventory))"
    ).fetchall()[0][0]
    return None if gap is None else round(gap)


def _most_often(reasons: pl.DataFrame) -> str:
    """The commonest quarantine reason with a row to open, or "" when none is recorded."""
    if reasons.is_empty():
        return ""
    top = reasons.row(0, named=True)
    return f" most often {top['reason']!r} ({top['rows']} rows, e.g. {top['example']});"


def quarantine_share(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    first_day: dt.date,
    last_day: dt.date,
    max_share: float,
) -> Gate:
    """Share of a kind's rows read on `first_day`..`last_day` that went to quarantine.

    Args:
        con: warehouse connection with quality.load_log and quality.quarantine.
        kind: export kind (orders, traffic, ...).
        first_day: first export day of the run.
        last_day: last export day of the run.
        max_share: setting quality.max_quarantine_share.

    Returns:
        A Gate with rows read, rows quarantined and the share; examples are the top
        reasons (column, reason, rows).
    """
    read, quarantined = con.execute(
        "select coalesce(sum(rows_read), 0), coalesce(sum(rows_quarantined), 0) from quality.load_log "
        "where kind = ? and export_date between ? and ?",
        [kind, first_day, last_day],
    ).fetchall()[0]
    share = quarantined / read if read else 0.0
    evidence = {
        "days": f"{first_day} .. {last_day}",
        "rows_read": int(read),
        "rows_quarantined": int(quarantined),
        "share": round(share, 6),
        "max_share": max_share,
    }
    # Each reason with one of its rows (the first by file and line) to open and fix.
    reasons = con.sql(
        "select column_name, reason, count(*) as rows,"
        " arg_min(file || ':' || line, (file, line)) as example"
        " from quality.quarantine where kind = ? and export_date between ? and ?"
        " group by column_name, reason order by rows desc, reason limit ?",
        params=[kind, first_day, last_day, EXAMPLES],
    ).pl()
    if share <= max_share:
        return Gate(
            True,
            f"{share:.2%} of {read} {kind} rows quarantined (allowed {max_share:.2%})",
            evidence,
            reasons if quarantined else None,
        )
    return Gate(
        False,
        f"{share:.2%} of {read} {kind} rows quarantined (allowed {max_share:.2%}): the export is "
        f"broken;{_most_often(reasons)} see quality.quarantine for kind '{kind}', fix the files "
        f"and rerun these days",
        evidence,
        reasons,
    )


def export_freshness(con: duckdb.DuckDBPyConnection, kind: str, max_lag_days: int | None) -> Gate:
    """The newest export day of `kind` and how many days it lags the newest orders export.

    Args:
        con: warehouse connection with quality.load_log.
        kind: export kind.
        max_lag_days: days the kind may lag the orders export; None to report without judging.

    A kind never provided (no file ever loaded) passes with the line saying what it would
    unlock: a shop need not send every feed. A kind whose files stopped arriving fails.

    Returns:
        A Gate with the newest export day of the kind and of orders and the lag in days.
    """
    newest, newest_orders = con.execute(
        "select max(export_date) filter (where kind = ?), max(export_date) filter (where kind = 'orders') "
        "from quality.load_log",
        [kind],
    ).fetchall()[0]
    lag = (newest_orders - newest).days if newest and newest_orders else None
    evidence = {
        "newest_export_day": str(newest),
        "newest_order_export_day": str(newest_orders),
        "days_behind_orders": lag,
        "max_lag_days": max_lag_days,
    }
    if newest is None:
        return Gate(True, f"not judged: {missing_feed_line(kind)}", evidence)
    if lag is None or max_lag_days is None or lag <= max_lag_days:
        if lag is None:
            behind = "no orders loaded"
        elif lag < 0:  # the kind's files arrived before this night's orders file
            behind = f"{-lag} days ahead of the newest orders export"
        else:
            behind = f"{lag} days behind the newest orders export"
        judged = "" if max_lag_days is not None else "; not judged (no allowed lag set)"
        return Gate(True, f"newest {kind} export {newest}, {behind}{judged}", evidence)
    return Gate(
        False,
        f"newest {kind} export {newest} is {lag} days behind the newest orders export "
        f"{newest_orders} (allowed {max_lag_days}); check the {kind} export job",
        evidence,
    )
