"""The overview and reorder pages, each rendered to one HTML string, and helpers shared by pages.

The funnel page lives in reports/pages_funnel.py, customers and feedback in
reports/pages_customers.py, sales in reports/pages_sales.py and data quality in
reports/pages_quality.py.
"""

from __future__ import annotations

from datetime import datetime

import duckdb
import polars as pl

from reports import figures, layout, warehouse, warehouse_overview, warehouse_sales
from reports.layout import (
    chart,
    coverage_text,
    fmt_date,
    fmt_int,
    fmt_money,
    fmt_number,
    fmt_pct,
    fmt_text,
    kpi_tiles,
)
from reports.pages_policy import backtest_section
from reports.widgets import change_text, interactive_table, sparkline

FORECAST_SKUS = 4  # SKUs on the reorder page that get a demand + forecast chart
HISTORY_DAYS = 56  # days of demand history before the forecast in those charts
NO_TRAFFIC = "No traffic data yet: marts.conversion_daily is empty."
# The reorder list as files beside the pages, linked from the reorder page.
REORDER_CSV, REORDER_XLSX = "reorder_recommendations.csv", "reorder_recommendations.xlsx"

# Decision first (what, how much, by when, why), then the numbers behind it.
REORDER_COLUMNS: tuple[layout.Column, ...] = (
    ("sku", "SKU", fmt_text, "txt"),
    ("description", "Description", fmt_text, "wide"),
    ("abc_class", "ABC", fmt_text, "txt"),
    ("order_by", "Order by", fmt_date, "num"),
    ("order_qty", "Order qty", fmt_int, "num"),
    ("unit_cost", "Unit cost", fmt_money, "num"),
    ("order_value", "Order value", fmt_money, "num"),
    ("reason", "Reason", fmt_text, "wide"),
    ("rounding", "Rounding", fmt_text, "mid"),
    ("on_hand", "On hand", fmt_int, "num"),
    ("on_order", "On order", fmt_int, "num"),
    ("inventory_position", "Inventory position", fmt_int, "num"),
    ("days_of_cover", "Days of cover", fmt_number, "num"),
    ("projected_stockout_date", "Projected stockout", fmt_date, "num"),
    ("stockout_probability", "Stockout probability", fmt_pct, "num"),
    ("demand_pattern", "Demand pattern", fmt_text, "txt"),
    ("lead_time_days", "Lead time (days)", fmt_number, "num"),
    ("lead_time_demand", "Lead-time demand", fmt_number, "num"),
    ("safety_stock", "Safety stock", fmt_number, "num"),
    ("reorder_point", "Reorder point", fmt_number, "num"),
    ("order_up_to", "Order-up-to", fmt_number, "num"),
    ("service_level", "Planned cycle service", fmt_pct, "num"),
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
    "orders": ("Orders", fmt_int, "all countries", False),
    "net_sales": ("Net sales", fmt_money, "after discounts and cancellations", False),
    "aov": ("Average order value", fmt_money, "net sales per order", False),
    "returning_customer_rate": (
        "Returning-customer rate",
        fmt_pct,
        "customers with 2+ orders; change in % points",
        True,
    ),
    "nps": ("NPS", lambda v: fmt_number(v, 0), "-100 to 100; change in points", True),
}


def coverage_lines(con: duckdb.DuckDBPyConnection, *tables: tuple[str, str]) -> list[str]:
    """One "label first to last day" text per (label, table)."""
    return [coverage_text(label, *warehouse.coverage(con, table)) for label, table in tables]


def traffic_tiles(values: dict) -> list[tuple[str, str, str, str]]:
    """Sessions, conversion, cart and checkout abandonment tiles (overview and funnel)."""
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


def _overview_tiles(kpis: dict[str, warehouse_overview.Kpi]) -> str:
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
            kpi.series, f"{label}, {'monthly' if key == 'returning_customer_rate' else 'weekly'}"
        )
        # The daily KPIs share the period named under the tiles; the monthly one names its month.
        text = f"{kpi.period} · {hint}" if key == "returning_customer_rate" else hint
        tiles.append((key, label, formatter(kpi.current), text, change + spark))
    return kpi_tiles(tiles)


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
    span = warehouse_sales.sales_periods(con)
    kpis = warehouse_overview.overview_kpis(con, span)
    (skus,) = warehouse.read_row(con, "select count(*) from inventory.reorder_recommendations")
    period = (
        f"Each KPI covers {layout.esc(span.label())}: the 28 days up to the newest order day"
        " against the 28 before (the returning-customer rate: the newest month against the one"
        " before). Sparklines: the last 13 weeks (12 months)."
        if span
        else "No orders yet: the KPIs have no period."
    )
    body = f"""{_overview_tiles(kpis)}
<p class="meta">{period} <a href="reorder.html">{fmt_int(skus)} SKUs to reorder</a> ·
<a href="quality.html">data quality</a></p>
<h2>Sales</h2>
{
        chart(
            figures.sales_and_orders(warehouse.orders_by_day(con)),
            "chart-sales",
            "No orders yet: marts.orders_daily is empty.",
        )
    }
<h2>Conversion</h2>
{
        chart(
            figures.conversion_trend(warehouse.funnel_by(con, "day")),
            "chart-conversion",
            NO_TRAFFIC,
        )
    }"""
    coverage = coverage_lines(
        con, ("orders", "marts.orders_daily"), ("traffic", "marts.conversion_daily")
    )
    return layout.page(site_title, "index.html", coverage, generated_at, body)


def _forecast_charts(con: duckdb.DuckDBPyConnection, top: pl.DataFrame) -> str:
    skus = top["sku"].to_list()
    history, forecast = warehouse.demand_and_forecast(con, skus, HISTORY_DAYS)
    charts = []
    for position, row in enumerate(top.iter_rows(named=True)):
        sku = row["sku"]
        title = f"{sku} · {row['description'] or ''}".strip(" ·")
        figure = figures.demand_forecast(
            title, history.filter(pl.col("sku") == sku), forecast.filter(pl.col("sku") == sku)
        )
        charts.append(
            chart(figure, f"chart-forecast-{position}", f"No demand history or forecast for {sku}.")
        )
    return f'<div class="grid2">{"".join(charts)}</div>'


def reorder(con: duckdb.DuckDBPyConnection, site_title: str, generated_at: datetime) -> str:
    """Reorder page: what to order, by when and why; value by ABC class; demand + forecast.

    Args:
        con: open connection to the warehouse.
        site_title: name shown in the nav bar.
        generated_at: publication time shown on the page.

    Returns:
        The page HTML; a clear "nothing to reorder" note when there are no recommendations.
    """
    coverage = coverage_lines(
        con, ("demand history", "marts.sku_demand_daily"), ("forecast", "forecasts.demand_forecast")
    )
    recommendations = warehouse.reorder_recommendations(con)
    if recommendations.is_empty():
        body = layout.empty_note(
            "Nothing to reorder: every SKU's inventory position covers its reorder point."
        ) + backtest_section(con)
        return layout.page(site_title, "reorder.html", coverage, generated_at, body)
    tiles = kpi_tiles(
        [
            ("skus_to_reorder", "SKUs to reorder", fmt_int(recommendations.height), "order now"),
            (
                "order_value",
                "Total order value",
                fmt_money(recommendations["order_value"].sum()),
                "at unit cost",
            ),
            (
                "order_units",
                "Units to order",
                fmt_int(recommendations["order_qty"].sum()),
                "after rounding",
            ),
            (
                "first_order_by",
                "Earliest order-by",
                fmt_date(recommendations["order_by"].min()),
                "most urgent order",
            ),
        ]
    )
    top = recommendations.sort("order_value", descending=True, nulls_last=True).head(FORECAST_SKUS)
    body = f"""{tiles}
<h2>Recommendations</h2>
<p class="meta">Sorted by order-by date, then by order value (largest first). Reorder
points are the policy the backtest below calls "recommended": each is a quantile of the
SKU's past lead-time demand (sums of lead-time-long runs of days, scaled to recent sales),
chosen so each ABC class reaches its target service at the least stock value; planned
cycle service is the share of past lead-time demand the reorder point covers. Days of
cover, projected stockout and order-by come from the demand forecast. Click a column
header to sort by it, type in the box to filter the rows.</p>
{
        interactive_table(
            recommendations,
            REORDER_COLUMNS,
            "Nothing to reorder.",
            table_id="reorder-table",
            filters=None,
            downloads=((REORDER_CSV, "Download CSV"), (REORDER_XLSX, "Download XLSX")),
        )
    }
<h2>Where the money goes</h2>
<div class="grid2">
{chart(figures.order_value_by_abc(recommendations), "chart-abc", "Nothing to reorder.")}
{chart(figures.order_value_by_day(recommendations), "chart-order-by", "Nothing to reorder.")}
</div>
<h2>Recent demand and forecast of the {top.height} largest orders</h2>
{_forecast_charts(con, top)}
{backtest_section(con)}"""
    return layout.page(site_title, "reorder.html", coverage, generated_at, body)
