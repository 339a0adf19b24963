"""The customers page: new vs returning customers, returning-customer vs repeat rates,
cohort retention, RFM segments and customer lifetime value."""

from __future__ import annotations

from datetime import datetime

import duckdb
import polars as pl

from reports.pages.customers import figures, queries
from reports.pages.customers.clv import clv_section
from reports.pages.customers.cohort_grid import cohort_grid
from reports.pages.customers.range_section import (
    as_of_heading,
    last_order_day,
    range_bar,
    range_tiles,
)
from reports.site import layout
from reports.site.coverage import coverage_lines
from reports.site.feeds import missing_feed_notes
from reports.site.format import esc, fmt_int, fmt_money, fmt_pct
from reports.site.layout import chart, kpi_tiles
from reports.site.range_followers import own_range

# The feeds this page is built from; a note names each one the shop never sent.
FEEDS = ("orders",)

NO_ORDERS = "No orders yet: marts.orders_daily is empty."
NO_CUSTOMERS = "No identified customers yet: marts.customers is empty."
NO_COHORTS = "No cohorts yet: marts.cohort_retention is empty."
NO_RATES = "No orders of identified customers: marts.customer_rates_monthly is empty."
NO_PURCHASE = "No purchase in the data"  # marts.customers' segment of refund-only customers


def _tiles(con: duckdb.DuckDBPyConnection) -> str:
    k = queries.customer_kpis(con)
    return kpi_tiles(
        [
            ("customers", "Customers", fmt_int(k["customers"]), "identified, with a placed order"),
            (
                "repeat_customer_rate",
                "Repeat customers",
                fmt_pct(k["repeat_customer_rate"]),
                "two or more orders",
            ),
            (
                "returning_customers",
                "Returning customers",
                fmt_int(k["returning_customers"]),
                "ordered again on a later day",
            ),
        ]
    )


def negative_revenue_note(segments: pl.DataFrame) -> str:
    """Why a segment's revenue is below zero: its refunds exceed what its customers bought
    in the data (for 'No purchase in the data', refunds of purchases made before it)."""
    lines = []
    for r in segments.filter(pl.col("revenue") < 0).iter_rows(named=True):
        if r["rfm_segment"] == NO_PURCHASE:
            lines.append(
                f"{r['rfm_segment']}: {fmt_int(r['customers'])} customers whose only lines in the"
                f" data refund purchases made before it starts (returns, cancellations and"
                f" credits of {fmt_money(r['refunds'])}), so their revenue is"
                f" {fmt_money(r['revenue'])}; they have no order to score."
            )
        else:
            lines.append(
                f"{r['rfm_segment']}: revenue {fmt_money(r['revenue'])} is net of"
                f" {fmt_money(r['refunds'])} of refunds, more than its customers bought in the"
                " data (returns of earlier purchases)."
            )
    if not lines:
        return ""
    items = "".join(f"<li>{esc(line)}</li>" for line in lines)
    return f'<div class="meta" data-note="negative-revenue">Revenue is net of refunds.<ul>{items}</ul></div>'


def customers(con: duckdb.DuckDBPyConnection, site_title: str, generated_at: datetime) -> str:
    """Customers page: new vs returning, returning-customer vs repeat rate, cohorts, RFM, CLV.

    Args:
        con: open connection to the warehouse.
        site_title: name shown in the nav bar.
        generated_at: publication time shown on the page.

    Returns:
        The page HTML; each chart without data is replaced by a note naming its table.
    """
    weekly = figures.new_vs_returning(queries.customers_by_week(con))
    rates = figures.customer_rates(queries.customer_rates(con))
    segment_rows = queries.rfm_segments(con)
    segments = figures.rfm_segments(segment_rows)
    last_day = last_order_day(con)
    body = f"""{range_bar(con, last_day)}
{range_tiles(con)}
{as_of_heading(last_day)}
{_tiles(con)}
<div class="grid2">
{own_range("weeks", chart(weekly, "chart-new-returning", NO_ORDERS))}
{own_range("months", chart(rates, "chart-customer-rates", NO_RATES))}
</div>
<p class="meta">Returning-customer rate (Shopify): customers of the month with two or more
orders ever, the first possibly earlier / customers of the month. Repeat purchase within the
month: two or more orders inside the month. Repeat purchase to date: customers with two or
more orders / all customers acquired so far.</p>
<h2>Cohort retention</h2>
{own_range("cohorts", cohort_grid(queries.cohort_retention(con), NO_COHORTS))}
<h2>RFM segments</h2>
{chart(segments, "chart-rfm", NO_CUSTOMERS)}
<p class="meta">R, F and M are quintiles of recency, orders and net revenue among the customers
with an order; customers with the same value share a score, so every one-order customer has
F = 1, and the segments that need F of 2 or more (Champions, Loyal, Potential loyalists, Need
attention, At risk, Cannot lose them) hold repeat customers only.</p>
{negative_revenue_note(segment_rows)}
{clv_section(con)}"""
    coverage = coverage_lines(con, ("orders", "marts.orders_daily"))
    return layout.page(
        site_title, "customers.html", coverage, generated_at, missing_feed_notes(con, FEEDS) + body
    )
