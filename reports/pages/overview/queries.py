"""The overview's reads: each KPI for the current period, the previous one and a weekly
sparkline; daily sales and orders; how many SKUs to reorder.

Every daily KPI is the metric catalogue's definition (reports/metric_catalogue.py), the
same one the other pages and the browser's date-range filter use. The
returning-customer rate is a monthly metric (marts.customer_rates_monthly): it compares
the newest month with the one before, and its sparkline is monthly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import duckdb
import polars as pl

from reports.metric_catalogue import CATALOGUE, metric_sql
from reports.pages.sales.queries import SPARK_WEEKS, Periods
from warehouse.frames import query, read_row

# The overview's daily KPIs, each by the catalogue's definition.
DAILY_KPIS = ("sessions", "conversion_rate", "orders", "net_sales", "aov", "nps")
# metric -> (table, aggregate SQL over that table's rows)
METRICS: dict[str, tuple[str, str]] = {
    name: (CATALOGUE[name].table, metric_sql(CATALOGUE[name])) for name in DAILY_KPIS
}
RETURNING_RATE = metric_sql(CATALOGUE["returning_customer_rate"])
SPARK_MONTHS = 12


@dataclass(frozen=True)
class Kpi:
    current: float | int | None
    previous: float | int | None
    series: list[float | None]  # oldest first, the sparkline's points
    period: str  # what `current` covers, e.g. '2011-11-12 to 2011-12-09'


def _window(con: duckdb.DuckDBPyConnection, table: str, aggregate: str, first: date, last: date):
    return query(
        con,
        f"select {aggregate} as v from {table} where day between $first and $last",
        {"first": first, "last": last},
    ).item()


def _weekly(con: duckdb.DuckDBPyConnection, table: str, aggregate: str, end: date) -> list:
    first_week = end - timedelta(days=end.weekday() + 7 * (SPARK_WEEKS - 1))
    frame = query(
        con,
        f"select date_trunc('week', day)::date as week, {aggregate} as v from {table}"
        " where day between $first and $end group by 1 order by 1",
        {"first": first_week, "end": end},
    )
    return [None if v is None else float(v) for v in frame["v"]]


def _returning_rate(con: duckdb.DuckDBPyConnection) -> Kpi:
    monthly = query(
        con,
        f"select month, {RETURNING_RATE} as v from marts.customer_rates_monthly"
        f" group by month order by month desc limit {SPARK_MONTHS}",
    ).reverse()
    values = [None if v is None else float(v) for v in monthly["v"]]
    if not values:
        return Kpi(None, None, [], "no months")
    months = monthly["month"].to_list()
    return Kpi(
        values[-1],
        values[-2] if len(values) > 1 else None,
        values,
        f"month of {months[-1].strftime('%Y-%m')}",
    )


def overview_kpis(con: duckdb.DuckDBPyConnection, span: Periods | None) -> dict[str, Kpi]:
    """Sessions, conversion, orders, net sales, AOV, NPS and the returning-customer rate.

    Args:
        con: open connection to the warehouse.
        span: the current and previous period (`reports.pages.sales.queries.sales_periods`); None
            when there are no orders, which leaves every daily KPI empty.

    Returns:
        One `Kpi` per metric name of `METRICS` plus 'returning_customer_rate'.
    """
    kpis = {}
    for name, (table, aggregate) in METRICS.items():
        if span is None:
            kpis[name] = Kpi(None, None, [], "no data")
            continue
        kpis[name] = Kpi(
            _window(con, table, aggregate, span.start, span.end),
            _window(con, table, aggregate, span.previous_start, span.previous_end),
            _weekly(con, table, aggregate, span.end),
            f"{span.start.isoformat()} to {span.end.isoformat()}",
        )
    kpis["returning_customer_rate"] = _returning_rate(con)
    return kpis


def orders_by_day(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """One row per day: orders and net sales summed over countries."""
    return query(
        con,
        "select day, sum(orders)::bigint as orders, sum(net_sales) as net_sales"
        " from marts.orders_daily group by day order by day",
    )


def reorder_count(con: duckdb.DuckDBPyConnection) -> int:
    """How many SKUs inventory.reorder_recommendations says to reorder."""
    (skus,) = read_row(con, "select count(*) from inventory.reorder_recommendations")
    return skus
