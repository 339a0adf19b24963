"""Feedback-page reads: ratings, CSAT, NPS and the worst-rated products.

Only marts are read. Rates over several days are recomputed from summed counts, so they
follow the marts' definitions.
"""

from __future__ import annotations

import duckdb
import polars as pl

from reports.metric_catalogue import CATALOGUE, metric_sql
from reports.metric_values import metric_values
from warehouse.frames import query

MIN_REVIEWS = 3  # a product needs this many rated reviews to be ranked among the worst
WORST_PRODUCTS = 10


# The KPI tiles, in the order shown; each is a metric of the catalogue over feedback_daily.
KPIS = ("reviews", "mean_rating", "csat", "nps", "nps_answers", "review_rate")


def feedback_kpis(con: duckdb.DuckDBPyConnection) -> dict[str, float | int | None]:
    """The KPI tiles' metrics (reviews, mean rating, CSAT, NPS, NPS answers and review rate:
    the share of the orders reviewed) over every day of marts.feedback_daily."""
    return metric_values(con, KPIS)


def rating_distribution(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Reviews per star rating 1-5; no rows when there are no reviews."""
    return query(
        con,
        'select rating, reviews from (unpivot (select sum(ratings_1) as "1",'
        ' sum(ratings_2) as "2", sum(ratings_3) as "3", sum(ratings_4) as "4",'
        ' sum(ratings_5) as "5" from marts.feedback_daily)'
        ' on "1", "2", "3", "4", "5" into name rating value reviews)'
        " where (select sum(reviews) from marts.feedback_daily) > 0 order by rating",
    )


def rating_by_week(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Reviews and their mean rating per Monday-start week with at least one review."""
    return query(
        con,
        "select date_trunc('week', day)::date as week, sum(reviews)::bigint as reviews,"
        f" {metric_sql(CATALOGUE['mean_rating'])} as mean_rating"
        " from marts.feedback_daily group by 1 having sum(reviews) > 0 order by 1",
    )


def nps_by_month(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """NPS answers, promoters, detractors and NPS per month with at least one answer."""
    return query(
        con,
        "select date_trunc('month', day)::date as month,"
        " sum(nps_answers)::bigint as nps_answers, sum(promoters)::bigint as promoters,"
        " sum(detractors)::bigint as detractors,"
        f" {metric_sql(CATALOGUE['nps'])} as nps"
        " from marts.feedback_daily group by 1 having sum(nps_answers) > 0 order by 1",
    )


def worst_products(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """The lowest mean ratings among SKUs with at least MIN_REVIEWS rated reviews."""
    return query(
        con,
        "select sku, category, reviews, mean_rating, low_ratings, csat"
        " from marts.product_ratings where reviews >= $min_reviews"
        " order by mean_rating, reviews desc, sku limit $limit",
        {"min_reviews": MIN_REVIEWS, "limit": WORST_PRODUCTS},
    )
