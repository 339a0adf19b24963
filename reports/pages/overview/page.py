"""The overview page: KPIs against the previous period with sparklines, daily sales and
orders, the conversion trend, links to the reorder list and the data quality page, and a
flag for each feedback theme whose complaints rose beyond their usual range lately."""

from __future__ import annotations

from datetime import datetime

import duckdb

from reports.pages.feedback import theme_queries
from reports.pages.funnel.page import NO_TRAFFIC
from reports.pages.funnel.queries import funnel_by
from reports.pages.overview import figures, queries
from reports.pages.sales.queries import sales_periods
from reports.site import layout
from reports.site.coverage import coverage_lines
from reports.site.currency import currency_code
from reports.site.feeds import missing_feed_notes
from reports.site.filters import FollowingChart, Trace, filter_bar, gapped_metrics
from reports.site.format import esc, fmt_int, fmt_money, fmt_number, fmt_pct
from reports.site.layout import chart, kpi_tiles
from reports.site.spark_rule import DAILY_UP_TO, STEP_DAYS
from reports.site.trading_calendar import closed_days
from reports.site.widgets import change_text, sparkline

# The feeds this page is built from; a note names each one the shop never sent.
FEEDS = ("orders", "traffic")

# The charts the range and segment bar redraws for the chosen segments.
FOLLOWING_CHARTS = (
    FollowingChart("chart-sales", "day", (Trace("net_sales"), Trace("orders"))),
    FollowingChart(
        "chart-conversion",
        "day",
        (Trace("conversion_rate", gaps=True), Trace("conversion_rate", rolling=7)),
    ),
)
CLOSED_DAYS_NOTE = (
    "Closed days (no daily point): the days the shop took no order or does not trade on by"
    " its trading calendar (setting <code>forecasting.trading_weekdays</code>), the days the"
    " demand forecasts skip too. Sessions on such a day bought nothing because nothing could"
    " be bought, so the daily line and the conversion tile's sparkline leave a gap there"
    " instead of 0 %; the 7-day line counts every day."
)

# Overview KPI -> (label, formatter, hint, change in points rather than relative).
OVERVIEW_KPIS: dict[str, tuple[str, object, str, bool]] = {
    "sessions": ("Sessions", fmt_int, "web sessions", False),
    "conversion_rate": (
        "Conversion rate",
        fmt_pct,
        "sessions that bought; change in % points",
        True,
    ),
    "orders": ("Orders", fmt_int, "placed orders", False),
    "net_sales": ("Net sales", fmt_money, "after discounts and cancellations", False),
    "aov": ("Average order value", fmt_money, "sales after discounts per order", False),
    "returning_customer_rate": (
        "Returning-customer rate",
        fmt_pct,
        "customers with 2+ orders; change in % points",
        True,
    ),
    "nps": ("NPS", lambda v: fmt_number(v, 0), "-100 to 100; change in points", True),
}


def _overview_tiles(kpis: dict[str, queries.Kpi]) -> str:
    tiles = []
    for key, (label, formatter, hint, points) in OVERVIEW_KPIS.items():
        kpi = kpis[key]
        # Rates change in percentage points: the difference of two shares, times 100.
        scale = 100 if points and formatter is fmt_pct else 1
        change = change_text(
            None if kpi.current is None else kpi.current * scale,
            None if kpi.previous is None else kpi.previous * scale,
            points=points,
        )
        spark = sparkline(
            kpi.series, f"{label}, {'monthly' if key == 'returning_customer_rate' else 'daily'}"
        )
        # The daily KPIs share the period named under the tiles; the monthly one names its month.
        text = f"{kpi.period} · {hint}" if key == "returning_customer_rate" else hint
        tiles.append((key, label, formatter(kpi.current), text, change + spark))
    return kpi_tiles(tiles)


def feedback_flag(con: duckdb.DuckDBPyConnection) -> str:
    """A warning line per theme whose negative share rose beyond its usual range in the
    newest weeks of feedback, linking to the feedback page; nothing when none did."""
    if not theme_queries.built(con):
        return ""
    lines = [
        f'<p class="warn" data-flag="feedback-theme">Customers complain more about '
        f"<strong>{esc(a['theme'])}</strong>: {fmt_pct(a['negative_share'])} of the texts of the "
        f"week of {esc(a['week'])} (usually up to {fmt_pct(a['usual_max_negative_share'])}) · "
        '<a href="feedback.html">feedback</a></p>'
        for a in theme_queries.alerts(con, recent_only=True).iter_rows(named=True)
    ]
    return "\n".join(lines)


def overview(con: duckdb.DuckDBPyConnection, site_title: str, generated_at: datetime) -> str:
    """Overview page: KPIs against the previous period with sparklines, daily sales and
    orders, conversion trend, and the reorder count.

    Args:
        con: open connection to the warehouse.
        site_title: name shown in the nav bar.
        generated_at: publication time shown on the page.

    Returns:
        The page HTML.
    """
    span = sales_periods(con)
    closed = closed_days(con)
    kpis = queries.overview_kpis(con, span, gapped_metrics(FOLLOWING_CHARTS), closed)
    skus = queries.reorder_count(con)
    # The bar's caption names the chosen days, the days compared and the segments, and the
    # script redraws the daily tiles' sparklines for them: this sentence says only what the
    # bar does not.
    period = (
        f"Sparklines: the chosen range, a point per day up to {DAILY_UP_TO} days and per"
        f" {STEP_DAYS} days (counted back from its last day) beyond. The returning-customer"
        " rate does not follow the range or segments: the newest month against the one"
        f" before, its sparkline the last {queries.SPARK_MONTHS} months."
        if span
        else "No orders yet: the KPIs have no period."
    )
    bar = filter_bar(
        con, queries.DAILY_KPIS, span.end if span else None, "28", charts=FOLLOWING_CHARTS
    )
    body = f"""{bar}
{_overview_tiles(kpis)}
<p class="meta">{period} <a href="reorder.html">{fmt_int(skus)} SKUs to reorder</a> ·
<a href="quality.html">data quality</a></p>
{feedback_flag(con)}
<h2>Sales</h2>
{
        chart(
            figures.sales_and_orders(queries.orders_by_day(con), currency_code(con)),
            "chart-sales",
            "No orders yet: marts.orders_daily is empty.",
        )
    }
<h2>Conversion</h2>
{
        chart(
            figures.conversion_trend(funnel_by(con, "day"), closed),
            "chart-conversion",
            NO_TRAFFIC,
        )
    }
<p class="meta">{CLOSED_DAYS_NOTE}</p>"""
    coverage = coverage_lines(
        con, ("orders", "marts.orders_daily"), ("traffic", "marts.conversion_daily")
    )
    return layout.page(
        site_title, "index.html", coverage, generated_at, missing_feed_notes(con, FEEDS) + body
    )
