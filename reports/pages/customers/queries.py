"""Customers-page reads: new vs returning customers, repeat rates, cohorts and RFM segments.

Only marts are read. Rates over several days are recomputed from summed counts, so they
follow the marts' definitions.
"""

from __future__ import annotations

import duckdb
import polars as pl

from warehouse.frames import query, read_row


def customer_kpis(con: duckdb.DuckDBPyConnection) -> dict[str, float | int | None]:
    """Headline numbers of the customers page as of the data's end (new customers, which
    follow the page's date range, are the metric catalogue's `new_customers`).

    Returns:
        customers (of marts.customers, those with a placed order: a customer known only
        from a return is left out), repeat_customer_rate (share with two or more placed
        orders) and returning_customers (distinct customers who ordered again on a later
        day than their first order, as marts.orders_daily counts a customer returning on a
        day; its daily sum would count a customer once per later order day, not once).
    """
    customers, repeat_rate, returning = read_row(
        con,
        "select count(*) filter (where orders > 0),"
        " avg(is_repeat_customer::integer) filter (where orders > 0),"
        " count(*) filter (where last_order_date > first_order_date)"
        " from marts.customers",
    )
    return {
        "customers": customers,
        "repeat_customer_rate": repeat_rate,
        "returning_customers": returning,
    }


def customers_by_week(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """New and returning customers per Monday-start week, summed over countries."""
    return query(
        con,
        "select date_trunc('week', day)::date as week,"
        " sum(new_customers)::bigint as new_customers,"
        " sum(returning_customers)::bigint as returning_customers"
        " from marts.orders_daily group by 1 order by 1",
    )


def customer_rates(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """marts.customer_rates_monthly as it is, one row per month."""
    return query(con, "select * from marts.customer_rates_monthly order by month")


def cohort_retention(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """marts.cohort_retention, one row per cohort month and month since acquisition."""
    return query(
        con,
        "select cohort_month, months_since_acquisition, cohort_customers, active_customers,"
        " retention_rate from marts.cohort_retention"
        " order by cohort_month, months_since_acquisition",
    )


def rfm_segments(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Customers, net revenue and refunds (returns, cancellations, credits) per RFM
    segment, largest segment first."""
    return query(
        con,
        "select coalesce(rfm_segment, '(unscored)') as rfm_segment,"
        " count(*)::bigint as customers, sum(revenue) as revenue, sum(refunds) as refunds"
        " from marts.customers group by 1 order by customers desc, rfm_segment",
    )
