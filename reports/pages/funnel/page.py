"""The funnel page: session funnel, closed vs open and session vs user funnels, conversion by
visitor type, device, source, medium, month and landing page, and cart and checkout abandonment."""

from __future__ import annotations

from datetime import datetime

import duckdb

from reports.metric_values import metric_values
from reports.pages.funnel import figures, queries
from reports.site import layout
from reports.site.coverage import coverage_lines
from reports.site.feeds import missing_feed_notes
from reports.site.filters import FollowingChart, Trace, filter_bar
from reports.site.format import fmt_int, fmt_money, fmt_pct
from reports.site.layout import chart, kpi_tiles
from warehouse.frames import read_row

# The feeds this page is built from; a note names each one the shop never sent.
FEEDS = ("traffic",)

NO_TRAFFIC = "No traffic data yet: marts.conversion_daily is empty."
NO_FUNNEL = "No traffic data yet: marts.funnel_daily has no visitors."
NO_CARTS = "No carts or checkouts yet: marts.cart_abandonment_daily has none."
# The tiles, each a metric of the catalogue (reports/metric_catalogue.py).
TRAFFIC_TILES = (
    "sessions",
    "conversion_rate",
    "user_conversion_rate",
    "cart_abandonment_rate",
    "checkout_abandonment_rate",
)
ABANDONMENT_TILES = (
    "cart_abandonment_rate_session",
    "cart_abandonment_rate_window",
    "checkout_abandonment_rate_session",
    "checkout_abandonment_rate_window",
    "abandoned_cart_value",
)
# The weekly trend's traces in the figure's order (reports/pages/funnel/figures.py): the
# three rates, then sessions; the bar redraws them for the chosen segments.
WEEKLY_TREND = FollowingChart(
    "chart-weekly", "week", (*(Trace(rate) for rate in figures.RATES), Trace("sessions"))
)


def traffic_tiles(values: dict) -> list[tuple[str, str, str, str]]:
    """Sessions, conversion, cart and checkout abandonment tiles."""
    return [
        ("sessions", "Sessions", fmt_int(values["sessions"]), "web sessions"),
        (
            "conversion_rate",
            "Conversion rate",
            fmt_pct(values["conversion_rate"]),
            "sessions that bought",
        ),
        (
            "cart_abandonment_rate",
            "Cart abandonment",
            fmt_pct(values["cart_abandonment_rate"]),
            "carts not bought",
        ),
        (
            "checkout_abandonment_rate",
            "Checkout abandonment",
            fmt_pct(values.get("checkout_abandonment_rate")),
            "checkouts not completed",
        ),
    ]


def _tiles(con: duckdb.DuckDBPyConnection) -> str:
    """The traffic tiles with the user conversion rate after the session one, every value by
    the metric catalogue's definition over all days."""
    values = metric_values(con, TRAFFIC_TILES)
    return kpi_tiles(
        [
            *traffic_tiles(values)[:2],
            (
                "user_conversion_rate",
                "User conversion rate",
                fmt_pct(values["user_conversion_rate"]),
                "visitors that bought, per day (GA4)",
            ),
            *traffic_tiles(values)[2:],
        ]
    )


def _abandonment_tiles(con: duckdb.DuckDBPyConnection) -> str:
    in_session, in_window = "in the session", "within the recovery window"
    values = metric_values(con, ABANDONMENT_TILES)
    return kpi_tiles(
        [
            (
                "cart_abandonment_rate_session",
                "Carts abandoned",
                fmt_pct(values["cart_abandonment_rate_session"]),
                in_session,
            ),
            (
                "cart_abandonment_rate_window",
                "Carts never bought",
                fmt_pct(values["cart_abandonment_rate_window"]),
                in_window,
            ),
            (
                "checkout_abandonment_rate_session",
                "Checkouts abandoned",
                fmt_pct(values["checkout_abandonment_rate_session"]),
                in_session,
            ),
            (
                "checkout_abandonment_rate_window",
                "Checkouts never completed",
                fmt_pct(values["checkout_abandonment_rate_window"]),
                in_window,
            ),
            (
                "abandoned_cart_value",
                "Left in carts",
                fmt_money(values["abandoned_cart_value"]),
                "value of carts abandoned in the session",
            ),
        ]
    )


def _has_carts(con: duckdb.DuckDBPyConnection) -> bool:
    abandonment = queries.abandonment_totals(con)
    return bool(abandonment["carts"] or abandonment["checkouts"])


def _rates(con: duckdb.DuckDBPyConnection, dimension: str) -> str:
    return chart(
        figures.rates_by(queries.funnel_by(con, dimension), dimension),
        f"chart-{dimension.replace('_', '-')}",
        NO_TRAFFIC,
    )


def _abandonment_section(con: duckdb.DuckDBPyConnection) -> str:
    """Abandonment tiles (when there are carts or checkouts), the weekly trend and its note."""
    trend = figures.abandonment_trend(queries.abandonment_by_week(con))
    has_carts = _has_carts(con)
    return f"""<h2>Cart and checkout abandonment</h2>
{_abandonment_tiles(con) if has_carts else ""}
{chart(trend, "chart-abandonment", NO_CARTS)}
<p class="meta">In the session: the session with the cart (checkout) has no purchase. Within the
recovery window (setting <code>cart_recovery_window_hours</code>, 24 h by default): the visitor
also made no purchase in a later session within the window.</p>"""


def funnel(con: duckdb.DuckDBPyConnection, site_title: str, generated_at: datetime) -> str:
    """Funnel page: funnels, conversion by dimension, abandonment and weekly trend.

    Args:
        con: open connection to the warehouse.
        site_title: name shown in the nav bar.
        generated_at: publication time shown on the page.

    Returns:
        The page HTML; each chart without data is replaced by a note naming its table.
    """
    totals = queries.funnel_totals(con)
    landing = figures.conversion_bars(
        queries.top_landing_pages(con),
        "landing_page",
        f"Conversion of the {queries.TOP_LANDING_PAGES} busiest landing pages",
    )
    funnel_types = figures.funnel_comparison(queries.funnel_steps(con))
    last_day = read_row(con, "select max(day) from marts.conversion_daily")[0]
    tiles = TRAFFIC_TILES + (ABANDONMENT_TILES if _has_carts(con) else ())
    bar = filter_bar(
        con,
        tiles,
        last_day,
        "all",
        note="The funnel charts and the conversion breakdowns cover every day and segment;"
        " the weekly trend follows the segments.",
        charts=(WEEKLY_TREND,),
    )
    body = f"""{bar}
{_tiles(con)}
<div class="grid2">
{chart(figures.funnel(totals), "chart-funnel", NO_TRAFFIC)}
{chart(funnel_types, "chart-funnel-types", NO_FUNNEL)}
</div>
<p class="meta">Closed funnel: the steps happened in this order within one session. Open: each
step's event happened, in any order. Visitor counts are visitor-days: a visitor counts once
on each day they came.</p>
<h2>Conversion by visitor</h2>
<div class="grid2">
<div>{_rates(con, "visitor_type")}</div>
<div>{_rates(con, "device")}</div>
<div>{_rates(con, "source")}</div>
<div>{_rates(con, "medium")}</div>
</div>
<h2>Conversion by month</h2>
{_rates(con, "month")}
<h2>Landing pages</h2>
{chart(landing, "chart-landing-page", NO_TRAFFIC)}
{_abandonment_section(con)}
<h2>Weekly trend</h2>
{chart(figures.weekly_trend(queries.funnel_by(con, "week")), "chart-weekly", NO_TRAFFIC)}"""
    coverage = coverage_lines(
        con, ("traffic", "marts.conversion_daily"), ("carts", "marts.cart_abandonment_daily")
    )
    return layout.page(
        site_title, "funnel.html", coverage, generated_at, missing_feed_notes(con, FEEDS) + body
    )
