"""The reorder page: what to order, by when and why; order value by ABC class and by date;
recent demand and forecast of the largest orders; and the policy backtest."""

from __future__ import annotations

from datetime import datetime

import duckdb
import polars as pl

from contract.feeds import missing_feeds
from reports.pages.reorder import figures, queries
from reports.pages.reorder.changes_section import changes_section
from reports.pages.reorder.levels import levels_section
from reports.pages.reorder.list_section import reorder_list
from reports.pages.reorder.policy import backtest_section
from reports.pages.reorder.risk_section import risk_sections
from reports.site import layout
from reports.site.coverage import coverage_lines
from reports.site.feeds import missing_feed_notes
from reports.site.format import esc, fmt_date, fmt_int, fmt_money
from reports.site.layout import chart, kpi_tiles

FORECAST_SKUS = 4  # SKUs on the reorder page that get a demand + forecast chart
HISTORY_DAYS = 56  # days of demand history before the forecast in those charts
# The reorder list as files beside the pages, linked from the reorder page.
REORDER_CSV, REORDER_XLSX = "reorder_recommendations.csv", "reorder_recommendations.xlsx"
DOWNLOADS = ((REORDER_CSV, "Download CSV"), (REORDER_XLSX, "Download XLSX"))


# The feeds this page is built from; a note names each one the shop never sent.
FEEDS = ("orders", "inventory", "catalog")


def _forecast_charts(con: duckdb.DuckDBPyConnection, top: pl.DataFrame) -> str:
    skus = top["sku"].to_list()
    history, forecast = queries.demand_and_forecast(con, skus, HISTORY_DAYS)
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


def _tiles(recommendations: pl.DataFrame, orders: pl.DataFrame) -> str:
    below = int((~orders["meets_minimum"]).sum()) if orders.height else 0
    return kpi_tiles(
        [
            ("skus_to_reorder", "SKUs to reorder", fmt_int(recommendations.height), "order now"),
            (
                "order_value",
                "Total order value",
                fmt_money(recommendations["order_value"].sum()),
                "at unit cost",
            ),
            (
                "purchase_orders",
                "Purchase orders",
                fmt_int(orders.height),
                f"{orders['supplier'].n_unique()} suppliers"
                + (f", {below} below minimum" if below else ""),
            ),
            (
                "first_order_by",
                "Earliest order-by",
                fmt_date(recommendations["order_by"].min()),
                "most urgent order",
            ),
        ]
    )


def _default_supplier_note(recommendations: pl.DataFrame) -> str:
    """Says which rows are under the default supplier because the catalog names none."""
    assumed = recommendations.filter(pl.col("supplier_assumed").fill_null(False))
    if assumed.is_empty():
        return ""
    name = assumed["supplier"][0]
    return (
        f'<p class="meta">{assumed.height} SKU(s) have no supplier in the catalog: they are '
        f"listed under {esc(name)} (setting inventory.suppliers.default_supplier).</p>"
    )


METHOD = """<details class="method"><summary>How the list is made</summary>
<p class="meta">Grouped by supplier, one draft purchase order per supplier and order day
(files per supplier in the data directory's purchase_orders folder). Each line is placed on
the supplier's last order day before it is needed; a supplier whose order is under its
minimum gets its next SKUs pulled forward. Reorder points are the policy the backtest below
calls "recommended": each is a quantile of the SKU's past lead-time demand (sums of
lead-time-long runs of days, scaled to recent sales), chosen so each ABC class reaches its
target service at the least stock value; planned cycle service is the share of past
lead-time demand the reorder point covers. Days of cover, projected stockout and needed-by
come from the demand forecast. Open a row's details for the numbers behind its reason.</p>
</details>"""


def reorder(con: duckdb.DuckDBPyConnection, site_title: str, generated_at: datetime) -> str:
    """Reorder page: what to order, by when and why; value by ABC class; demand + forecast.

    Args:
        con: open connection to the warehouse.
        site_title: name shown in the nav bar.
        generated_at: publication time shown on the page.

    Returns:
        The page HTML; a clear "nothing to reorder" note when there are no recommendations,
        and the reorder levels per SKU instead when the shop sends no stock counts; in each
        case what changed since the previous list.
    """
    coverage = coverage_lines(
        con, ("demand history", "marts.sku_demand_daily"), ("forecast", "forecasts.demand_forecast")
    )
    notes = missing_feed_notes(con, FEEDS)
    recommendations = queries.reorder_recommendations(con)
    changes = changes_section(queries.reorder_changes(con))
    # The reorder asset leaves on_hand empty on every row when the shop sends no stock.
    if not recommendations.is_empty() and recommendations["on_hand"].is_null().all():
        body = levels_section(recommendations, DOWNLOADS) + changes + backtest_section(con)
        return layout.page(site_title, "reorder.html", coverage, generated_at, notes + body)
    if recommendations.is_empty():
        body = layout.empty_note(
            "No reorder list: there is no demand history to plan from."
            if missing_feeds(con, ("orders",))
            else "Nothing to reorder: every SKU's inventory position covers its reorder point."
        )
        body += changes + risk_sections(con) + backtest_section(con)
        return layout.page(site_title, "reorder.html", coverage, generated_at, notes + body)
    orders = queries.purchase_orders(con)
    top = recommendations.sort("order_value", descending=True, nulls_last=True).head(FORECAST_SKUS)
    body = f"""{_tiles(recommendations, orders)}
<h2>Purchase orders by supplier</h2>
{_default_supplier_note(recommendations)}
{reorder_list(recommendations, orders, DOWNLOADS)}
{METHOD}
{changes}
<h2>Where the money goes</h2>
<div class="grid2">
{chart(figures.order_value_by_abc(recommendations), "chart-abc", "Nothing to reorder.")}
{chart(figures.order_value_by_day(recommendations), "chart-order-by", "Nothing to reorder.")}
</div>
<h2>Recent demand and forecast of the {top.height} largest orders</h2>
{_forecast_charts(con, top)}
{risk_sections(con)}
{backtest_section(con)}"""
    return layout.page(site_title, "reorder.html", coverage, generated_at, notes + body)
