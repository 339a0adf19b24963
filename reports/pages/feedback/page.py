"""The feedback page: ratings, NPS, the worst-rated products and categories, the delivery
promise and ratings after late delivery, and what customers write (themes and sentiment)."""

from __future__ import annotations

from datetime import datetime

import duckdb

from reports.pages.feedback import delivery, figures, queries
from reports.pages.feedback.text_themes import text_section
from reports.site import layout
from reports.site.coverage import coverage_lines
from reports.site.feeds import missing_feed_notes
from reports.site.filters import filter_bar
from reports.site.format import fmt_int, fmt_number, fmt_pct, fmt_text
from reports.site.layout import chart, kpi_tiles, table
from warehouse.frames import read_row

NO_REVIEWS = "No rated reviews yet: marts.feedback_daily has none."
WORST_COLUMNS: tuple[layout.Column, ...] = (
    ("sku", "SKU", fmt_text, "txt"),
    ("category", "Category", fmt_text, "txt"),
    ("mean_rating", "Mean rating", lambda v: fmt_number(v, 2), "num"),
    ("reviews", "Reviews", fmt_int, "num"),
    ("low_ratings", "1-2 stars", fmt_int, "num"),
    ("csat", "CSAT (4-5 stars)", fmt_pct, "num"),
)

# The feeds this page is built from; a note names each one the shop never sent.
FEEDS = ("feedback", "shipments")


def _tiles(con: duckdb.DuckDBPyConnection) -> str:
    k = queries.feedback_kpis(con)
    return kpi_tiles(
        [
            ("reviews", "Reviews", fmt_int(k["reviews"]), "rated 1-5 stars"),
            ("mean_rating", "Mean rating", fmt_number(k["mean_rating"], 2), "stars"),
            ("csat", "CSAT", fmt_pct(k["csat"]), "reviews rated 4-5"),
            ("nps", "NPS", fmt_number(k["nps"], 0), "-100 to 100"),
            ("nps_answers", "NPS answers", fmt_int(k["nps_answers"]), "scored 0-10"),
            (
                "review_rate",
                "Review rate",
                fmt_pct(k["review_rate"]),
                "share of orders with a review",
            ),
        ]
    )


def _filter_bar(con: duckdb.DuckDBPyConnection) -> str:
    """The range bar over the tiles: marts.feedback_daily has no segment, so range only."""
    last_day = read_row(con, "select max(day) from marts.feedback_daily")[0]
    return filter_bar(
        con,
        queries.KPIS,
        last_day,
        "all",
        note="The star distribution, the tables and the delivery tiles below cover every day.",
    )


def feedback(con: duckdb.DuckDBPyConnection, site_title: str, generated_at: datetime) -> str:
    """Feedback page: ratings, NPS, worst products and categories, delivery promise and late
    delivery vs rating.

    Args:
        con: open connection to the warehouse.
        site_title: name shown in the nav bar.
        generated_at: publication time shown on the page.

    Returns:
        The page HTML; each chart or table without data is replaced by a note.
    """
    ratings = figures.rating_overview(queries.rating_distribution(con), queries.rating_by_week(con))
    nps = figures.nps_by_month(queries.nps_by_month(con))
    minimum = queries.MIN_REVIEWS
    no_worst = f"No product has {minimum} or more rated reviews yet."
    body = f"""{_filter_bar(con)}
{_tiles(con)}
{chart(ratings, "chart-ratings", NO_REVIEWS)}
<h2>Net Promoter Score</h2>
{chart(nps, "chart-nps", "No NPS answers yet: marts.feedback_daily has none.")}
<p class="meta">NPS = 100 × (promoters scoring 9-10 − detractors scoring 0-6) / answers.</p>
<h2>Worst-rated products</h2>
<p class="meta">The {queries.WORST_PRODUCTS} lowest mean ratings among products
with at least {minimum} rated reviews.</p>
{
        table(
            queries.worst_products(con),
            WORST_COLUMNS,
            no_worst,
            f"products with {minimum}+ rated reviews; the {queries.WORST_PRODUCTS} lowest",
        )
    }
{delivery.worst_categories(con)}
{delivery.delivery_section(con)}
{text_section(con)}"""
    coverage = coverage_lines(
        con, ("feedback", "marts.feedback_daily"), ("shipments", "marts.fulfilment_daily")
    )
    return layout.page(
        site_title, "feedback.html", coverage, generated_at, missing_feed_notes(con, FEEDS) + body
    )
