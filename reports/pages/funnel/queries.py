"""Funnel-page reads: funnel counts and rates by dimension (marts.conversion_daily), closed
and open funnels (marts.funnel_daily) and abandonment windows (marts.cart_abandonment_daily).

Rates are aggregated as weighted means of the mart's own per-row rates (weighted by each
rate's denominator), and rates over several days are recomputed from the mart's summed
counts (the counts add up across days), so the page repeats the mart's metric definitions
instead of defining them a second time.
"""

from __future__ import annotations

import duckdb
import polars as pl

from warehouse.frames import query

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


FUNNEL_STEPS: tuple[str, ...] = ("visitors", "viewed", "carted", "checked_out", "purchased")
TOP_LANDING_PAGES = 10


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
    sql = _rates_sql(f"{expression} as {dimension}") + where + " group by 1 order by 1"
    return query(con, sql)


def _session_dimension(dimension: str) -> str:
    if dimension not in SESSION_DIMENSIONS:
        raise ValueError(
            f"dashboard: unknown funnel dimension {dimension!r}; use day, week or one of "
            f"{', '.join(SESSION_DIMENSIONS)}"
        )
    return dimension


def funnel_totals(con: duckdb.DuckDBPyConnection) -> dict[str, float | int | None]:
    """Funnel counts and rates over all days, devices and sources."""
    row = query(con, _rates_sql("count(*) as n_rows")).row(0, named=True)
    row.pop("n_rows")
    return row


def funnel_steps(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Funnel step counts summed over all days, per scope and funnel type.

    Args:
        con: open connection to the warehouse.

    Returns:
        scope (session | user), funnel_type (closed | open) and the five step counts;
        user counts are visitor-days (a visitor counts once per day they came). No rows
        when marts.funnel_daily has no visitors at all.
    """
    counts = ", ".join(f"sum({step})::bigint as {step}" for step in FUNNEL_STEPS)
    return query(
        con,
        f"select scope, funnel_type, {counts} from marts.funnel_daily"
        " group by all having sum(visitors) > 0 order by scope, funnel_type",
    )


def abandonment_totals(con: duckdb.DuckDBPyConnection) -> dict[str, float | int | None]:
    """Cart and checkout abandonment in the session and within the recovery window.

    Returns:
        carts, checkouts, the four rates (abandoned / created, NULL without carts or
        checkouts) and abandoned_cart_value, over every day of marts.cart_abandonment_daily.
    """
    frame = query(
        con,
        "select sum(carts)::bigint as carts, sum(checkouts)::bigint as checkouts,"
        " sum(carts_abandoned_in_session) / nullif(sum(carts), 0) as cart_abandonment_rate,"
        " sum(carts_abandoned_in_window) / nullif(sum(carts), 0)"
        "   as cart_abandonment_rate_window,"
        " sum(checkouts_abandoned_in_session) / nullif(sum(checkouts), 0)"
        "   as checkout_abandonment_rate,"
        " sum(checkouts_abandoned_in_window) / nullif(sum(checkouts), 0)"
        "   as checkout_abandonment_rate_window,"
        " sum(abandoned_cart_value) as abandoned_cart_value"
        " from marts.cart_abandonment_daily",
    )
    return frame.row(0, named=True)


def abandonment_by_week(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Weekly (Monday-start) abandonment rates in session and in window, and cart value lost."""
    return query(
        con,
        "select date_trunc('week', day)::date as week, sum(carts)::bigint as carts,"
        " sum(carts_abandoned_in_session) / nullif(sum(carts), 0) as cart_abandonment_rate,"
        " sum(carts_abandoned_in_window) / nullif(sum(carts), 0)"
        "   as cart_abandonment_rate_window,"
        " sum(checkouts_abandoned_in_session) / nullif(sum(checkouts), 0)"
        "   as checkout_abandonment_rate,"
        " sum(checkouts_abandoned_in_window) / nullif(sum(checkouts), 0)"
        "   as checkout_abandonment_rate_window,"
        " sum(abandoned_cart_value) as abandoned_cart_value"
        " from marts.cart_abandonment_daily group by 1 having sum(carts) + sum(checkouts) > 0"
        " order by 1",
    )


def top_landing_pages(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Funnel counts and rates of the landing pages with the most sessions, most first."""
    return (
        funnel_by(con, "landing_page")
        .sort(["sessions", "landing_page"], descending=[True, False])
        .head(TOP_LANDING_PAGES)
    )
