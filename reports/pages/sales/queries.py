"""Read what the Sales page and the overview KPIs show: weekly sales, the last 28 days
against the 28 before, and the SKUs and categories that moved most.

Periods end on the newest day of the data, not on the publication date: a warehouse of
past exports still compares its last four weeks with the four before.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import duckdb
import polars as pl

from reports.metric_values import metric_values
from warehouse.frames import query, read_row

PERIOD_DAYS = 28
TOP_ITEMS = 10
SALES_KPIS = ("net_sales", "orders", "units", "aov")


@dataclass(frozen=True)
class Periods:
    """The current period (`start`..`end`) and the previous one of the same length."""

    start: date
    end: date
    previous_start: date
    previous_end: date

    def label(self) -> str:
        return (
            f"{self.start.isoformat()} to {self.end.isoformat()} vs "
            f"{self.previous_start.isoformat()} to {self.previous_end.isoformat()}"
        )


def periods(last_day: date | None, days: int = PERIOD_DAYS) -> Periods | None:
    """The `days` days ending on `last_day` and the `days` before them; None without data."""
    if last_day is None:
        return None
    start = last_day - timedelta(days=days - 1)
    return Periods(start, last_day, start - timedelta(days=days), start - timedelta(days=1))


def sales_periods(con: duckdb.DuckDBPyConnection) -> Periods | None:
    """The 28-day periods ending on the newest day of marts.orders_daily."""
    return periods(read_row(con, "select max(day) from marts.orders_daily")[0])


def sales_by_week(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Net sales, orders and units per Monday-start week over all countries."""
    return query(
        con,
        "select date_trunc('week', day)::date as week, sum(net_sales) as net_sales,"
        " sum(orders)::bigint as orders, sum(units)::bigint as units"
        " from marts.orders_daily group by 1 order by 1",
    )


def sales_totals(
    con: duckdb.DuckDBPyConnection, first: date, last: date
) -> dict[str, float | int | None]:
    """Net sales, orders, units and AOV from `first` to `last`, by the metric catalogue's
    definitions (reports/metric_catalogue.py)."""
    return metric_values(con, SALES_KPIS, first, last)


def movers(con: duckdb.DuckDBPyConnection, by: str, span: Periods) -> pl.DataFrame:
    """Net sales and units per SKU or category, current vs previous period (products only).

    Args:
        con: open connection to the warehouse.
        by: 'sku' or 'category'.
        span: the two periods.

    Returns:
        `by`, net_sales, units, previous_net_sales, previous_units, change (net sales
        current - previous) and change_share (change / previous, None when the previous
        period sold nothing); one row per SKU or category that sold in either period.
    """
    if by not in ("sku", "category"):
        raise ValueError(f"sales movers: unknown grouping {by!r}; use 'sku' or 'category'")
    # Zero, not null, for a period without rows: the spine starts at a SKU's first sale.
    return query(
        con,
        f"with sums as (select {by},"
        " coalesce(sum(net_sales) filter (where day >= $start), 0) as net_sales,"
        " coalesce(sum(units) filter (where day >= $start), 0)::bigint as units,"
        " coalesce(sum(net_sales) filter (where day < $start), 0) as previous_net_sales,"
        " coalesce(sum(units) filter (where day < $start), 0)::bigint as previous_units"
        " from marts.sales_by_sku_daily"
        " where is_product and day between $previous_start and $end group by all)"
        " select *, net_sales - previous_net_sales as change,"
        " (net_sales - previous_net_sales) / nullif(previous_net_sales, 0) as change_share"
        " from sums where units + previous_units > 0 or net_sales <> 0 or previous_net_sales <> 0",
        {"start": span.start, "previous_start": span.previous_start, "end": span.end},
    )


def top_sellers(frame: pl.DataFrame, by: str, limit: int = TOP_ITEMS) -> pl.DataFrame:
    """The `limit` largest net sales of the current period."""
    return frame.sort(["net_sales", by], descending=[True, False], nulls_last=True).head(limit)


def decliners(frame: pl.DataFrame, by: str, limit: int = TOP_ITEMS) -> pl.DataFrame:
    """The `limit` largest drops in net sales against the previous period (drops only)."""
    return frame.filter(pl.col("change") < 0).sort(["change", by]).head(limit)
