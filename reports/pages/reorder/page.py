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
from reports.pages.reorder.policy import backtest_section
from reports.pages.reorder.risk_section import fmt_review, risk_sections
from reports.site import layout
from reports.site.coverage import coverage_lines
from reports.site.feeds import missing_feed_notes
from reports.site.format import fmt_date, fmt_int, fmt_money, fmt_number, fmt_pct, fmt_text
from reports.site.layout import chart, kpi_tiles
from reports.site.widgets import interactive_table

FORECAST_SKUS = 4  # SKUs on the reorder page that get a demand + forecast chart
HISTORY_DAYS = 56  # days of demand history before the forecast in those charts
# The reorder list as files beside the pages, linked from the reorder page.
REORDER_CSV, REORDER_XLSX = "reorder_recommendations.csv", "reorder_recommendations.xlsx"
DOWNLOADS = ((REORDER_CSV, "Download CSV"), (REORDER_XLSX, "Download XLSX"))


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
    ("review_before_reordering", "Feedback", fmt_review, "txt"),
    ("feedback_evidence", "Feedback evidence", fmt_text, "wide"),
    ("high_value_revenue_share", "High-value customers' share", fmt_pct, "num"),
)

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


def _tiles(recommendations: pl.DataFrame) -> str:
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
    top = recommendations.sort("order_value", descending=True, nulls_last=True).head(FORECAST_SKUS)
    body = f"""{_tiles(recommendations)}
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
            downloads=DOWNLOADS,
        )
    }
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
