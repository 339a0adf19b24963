"""Customer and feedback reads of the dashboard: new vs returning, cohorts, RFM, ratings, NPS.

Only marts are read. Rates over several days are recomputed from summed counts, so they
follow the marts' definitions.
"""

from __future__ import annotations

import duckdb
import polars as pl

from reports.warehouse import read_frame, read_row

MIN_REVIEWS = 3  # a product needs this many rated reviews to be ranked among the worst
WORST_PRODUCTS = 10


def customer_kpis(con: duckdb.DuckDBPyConnection) -> dict[str, float | int | None]:
    """Headline numbers of the customers page.

    Returns:
        customers (of marts.customers, those with a placed order: a customer known only
        from a return is left out), repeat_customer_rate (share with two or more placed
        orders), new_customers and returning_customers (customer-days summed over
        marts.orders_daily).
    """
    customers, repeat_rate = read_row(
        con,
        "select count(*) filter (where orders > 0), avg(is_repeat_customer::integer) filter (where orders > 0)"
        " from marts.customers",
    )
    new, returning = read_row(
        con,
        "select sum(new_customers)::bigint, sum(returning_customers)::bigint"
        " from marts.orders_daily",
    )
    return {
        "customers": customers,
        "repeat_customer_rate": repeat_rate,
        "new_customers": new,
        "returning_customers": returning,
    }


def customers_by_week(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """New and returning customers per Monday-start week, summed over countries."""
    return read_frame(
        con,
        "select date_trunc('week', day)::date as week,"
        " sum(new_customers)::bigint as new_customers,"
        " sum(returning_customers)::bigint as returning_customers"
        " from marts.orders_daily group by 1 order by 1",
    )


def customer_rates(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """marts.customer_rates_monthly as it is, one row per month."""
    return read_frame(con, "select * from marts.customer_rates_monthly order by month")


def cohort_retention(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """marts.cohort_retention, one row per cohort month and month since acquisition."""
    return read_frame(
        con,
        "select cohort_month, months_since_acquisition, cohort_customers, active_customers,"
        " retention_rate from marts.cohort_retention"
        " order by cohort_month, months_since_acquisition",
    )


def rfm_segments(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Customers and revenue per RFM segment, largest segment first."""
    return read_frame(
        con,
        "select coalesce(rfm_segment, '(unscored)') as rfm_segment,"
        " count(*)::bigint as customers, sum(revenue) as revenue"
        " from marts.customers group by 1 order by customers desc, rfm_segment",
    )


def feedback_kpis(con: duckdb.DuckDBPyConnection) -> dict[str, float | int | None]:
    """Reviews, mean rating, CSAT, NPS and review rate over every day of marts.feedback_daily."""
    frame = read_frame(
        con,
        "select sum(reviews)::bigint as reviews,"
        " sum(mean_rating * reviews) / nullif(sum(reviews), 0) as mean_rating,"
        " sum(ratings_4 + ratings_5) / nullif(sum(reviews), 0) as csat,"
        " sum(nps_answers)::bigint as nps_answers,"
        " 100.0 * (sum(promoters) - sum(detractors)) / nullif(sum(nps_answers), 0) as nps,"
        " sum(reviews) / nullif(sum(orders), 0) as review_rate"
        " from marts.feedback_daily",
    )
    return frame.row(0, named=True)


def rating_distribution(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Reviews per star rating 1-5; no rows when there are no reviews."""
    return read_frame(
        con,
        'select rating, reviews from (unpivot (select sum(ratings_1) as "1",'
        ' sum(ratings_2) as "2", sum(ratings_3) as "3", sum(ratings_4) as "4",'
        ' sum(ratings_5) as "5" from marts.feedback_daily)'
        ' on "1", "2", "3", "4", "5" into name rating value reviews)'
        " where (select sum(reviews) from marts.feedback_daily) > 0 order by rating",
    )


def rating_by_week(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Reviews and their mean rating per Monday-start week with at least one review."""
    return read_frame(
        con,
        "select date_trunc('week', day)::date as week, sum(reviews)::bigint as reviews,"
        " sum(mean_rating * reviews) / sum(reviews) as mean_rating"
        " from marts.feedback_daily group by 1 having sum(reviews) > 0 order by 1",
    )


def nps_by_month(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """NPS answers, promoters, detractors and NPS per month with at least one answer."""
    return read_frame(
        con,
        "select date_trunc('month', day)::date as month,"
        " sum(nps_answers)::bigint as nps_answers, sum(promoters)::bigint as promoters,"
        " sum(detractors)::bigint as detractors,"
        " 100.0 * (sum(promoters) - sum(detractors)) / sum(nps_answers) as nps"
        " from marts.feedback_daily group by 1 having sum(nps_answers) > 0 order by 1",
    )


def worst_products(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """The lowest mean ratings among SKUs with at least MIN_REVIEWS rated reviews."""
    return read_frame(
        con,
        "select sku, category, reviews, mean_rating, low_ratings, csat"
        " from marts.product_ratings where reviews >= $min_reviews"
        " order by mean_rating, reviews desc, sku limit $limit",
        {"min_reviews": MIN_REVIEWS, "limit": WORST_PRODUCTS},
    )


def clv_kpis(con: duckdb.DuckDBPyConnection) -> dict[str, float | int | str | None]:
    """Headline CLV numbers: customers valued, total and mean CLV, the model kept.

    Returns:
        valued (customers with a CLV), total_clv, mean_clv, mean_p_alive and model
        (the purchase model that scored them; None when none could be fitted).
    """
    frame = read_frame(
        con,
        "select count(clv)::bigint as valued, sum(clv) as total_clv, avg(clv) as mean_clv,"
        " avg(p_alive) as mean_p_alive, any_value(clv_model) as model from marts.customers",
    )
    return frame.row(0, named=True)


def clv_by_decile(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Customers, total and mean CLV per CLV decile (10 = most valuable), with each
    decile's share of the total; binned here so the page stays small for any shop size."""
    return read_frame(
        con,
        "select clv_decile, count(*)::bigint as customers, sum(clv) as total_clv, avg(clv) as mean_clv,"
        " min(clv) as min_clv, max(clv) as max_clv, sum(clv) / sum(sum(clv)) over () as share"
        " from marts.customers where clv_decile is not null group by 1 order by 1",
    )


def clv_tracking(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """marts.clv_tracking: cumulative repeat purchases, actual vs each model, by period."""
    return read_frame(con, "select * from marts.clv_tracking order by model, period")


def clv_conditional(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """marts.clv_conditional: mean holdout purchases by calibration frequency, per model."""
    return read_frame(
        con, "select * from marts.clv_conditional order by model, calibration_frequency"
    )


def clv_models(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """The latest run's rows of marts.clv_model, validated fits first."""
    return read_frame(
        con,
        "select * from marts.clv_model where run_at = (select max(run_at) from marts.clv_model)"
        " order by fit_window, model",
    )
