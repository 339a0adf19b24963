"""Fulfilment and feedback reads of the dashboard: delivery promise kept, late orders by
carrier and region, ratings after late vs on-time delivery, worst-rated categories.

Only marts are read. Shares over several days are recomputed from summed counts; medians and
p90s cannot be summed, so the trend shows each day's own values.
"""

from __future__ import annotations

import duckdb
import polars as pl

from warehouse.frames import query

MIN_CATEGORY_REVIEWS = 10  # a category needs this many rated reviews to be ranked
WORST_CATEGORIES = 8


def fulfilment_by_week(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """One row per order week (Monday start): orders shipped, delivered, late, on-time share,
    and the order-weighted mean of the days' median and p90 days to delivery."""
    return query(
        con,
        """
        select
            date_trunc('week', day)::date as week,
            sum(orders_shipped)::bigint as orders_shipped,
            sum(orders_delivered)::bigint as orders_delivered,
            sum(orders_late)::bigint as orders_late,
            sum(orders_on_time) / nullif(sum(orders_on_time) + sum(orders_late), 0) as on_time_share,
            sum(median_days_to_deliver * orders_delivered) / nullif(sum(orders_delivered), 0)
                as median_days_to_deliver,
            sum(p90_days_to_deliver * orders_delivered) / nullif(sum(orders_delivered), 0)
                as p90_days_to_deliver
        from marts.fulfilment_daily
        group by 1
        order by 1
        """,
    )


def late_orders_by(con: duckdb.DuckDBPyConnection, dimension: str) -> pl.DataFrame:
    """Delivered orders, late orders and the late share per carrier or per region.

    Args:
        con: open connection to the warehouse.
        dimension: `carrier` or `region`.

    Returns:
        One row per value, most late orders first.
    """
    if dimension not in ("carrier", "region"):
        raise ValueError(f"dashboard: late orders by {dimension!r}; use carrier or region")
    return query(
        con,
        f"""
        select
            coalesce({dimension}, '(unknown)') as {dimension},
            sum(orders_on_time + orders_late)::bigint as orders_delivered,
            sum(orders_late)::bigint as orders_late,
            sum(orders_late) / nullif(sum(orders_on_time + orders_late), 0) as late_share
        from marts.fulfilment_daily
        group by 1
        having sum(orders_on_time + orders_late) > 0
        order by orders_late desc, 1
        """,
    )


def rating_by_delivery(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Mean rating and NPS of feedback on orders delivered on time vs late."""
    return query(
        con,
        "select delivery, orders_with_feedback, reviews, mean_rating, nps_answers, nps"
        " from marts.delivery_feedback order by delivery desc",
    )


def worst_categories(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Categories with the lowest review-weighted mean rating (MIN_CATEGORY_REVIEWS or more)."""
    return query(
        con,
        """
        select
            category,
            count(*) as products,
            sum(reviews)::bigint as reviews,
            sum(mean_rating * reviews) / sum(reviews) as mean_rating,
            sum(low_ratings)::bigint as low_ratings,
            sum(csat * reviews) / sum(reviews) as csat
        from marts.product_ratings
        group by category
        having sum(reviews) >= $min_reviews
        order by mean_rating, reviews desc, category
        limit $limit
        """,
        {"min_reviews": MIN_CATEGORY_REVIEWS, "limit": WORST_CATEGORIES},
    )
