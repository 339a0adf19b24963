"""A few products whose reviews collapse at the end of the range, so the demo shows the
feedback guard (forecasting/feedback_guard.py) flagging them with its evidence.

Without it the simulated ratings depend only on delivery, never on the product, and no SKU
ever gets worse. Here :data:`COLLAPSING_SKUS` products go bad in the last
:data:`COLLAPSE_DAYS` days of the range: among the products with at least
:data:`MIN_EARLIER_REVIEWS` reviews before those days, the ones in the most reviewed orders
within them (ties by code). In those days every review of such a product, and half of the
other reviews of an order holding one (:data:`COLLAPSE_REVIEW_SHARE`: an unhappy buyer
reviews the product that let them down rather than the line first drawn), is about it and
rated from :data:`COLLAPSED_RATING_PROBS` (mean 1.8 stars against about 4.2 before), with a
title and text of that rating.

Every draw comes from a generator of its own, so reviews before those days, every other
column and every other simulated table stay exactly as they were.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

COLLAPSING_SKUS = 3
COLLAPSE_DAYS = 28
MIN_EARLIER_REVIEWS = 5
COLLAPSE_REVIEW_SHARE = 0.5
COLLAPSED_RATING_PROBS = (0.50, 0.30, 0.12, 0.05, 0.03)


def collapsing_skus(
    reviews: pl.DataFrame, product_lines: pl.DataFrame, start: dt.date
) -> list[str]:
    """The products whose ratings collapse from `start` on (module docstring), by code.

    Args:
        reviews: order_id, sku, submitted_at of every review.
        product_lines: order_id, sku of every placed product line.
        start: the first day of the collapse.
    """
    submitted = pl.col("submitted_at").dt.date()
    earlier = (
        reviews.filter(submitted < start)
        .group_by("sku")
        .len("earlier")
        .filter(pl.col("earlier") >= MIN_EARLIER_REVIEWS)
    )
    recent_orders = reviews.filter(submitted >= start).select("order_id").unique()
    in_recent = (
        product_lines.join(recent_orders, on="order_id")
        .unique()
        .group_by("sku")
        .len("recent")
        .join(earlier, on="sku")
    )
    top = in_recent.sort(["recent", "sku"], descending=[True, False]).head(COLLAPSING_SKUS)
    return sorted(top["sku"].to_list())


def collapse_ratings(
    reviews: pl.DataFrame,
    product_lines: pl.DataFrame,
    last_day: dt.date,
    pick_text,
    rng: np.random.Generator,
) -> pl.DataFrame:
    """The reviews with the collapsing products' last days rewritten.

    Args:
        reviews: one row per review: order_id, sku, submitted_at, rating, title, body (and
            any other columns, kept as they are).
        product_lines: order_id, sku of every placed product line.
        last_day: the last day of the range.
        pick_text: ``(ratings, old bodies, rng) -> (titles, bodies)`` for rewritten reviews.
        rng: the collapse's own generator.
    """
    start = last_day - dt.timedelta(days=COLLAPSE_DAYS - 1)
    skus = collapsing_skus(reviews, product_lines, start)
    # The first collapsing product (by code) of each order holding one.
    bad_line = (
        product_lines.filter(pl.col("sku").is_in(skus))
        .group_by("order_id")
        .agg(pl.col("sku").min().alias("_bad_sku"))
    )
    marked = reviews.with_row_index("_row").join(
        bad_line, on="order_id", how="left", maintain_order="left"
    )
    candidate = (
        marked["_bad_sku"].is_not_null() & (marked["submitted_at"].dt.date() >= start)
    ).to_numpy()
    about_it = marked["sku"].is_in(skus).to_numpy()
    chosen = candidate & ((rng.random(marked.height) < COLLAPSE_REVIEW_SHARE) | about_it)
    n = int(chosen.sum())
    rating = rng.choice(np.arange(1, 6), n, p=COLLAPSED_RATING_PROBS)
    title, body = pick_text(rating, marked["body"].to_numpy()[chosen], rng)
    rewritten = marked.filter(pl.Series(chosen)).with_columns(
        pl.when(pl.col("sku").is_in(skus)).then("sku").otherwise("_bad_sku").alias("sku"),
        pl.Series("rating", rating.astype(np.int64)),
        pl.Series("title", title.astype(str)),
        pl.Series("body", body.astype(str)),
    )
    kept = marked.filter(~pl.Series(chosen))
    result = pl.concat([kept, rewritten.select(kept.columns)]).sort("_row")
    return result.drop("_row", "_bad_sku")
