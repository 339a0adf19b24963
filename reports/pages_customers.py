"""The customers page (new vs returning, repeat rates, cohorts, RFM) and the feedback page
(ratings, NPS, worst-rated products)."""

from __future__ import annotations

from datetime import datetime

import duckdb

from reports import delivery, figures_customers, layout, warehouse_customers
from reports.layout import chart, fmt_int, fmt_number, fmt_pct, fmt_text, kpi_tiles, table
from reports.pages import coverage_lines

NO_ORDERS = "No orders yet: marts.orders_daily is empty."
NO_CUSTOMERS = "No identified customers yet: marts.customers is empty."
NO_RATES = "No orders of identified customers: marts.customer_rates_monthly is empty."
NO_REVIEWS = "No rated reviews yet: marts.feedback_daily has none."

WORST_COLUMNS: tuple[layout.Column, ...] = (
    ("sku", "SKU", fmt_text, "txt"),
    ("category", "Category", fmt_text, "txt"),
    ("mean_rating", "Mean rating", lambda v: fmt_number(v, 2), "num"),
    ("reviews", "Reviews", fmt_int, "num"),
    ("low_ratings", "1-2 stars", fmt_int, "num"),
    ("csat", "CSAT (4-5 stars)", fmt_pct, "num"),
)


def customers(con: duckdb.DuckDBPyConnection, site_title: str, generated_at: datetime) -> str:
    """Customers page: new vs returning, returning-customer vs repeat rate, cohorts, RFM.

    Args:
        con: open connection to the warehouse.
        site_title: name shown in the nav bar.
        generated_at: publication time shown on the page.

    Returns:
        The page HTML; each chart without data is replaced by a note naming its table.
    """
    k = warehouse_customers.customer_kpis(con)
    tiles = kpi_tiles(
        [
            ("customers", "Customers", fmt_int(k["customers"]), "identified, with a placed order"),
            ("repeat_customer_rate", "Repeat customers", fmt_pct(k["repeat_customer_rate"]),
             "two or more orders"),
            ("new_customers", "New customers", fmt_int(k["new_customers"]),
             "first order in the period"),
            ("returning_customers", "Returning customers", fmt_int(k["returning_customers"]),
             "customer-days with an earlier order"),
        ]
    )
    weekly = figures_customers.new_vs_returning(warehouse_customers.customers_by_week(con))
    rates = figures_customers.customer_rates(warehouse_customers.customer_rates(con))
    cohorts = figures_customers.cohort_heatmap(warehouse_customers.cohort_retention(con))
    segments = figures_customers.rfm_segments(warehouse_customers.rfm_segments(con))
    body = f"""{tiles}
<div class="grid2">
{chart(weekly, "chart-new-returning", NO_ORDERS)}
{chart(rates, "chart-customer-rates", NO_RATES)}
</div>
<p class="meta">Returning-customer rate (Shopify): customers of the month with two or more
orders ever, the first possibly earlier / customers of the month. Repeat purchase within the
month: two or more orders inside the month. Repeat purchase to date: customers with two or
more orders / all customers acquired so far.</p>
<h2>Cohort retention</h2>
{chart(cohorts, "chart-cohorts", "No cohorts yet: marts.cohort_retention is empty.")}
<h2>RFM segments</h2>
{chart(segments, "chart-rfm", NO_CUSTOMERS)}"""
    coverage = coverage_lines(con, ("orders", "marts.orders_daily"))
    return layout.page(site_title, "customers.html", coverage, generated_at, body)


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
    k = warehouse_customers.feedback_kpis(con)
    tiles = kpi_tiles(
        [
            ("reviews", "Reviews", fmt_int(k["reviews"]), "rated 1-5 stars"),
            ("mean_rating", "Mean rating", fmt_number(k["mean_rating"], 2), "stars"),
            ("csat", "CSAT", fmt_pct(k["csat"]), "reviews rated 4-5"),
            ("nps", "NPS", fmt_number(k["nps"], 0),
             f"{fmt_int(k['nps_answers'])} answers, -100 to 100"),
            ("review_rate", "Review rate", fmt_pct(k["review_rate"]), "reviews per order"),
        ]
    )
    ratings = figures_customers.rating_overview(
        warehouse_customers.rating_distribution(con), warehouse_customers.rating_by_week(con)
    )
    nps = figures_customers.nps_by_month(warehouse_customers.nps_by_month(con))
    minimum = warehouse_customers.MIN_REVIEWS
    no_worst = f"No product has {minimum} or more rated reviews yet."
    body = f"""{tiles}
{chart(ratings, "chart-ratings", NO_REVIEWS)}
<h2>Net Promoter Score</h2>
{chart(nps, "chart-nps", "No NPS answers yet: marts.feedback_daily has none.")}
<p class="meta">NPS = 100 × (promoters scoring 9-10 − detractors scoring 0-6) / answers.</p>
<h2>Worst-rated products</h2>
<p class="meta">The {warehouse_customers.WORST_PRODUCTS} lowest mean ratings among products
with at least {minimum} rated reviews.</p>
{table(warehouse_customers.worst_products(con), WORST_COLUMNS, no_worst,
       f"products with {minimum}+ rated reviews; the {warehouse_customers.WORST_PRODUCTS} lowest")}
{delivery.worst_categories(con)}
{delivery.delivery_section(con)}"""
    coverage = coverage_lines(
        con, ("feedback", "marts.feedback_daily"), ("shipments", "marts.fulfilment_daily")
    )
    return layout.page(site_title, "feedback.html", coverage, generated_at, body)
