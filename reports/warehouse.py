"""Read what the dashboard shows from the warehouse: marts, forecasts, inventory, quality.

Only those four schemas are read, never raw or staging, so no customer personal data can
reach a page. Rates are aggregated as weighted means of the mart's own per-row rates
(weighted by each rate's denominator), so the dashboard repeats the mart's metric
definitions instead of defining them a second time.
"""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl

from contract.exports import CONTRACT
from warehouse.frames import query as read_frame  # the pages' name for it
from warehouse.frames import read_row

REQUIRED_TABLES: tuple[str, ...] = (
    "marts.conversion_daily",
    "marts.orders_daily",
    "marts.customers",
    "marts.clv_model",
    "marts.clv_tracking",
    "marts.clv_conditional",
    "marts.funnel_daily",
    "marts.cart_abandonment_daily",
    "marts.customer_rates_monthly",
    "marts.cohort_retention",
    "marts.feedback_daily",
    "marts.product_ratings",
    "marts.fulfilment_daily",
    "marts.delivery_feedback",
    "marts.sku_demand_daily",
    "marts.sales_by_sku_daily",
    "forecasts.demand_forecast",
    "forecasts.demand_backtest",
    "forecasts.accuracy_summary",
    "inventory.reorder_recommendations",
    "quality.load_log",
    "quality.quarantine",
)

PII_COLUMNS: frozenset[str] = frozenset(c.name for cols in CONTRACT.values() for c in cols if c.pii)

# Funnel rates: the mart's per-row rate column and the count it is a share of.
RATE_DENOMINATORS: dict[str, str] = {
    "conversion_rate": "sessions",
    "cart_abandonment_rate": "sessions_with_cart",
    "checkout_abandonment_rate": "sessions_with_checkout",
}
FUNNEL_COUNTS: tuple[str, ...] = (
    "sessions",
    "sessions_with_cart",
    "sessions_with_checkout",
    "sessions_with_purchase",
)
SESSION_DIMENSIONS: tuple[str, ...] = (
    "device",
    "source",
    "medium",
    "visitor_type",
    "landing_page",
)


def check_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Fail early, naming every missing table, before any page is written.

    Args:
        con: open connection to the warehouse.

    Raises:
        LookupError: when a table the dashboard reads does not exist.
    """
    present = {
        f"{schema}.{table}"
        for schema, table in con.sql(
            "select table_schema, table_name from information_schema.tables"
        ).fetchall()
    }
    missing = [t for t in REQUIRED_TABLES if t not in present]
    if missing:
        raise LookupError(
            f"dashboard: warehouse table(s) {', '.join(missing)} missing; "
            "materialize the marts, forecasts, inventory and quality assets before publishing"
        )


def _rates_sql(group_by: str) -> str:
    counts = ", ".join(f"sum({c})::bigint as {c}" for c in FUNNEL_COUNTS)
    rates = ", ".join(
        f"sum({rate} * {denominator}) / nullif(sum({denominator}) filter ({rate} is not null), 0)"
        f" as {rate}"
        for rate, denominator in RATE_DENOMINATORS.items()
    )
    return f"select {group_by}, {counts}, {rates} from marts.conversion_daily"


def funnel_by(con: duckdb.DuckDBPyConnection, dimension: str) -> pl.DataFrame:
    """Funnel counts and rates per value of one dimension of marts.conversion_daily.

    Args:
        con: open connection to the warehouse.
        dimension: `day`, `week` (Monday-start weeks), `month` (text YYYY-MM), or a session
            dimension: `device`,
            `source`, `medium`, `visitor_type`, `landing_page`.

    Returns:
        One row per dimension value with the four funnel counts and three rates, ordered
        by the dimension. Session dimensions leave out the zero rows of days without
        sessions (dimensions '(no sessions)'); days and weeks keep them.
    """
    time = {
        "day": "day",
        "week": "date_trunc('week', day)::date",
        "month": "strftime(day, '%Y-%m')",
    }
    expression = time.get(dimension) or f"coalesce({_session_dimension(dimension)}, '(unknown)')"
    where = "" if dimension in time else " where sessions > 0"
    query = _rates_sql(f"{expression} as {dimension}") + where + " group by 1 order by 1"
    return read_frame(con, query)


def _session_dimension(dimension: str) -> str:
    if dimension not in SESSION_DIMENSIONS:
        raise ValueError(
            f"dashboard: unknown funnel dimension {dimension!r}; use day, week or one of "
            f"{', '.join(SESSION_DIMENSIONS)}"
        )
    return dimension


def funnel_totals(con: duckdb.DuckDBPyConnection) -> dict[str, float | int | None]:
    """Funnel counts and rates over all days, devices and sources."""
    row = read_frame(con, _rates_sql("count(*) as n_rows")).row(0, named=True)
    row.pop("n_rows")
    return row


def orders_by_day(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """One row per day: orders and net sales summed over countries."""
    return read_frame(
        con,
        "select day, sum(orders)::bigint as orders, sum(net_sales) as net_sales"
        " from marts.orders_daily group by day order by day",
    )


def coverage(con: duckdb.DuckDBPyConnection, table: str) -> tuple[date | None, date | None]:
    """First and last `day` in one warehouse table (None, None when it is empty)."""
    if table not in REQUIRED_TABLES:
        raise ValueError(
            f"dashboard: coverage of unknown table {table}; use one of {REQUIRED_TABLES}"
        )
    return read_row(con, f"select min(day), max(day) from {table}")


def load_summary(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Rows read, loaded and quarantined per export kind over every load in quality.load_log."""
    return read_frame(
        con,
        "select kind, count(*)::bigint as files, sum(rows_read)::bigint as rows_read,"
        " sum(rows_loaded)::bigint as rows_loaded,"
        " sum(rows_quarantined)::bigint as rows_quarantined"
        " from quality.load_log group by kind order by kind",
    )


def reorder_recommendations(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """All reorder recommendations, most urgent first, then the largest orders."""
    return read_frame(
        con,
        "select * from inventory.reorder_recommendations"
        " order by order_by nulls last, order_value desc nulls last, sku",
    )


def demand_and_forecast(
    con: duckdb.DuckDBPyConnection, skus: list[str], history_days: int
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Recent daily demand and the demand forecast of a few SKUs.

    Args:
        con: open connection to the warehouse.
        skus: the SKUs to read.
        history_days: how many days of history before each SKU's last day to return.

    Returns:
        (history: sku, day, units, is_stockout; forecast: sku, day, forecast, lo_80, hi_80,
        lo_95, hi_95), both ordered by sku and day.
    """
    history = read_frame(
        con,
        "select sku, day, units, is_stockout from marts.sku_demand_daily"
        " where sku in (select unnest($skus))"
        " qualify day > max(day) over (partition by sku) - $days::integer"
        " order by sku, day",
        {"skus": skus, "days": history_days},
    )
    return history, sku_forecasts(con, skus)


def sku_forecasts(con: duckdb.DuckDBPyConnection, skus: list[str]) -> pl.DataFrame:
    """The forecast rows (mean and 80/95 % bounds per day) of the given SKUs."""
    return read_frame(
        con,
        "select sku, day, forecast, lo_80, hi_80, lo_95, hi_95 from forecasts.demand_forecast"
        " where sku in (select unnest($skus)) order by sku, day",
        {"skus": skus},
    )
