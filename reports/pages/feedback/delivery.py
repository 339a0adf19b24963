"""The feedback page's fulfilment half: promise kept, late orders by carrier and region,
ratings after late delivery, and the worst-rated categories."""

from __future__ import annotations

import duckdb

from reports.pages.feedback import delivery_figures, delivery_queries
from reports.site import layout
from reports.site.format import fmt_int, fmt_number, fmt_pct, fmt_text
from reports.site.layout import chart, kpi_tiles, table

NO_SHIPMENTS = "No shipments yet: marts.fulfilment_daily is empty."
NO_DELIVERY_FEEDBACK = "No feedback on delivered orders yet: marts.delivery_feedback is empty."
CATEGORY_COLUMNS: tuple[layout.Column, ...] = (
    ("category", "Category", fmt_text, "txt"),
    ("mean_rating", "Mean rating", lambda v: fmt_number(v, 2), "num"),
    ("reviews", "Reviews", fmt_int, "num"),
    ("products", "Products", fmt_int, "num"),
    ("low_ratings", "1-2 stars", fmt_int, "num"),
    ("csat", "CSAT (4-5 stars)", fmt_pct, "num"),
)


def worst_categories(con: duckdb.DuckDBPyConnection) -> str:
    """Heading, filter note and table of the lowest-rated categories."""
    minimum = delivery_queries.MIN_CATEGORY_REVIEWS
    return f"""<h2>Worst-rated categories</h2>
<p class="meta">The {delivery_queries.WORST_CATEGORIES} lowest review-weighted mean ratings among
categories with at least {minimum} rated reviews.</p>
{
        table(
            delivery_queries.worst_categories(con),
            CATEGORY_COLUMNS,
            f"No category has {minimum} or more rated reviews yet.",
            f"categories with {minimum}+ rated reviews; the {delivery_queries.WORST_CATEGORIES} lowest",
        )
    }"""


def delivery_section(con: duckdb.DuckDBPyConnection) -> str:
    """Delivery promise tiles, the weekly trend, late share by carrier and region, and
    ratings after on-time vs late delivery."""
    weekly = delivery_queries.fulfilment_by_week(con)
    delivered = int(weekly["orders_delivered"].sum()) if weekly.height else 0
    late = int(weekly["orders_late"].sum()) if weekly.height else 0
    shipped = int(weekly["orders_shipped"].sum()) if weekly.height else 0
    tiles = kpi_tiles(
        [
            ("orders_shipped", "Orders shipped", fmt_int(shipped), "with a shipment"),
            ("on_time_share", "Delivered on time", fmt_pct((delivered - late) / delivered if delivered else None),
             "by the promised date, of delivered orders"),
            ("orders_late", "Late orders", fmt_int(late), "delivered after the promised date"),
        ]
    )  # fmt: skip
    by_delivery = delivery_queries.rating_by_delivery(con)
    return f"""<h2>Delivery and promises</h2>
{tiles if shipped else ""}
{chart(delivery_figures.delivery_trend(weekly), "chart-delivery-trend", NO_SHIPMENTS)}
<p class="meta">An order is delivered when its last parcel arrives; on time when that is on or
before the promised date. Weekly days to delivery are the order-weighted mean of each day's
median and p90.</p>
<div class="grid2">
<div>{
        chart(
            delivery_figures.late_share_bars(
                delivery_queries.late_orders_by(con, "carrier"), "carrier"
            ),
            "chart-late-carrier",
            NO_SHIPMENTS,
        )
    }</div>
<div>{
        chart(
            delivery_figures.late_share_bars(
                delivery_queries.late_orders_by(con, "region"), "region"
            ),
            "chart-late-region",
            NO_SHIPMENTS,
        )
    }</div>
</div>
{
        chart(
            delivery_figures.rating_after_delivery(by_delivery),
            "chart-delivery-rating",
            NO_DELIVERY_FEEDBACK,
        )
    }"""
