"""The Sales page: net sales, orders and units per week; the last 28 days against the 28
before; top and declining SKUs and categories."""

from __future__ import annotations

from datetime import datetime

import duckdb

from reports.pages.sales import figures, queries
from reports.site import layout
from reports.site.coverage import coverage_lines
from reports.site.currency import currency_code
from reports.site.feeds import missing_feed_notes
from reports.site.filters import FollowingChart, Trace, filter_bar
from reports.site.format import esc, fmt_int, fmt_money, fmt_pct, fmt_text
from reports.site.layout import chart, kpi_tiles, table
from reports.site.widgets import change_text

# The feeds this page is built from; a note names each one the shop never sent.
FEEDS = ("orders", "catalog")

NO_ORDERS = "No orders yet: marts.orders_daily is empty."
NO_SKU_SALES = "No product sales in the two periods: marts.sales_by_sku_daily has none."
# The weekly chart's panels in order (reports/pages/sales/figures.py); the bar redraws them
# for the chosen country and customer type.
WEEKLY_SALES = FollowingChart(
    "chart-weekly-sales", "week", (Trace("net_sales"), Trace("orders"), Trace("units"))
)


def _columns(by: str, header: str) -> tuple[layout.Column, ...]:
    return (
        (by, header, fmt_text, "txt"),
        ("net_sales", "Net sales, last 28 days", fmt_money, "num"),
        ("previous_net_sales", "Previous 28 days", fmt_money, "num"),
        ("change", "Change", fmt_money, "num"),
        ("change_share", "Change %", fmt_pct, "num"),
        ("units", "Units, last 28 days", fmt_int, "num"),
        ("previous_units", "Previous units", fmt_int, "num"),
    )


def _tiles(con: duckdb.DuckDBPyConnection, span: queries.Periods | None) -> str:
    if span is None:
        return ""
    now = queries.sales_totals(con, span.start, span.end)
    before = queries.sales_totals(con, span.previous_start, span.previous_end)
    return kpi_tiles(
        [
            (
                key,
                label,
                formatter(now[key]),
                "the period above",
                change_text(now[key], before[key]),
            )
            for key, label, formatter in (
                ("net_sales", "Net sales", fmt_money),
                ("orders", "Orders", fmt_int),
                ("units", "Units", fmt_int),
                ("aov", "Average order value", fmt_money),
            )
        ]
    )


def _movers(con: duckdb.DuckDBPyConnection, span: queries.Periods, by: str, label: str) -> str:
    frame = queries.movers(con, by, span)
    top = queries.top_sellers(frame, by)
    falling = queries.decliners(frame, by)
    columns = _columns(by, label)
    n = queries.TOP_ITEMS
    plural = "categories" if by == "category" else "SKUs"
    return f"""<h2>Top {plural}</h2>
{
        chart(
            figures.period_comparison(
                top,
                by,
                f"Top {n} {plural} by net sales, last 28 days vs previous",
                currency_code(con),
            ),
            f"chart-top-{by}",
            NO_SKU_SALES,
        )
    }
{table(top, columns, NO_SKU_SALES, f"products only; the {n} largest net sales of the last 28 days")}
<h2>Declining {plural}</h2>
{
        table(
            falling,
            columns,
            f"No {plural} sold less than in the previous 28 days.",
            f"products only; the {n} largest drops in net sales against the previous 28 days",
        )
    }"""


def sales(con: duckdb.DuckDBPyConnection, site_title: str, generated_at: datetime) -> str:
    """Sales page.

    Args:
        con: open connection to the warehouse.
        site_title: name shown in the nav bar.
        generated_at: publication time shown on the page.

    Returns:
        The page HTML; charts and tables without data are replaced by a note.
    """
    span = queries.sales_periods(con)
    comparison = ""
    if span is not None:
        comparison = f"""<p class="meta">SKUs and categories: {esc(span.label())} (the 28 days up to the
newest order day, and the 28 before). Non-merchandise codes (postage, fees) are left out of SKUs
and categories.</p>
{_movers(con, span, "category", "Category")}
{_movers(con, span, "sku", "SKU")}"""
    bar = filter_bar(
        con,
        queries.SALES_KPIS,
        span.end if span else None,
        "28",
        note="The SKU and category tables keep the last 28 days and every segment.",
        charts=(WEEKLY_SALES,),
    )
    body = f"""{bar}
{_tiles(con, span)}
{chart(figures.weekly_sales(queries.sales_by_week(con), currency_code(con)), "chart-weekly-sales", NO_ORDERS)}
{comparison}"""
    coverage = coverage_lines(
        con, ("orders", "marts.orders_daily"), ("SKU sales", "marts.sales_by_sku_daily")
    )
    return layout.page(
        site_title, "sales.html", coverage, generated_at, missing_feed_notes(con, FEEDS) + body
    )
