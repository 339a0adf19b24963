"""Feedback guard: a SKU whose ratings or returns got worse than its usual range is marked
"review before reordering", with the numbers, instead of being reordered silently.

The recent window is the ``inventory.feedback_window_days`` days up to and including the
as-of day; the SKU's usual range is its own history before that window (all of it). With
k = ``inventory.feedback_standard_errors``:

- **Rating.** Judged when the SKU has at least ``inventory.feedback_min_reviews`` rated
  reviews in the window and as many before it. It dropped when
  recent mean < usual mean - k x se, se = sqrt(recent variance / recent reviews + usual
  variance / usual reviews) (the standard error of the difference of the two means, sample
  variances): a window of noise within the usual spread stays inside, a real drop does not.
- **Return rate.** Units on return and cancellation lines, less those reversing an order
  mistake (marts.sku_demand_daily: units_cancelled - units_reversed), per unit sold, on the
  days they were booked. Judged when the SKU has at least ``inventory.feedback_min_orders``
  orders in the window and as many before it. It rose when recent rate > usual rate + k x
  se, se = sqrt(v recent + v usual), v the variance of a period's rate r = returned /
  sold with its days as the units of sampling: v = n / (n - 1) x sum over its n days of
  (returned - r x sold)^2 / sold^2 (the ratio estimator's variance). Wholesale orders are
  lumpy: one cancelled order of 48 units in a quiet month is one day's event and gets a
  wide range, while returns that recur day after day do not.

``review_before_reordering`` is true when either measure got worse; ``feedback_evidence``
then says which, with the numbers and the window. Every sum is of whole numbers, so the
results do not depend on the order rows are added in.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import polars as pl

from config.settings import InventorySettings
from warehouse.frames import query

GUARD_SCHEMA: dict[str, pl.DataType] = {
    "sku": pl.String(),
    "recent_reviews": pl.Int64(),
    "recent_mean_rating": pl.Float64(),
    "usual_reviews": pl.Int64(),
    "usual_mean_rating": pl.Float64(),
    "rating_floor": pl.Float64(),
    "rating_dropped": pl.Boolean(),
    "recent_orders": pl.Int64(),
    "recent_return_rate": pl.Float64(),
    "usual_orders": pl.Int64(),
    "usual_return_rate": pl.Float64(),
    "return_rate_ceiling": pl.Float64(),
    "returns_rose": pl.Boolean(),
    "review_before_reordering": pl.Boolean(),
    "feedback_evidence": pl.String(),
    "window_start": pl.Date(),
    "as_of": pl.Date(),
}
# The columns the reorder list carries from this table.
LIST_COLUMNS = ("review_before_reordering", "feedback_evidence")


def _rating_stats(reviews: pl.DataFrame, start: dt.date, as_of: dt.date) -> pl.DataFrame:
    """Per SKU: count, mean and sample variance of ratings in the window and before it."""
    rating = pl.col("rating").cast(pl.Float64)
    recent = pl.col("submitted_date").is_between(start, as_of)
    before = pl.col("submitted_date") < start
    stats = []
    for name, period in (("recent", recent), ("usual", before)):
        n, total, squares = (
            period.sum(),
            rating.filter(period).sum(),
            (rating * rating).filter(period).sum(),
        )
        stats += [
            n.cast(pl.Int64).alias(f"{name}_reviews"),
            (total / n).alias(f"{name}_mean_rating"),
            ((squares - total * total / n) / (n - 1)).clip(lower_bound=0).alias(f"_{name}_var"),
        ]
    return reviews.group_by("sku").agg(stats)


# Per SKU, from one row per SKU and day (sku, day, orders, units_sold, units_returned) up to
# the as-of day, for each period (the window $start..$as_of, the days before it): orders,
# days, and the sums of units sold and returned, their squares and their product. Every
# sum is of whole numbers, exact in DuckDB's integers: it runs where the rows are, so a
# row per SKU leaves the warehouse instead of one per SKU and day.
RETURN_PERIODS = {"recent": "day between $start and $as_of", "usual": "day < $start"}
RETURN_STATS = (
    "select sku, "
    + ", ".join(
        f"coalesce(sum(orders) filter ({period}), 0)::bigint as {name}_orders, "
        f"count(*) filter ({period}) as _{name}_days, "
        f"coalesce(sum(units_sold) filter ({period}), 0)::double as _{name}_sold, "
        f"coalesce(sum(units_returned) filter ({period}), 0)::double as _{name}_returned, "
        f"coalesce(sum(units_sold * units_sold) filter ({period}), 0)::double as _{name}_sold2, "
        f"coalesce(sum(units_returned * units_returned) filter ({period}), 0)::double "
        f"as _{name}_returned2, "
        f"coalesce(sum(units_sold * units_returned) filter ({period}), 0)::double "
        f"as _{name}_cross"
        for name, period in RETURN_PERIODS.items()
    )
    + " from ({returns}) as returns where day <= $as_of group by sku"
)


def window_start(as_of: dt.date, inventory: InventorySettings) -> dt.date:
    """The first day of the recent window that ends on `as_of`."""
    return as_of - dt.timedelta(days=inventory.feedback_window_days - 1)


def return_stats(
    con: duckdb.DuckDBPyConnection, returns: str, as_of: dt.date, inventory: InventorySettings
) -> pl.DataFrame:
    """`RETURN_STATS` of the rows the query `returns` gives (sku, day, orders, units_sold,
    units_returned; one row per SKU and day), for the window ending on `as_of`."""
    parameters = {"start": window_start(as_of, inventory), "as_of": as_of}
    return query(con, RETURN_STATS.format(returns=returns), parameters)


def feedback_guard(
    reviews: pl.DataFrame, returns: pl.DataFrame, as_of: dt.date, inventory: InventorySettings
) -> pl.DataFrame:
    """Judge every SKU with enough feedback (module docstring).

    Args:
        reviews: one row per rated review of a SKU: sku, submitted_date, rating (1-5).
        returns: :func:`return_stats` of the SKUs' days, for the window ending on `as_of`.
        as_of: the last day of the recent window (the reorder list's as-of day).
        inventory: feedback_window_days, feedback_min_reviews, feedback_min_orders and
            feedback_standard_errors.

    Returns:
        inventory.feedback_guard: one row per SKU judged on its rating or its return rate
        (``GUARD_SCHEMA``), by sku.
    """
    start = window_start(as_of, inventory)
    k = inventory.feedback_standard_errors
    reviews = reviews.filter(pl.col("submitted_date") <= as_of)
    rating = _rating_stats(reviews, start, as_of).with_columns(
        (
            pl.col("usual_mean_rating")
            - k
            * (
                pl.col("_recent_var") / pl.col("recent_reviews")
                + pl.col("_usual_var") / pl.col("usual_reviews")
            ).sqrt()
        ).alias("rating_floor")
    )
    judged_rating = (pl.col("recent_reviews") >= inventory.feedback_min_reviews) & (
        pl.col("usual_reviews") >= inventory.feedback_min_reviews
    )
    rating = rating.with_columns(
        pl.when(judged_rating)
        .then(pl.col("recent_mean_rating") < pl.col("rating_floor"))
        .alias("rating_dropped")
    )
    ret = _with_return_ceiling(returns, k)
    judged_returns = (pl.col("recent_orders") >= inventory.feedback_min_orders) & (
        pl.col("usual_orders") >= inventory.feedback_min_orders
    )
    ret = ret.with_columns(
        pl.when(judged_returns)
        .then(pl.col("recent_return_rate") > pl.col("return_rate_ceiling"))
        .alias("returns_rose")
    )
    guard = (
        rating.join(ret, on="sku", how="full", coalesce=True)
        .filter(pl.col("rating_dropped").is_not_null() | pl.col("returns_rose").is_not_null())
        .with_columns(
            (
                pl.col("rating_dropped").fill_null(False) | pl.col("returns_rose").fill_null(False)
            ).alias("review_before_reordering"),
            pl.lit(start, pl.Date).alias("window_start"),
            pl.lit(as_of, pl.Date).alias("as_of"),
        )
    )
    return (
        guard.with_columns(
            _evidence(inventory.feedback_window_days, as_of).alias("feedback_evidence")
        )
        .select(pl.col(name).cast(dtype) for name, dtype in GUARD_SCHEMA.items())
        .sort("sku")
    )


def _rate_variance(name: str) -> pl.Expr:
    """The variance of a period's return rate, days as the units of sampling (docstring)."""
    rate = pl.col(f"{name}_return_rate")
    squares = (
        pl.col(f"_{name}_returned2")
        - 2 * rate * pl.col(f"_{name}_cross")
        + rate * rate * pl.col(f"_{name}_sold2")
    ).clip(lower_bound=0)
    days = pl.col(f"_{name}_days")
    return squares / pl.col(f"_{name}_sold") ** 2 * days / (days - 1)


def _with_return_ceiling(stats: pl.DataFrame, k: float) -> pl.DataFrame:
    """Add the two periods' return rates and the ceiling above which the recent one rose."""
    rates = stats.with_columns(
        (pl.col(f"_{name}_returned") / pl.col(f"_{name}_sold")).alias(f"{name}_return_rate")
        for name in ("recent", "usual")
    )
    se = (_rate_variance("recent") + _rate_variance("usual")).sqrt()
    return rates.with_columns((pl.col("usual_return_rate") + k * se).alias("return_rate_ceiling"))


def _evidence(window_days: int, as_of: dt.date) -> pl.Expr:
    """What got worse, in numbers, for a flagged SKU; null otherwise."""
    window = f"in the {window_days} days to {as_of.isoformat()}"
    rating = pl.format(
        "mean rating {} from {} reviews " + window + ", usually {} ({} reviews before; "
        "flagged below {})",
        pl.col("recent_mean_rating").round(2),
        "recent_reviews",
        pl.col("usual_mean_rating").round(2),
        "usual_reviews",
        pl.col("rating_floor").round(2),
    )
    returns = pl.format(
        "return rate {} % over {} orders " + window + ", usually {} % ({} orders before; "
        "flagged above {} %)",
        (pl.col("recent_return_rate") * 100).round(1),
        "recent_orders",
        (pl.col("usual_return_rate") * 100).round(1),
        "usual_orders",
        (pl.col("return_rate_ceiling") * 100).round(1),
    )
    parts = pl.concat_list(
        pl.when(pl.col("rating_dropped")).then(rating),
        pl.when(pl.col("returns_rose")).then(returns),
    ).list.drop_nulls()
    return pl.when(pl.col("review_before_reordering")).then(
        pl.format("Review before reordering: {}.", parts.list.join("; "))
    )
