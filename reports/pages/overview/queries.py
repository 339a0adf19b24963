"""The overview's reads: each KPI for the current period, the previous one and a
sparkline over the current period; daily sales and orders; how many SKUs to reorder.

Every daily KPI is the metric catalogue's definition (reports/metric_catalogue.py), the
same one the other pages and the browser's date-range filter use. The
returning-customer rate is a monthly metric (marts.customer_rates_monthly): it compares
the newest month with the one before, and its sparkline is monthly.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

import duckdb
import polars as pl

from reports.metric_catalogue import CATALOGUE, metric_sql
from reports.pages.sales.queries import Periods
from reports.site.spark_rule import is_gap, spark_windows
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
    series: list[float | None]  # oldest first, the sparkline's points (None: a gap)
    period: str  # what `current` covers, e.g. '2011-11-12 to 2011-12-09'


def _window(con: duckdb.DuckDBPyConnection, table: str, aggregate: str, first: date, last: date):
    return query(
        con,
        f"select {aggregate} as v from {table} where day between $first and $last",
        {"first": first, "last": last},
    ).item()


def _spark(
    con: duckdb.DuckDBPyConnection, name: str, first: date, last: date, closed: Collection[date]
) -> list:
    """The metric's sparkline points over first..last by the rule the page's filter script
    redraws it with (reports/site/spark_rule.py): days without rows sum to 0, so a sum is 0
    there and a ratio (a zero denominator) is missing; a point whose days are all `closed`
    is a gap."""
    table, aggregate = METRICS[name]
    windows = spark_windows(first, last)
    if not windows:
        return []
    step = (windows[0][1] - windows[0][0]).days + 1
    # Each row's point, counted back from the last: 0 is the newest.
    frame = query(
        con,
        f"select date_diff('day', day, $last) // $step as back, {aggregate} as v from {table}"
        " where day between $first and $last group by back",
        {"first": windows[0][0], "last": last, "step": step},
    )
    by_back = dict(zip(frame["back"].to_list(), frame["v"].to_list(), strict=True))
    empty = 0.0 if CATALOGUE[name].denominator is None else None
    return [
        None
        if is_gap(window, closed)
        else (empty if (v := by_back.get(len(windows) - 1 - i, empty)) is None else float(v))
        for i, window in enumerate(windows)
    ]


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


def overview_kpis(
    con: duckdb.DuckDBPyConnection,
    span: Periods | None,
    gapped: Collection[str] = (),
    closed: Collection[date] = (),
) -> dict[str, Kpi]:
    """Sessions, conversion, orders, net sales, AOV, NPS and the returning-customer rate.

    Args:
        con: open connection to the warehouse.
        span: the current and previous period (`reports.pages.sales.queries.sales_periods`); None
            when there are no orders, which leaves every daily KPI empty.
        gapped: the metrics whose sparkline leaves the `closed` days as gaps
            (reports/site/trading_calendar.py closed_days).
        closed: the days the shop was closed.

    Returns:
        One `Kpi` per metric name of `METRICS` plus 'returning_customer_rate'.
    """
    kpis = {}
    closed = set(closed)
    for name, (table, aggregate) in METRICS.items():
        if span is None:
            kpis[name] = Kpi(None, None, [], "no data")
            continue
        kpis[name] = Kpi(
            _window(con, table, aggregate, span.start, span.end),
            _window(con, table, aggregate, span.previous_start, span.previous_end),
            _spark(con, name, span.start, span.end, closed if name in gapped else ()),
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
