"""Funnel-page reads beyond marts.conversion_daily: closed/open funnels and abandonment windows.

Rates over several days are recomputed from the mart's summed counts (the counts add up
across days), so the page repeats the mart's definitions instead of making new ones.
"""

from __future__ import annotations

import duckdb
import polars as pl

from reports.warehouse import funnel_by, read_frame, read_row

FUNNEL_STEPS: tuple[str, ...] = ("visitors", "viewed", "carted", "checked_out", "purchased")
TOP_LANDING_PAGES = 10


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
    return read_frame(
        con,
        f"select scope, funnel_type, {counts} from marts.funnel_daily"
        " group by all having sum(visitors) > 0 order by scope, funnel_type",
    )


def user_conversion_rate(con: duckdb.DuckDBPyConnection) -> float | None:
    """Visitors who bought / visitors, per day, summed over days (GA4's user key-event rate).

    Uses the open funnel of scope user in marts.funnel_daily: a visitor who bought on a
    day counts, whatever they did before.
    """
    (rate,) = read_row(
        con,
        "select sum(purchased) / nullif(sum(visitors), 0) from marts.funnel_daily"
        " where scope = 'user' and funnel_type = 'open'",
    )
    return rate


def abandonment_totals(con: duckdb.DuckDBPyConnection) -> dict[str, float | int | None]:
    """Cart and checkout abandonment in the session and within the recovery window.

    Returns:
        carts, checkouts, the four rates (abandoned / created, NULL without carts or
        checkouts) and abandoned_cart_value, over every day of marts.cart_abandonment_daily.
    """
    frame = read_frame(
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
    return read_frame(
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
