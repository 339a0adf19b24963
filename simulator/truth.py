"""The ground truth: exactly what the simulator generated, counted from its own frames.

Keys of ``ground_truth.json`` (rates are null when their denominator is 0):

- ``seed``, ``generator`` (``demo`` or ``synthetic``), ``date_range`` {``start``, ``end``},
  ``input_order_lines`` (order lines given to the simulator).
- ``orders``: ``orders_placed``, ``orders_cancelled``, ``order_lines``.
- ``traffic``: ``events`` (total), ``events_by_name``, ``purchase_revenue`` (sum of
  purchase event values) and the funnel of all sessions: ``sessions``,
  ``sessions_with_cart`` (an add_to_cart), ``sessions_with_checkout`` (a begin_checkout),
  ``sessions_with_purchase``, ``purchases`` (purchase events = placed orders), ``revenue``,
  ``conversion_rate`` (sessions_with_purchase / sessions), ``cart_abandonment_rate``
  (sessions with add_to_cart and no purchase / sessions_with_cart),
  ``checkout_abandonment_rate`` (sessions with begin_checkout and no purchase /
  sessions_with_checkout); then the same funnel ``by_device``, ``by_source`` and
  ``per_day`` (keyed by device, source, ISO day of the session; sessions never cross
  midnight).
- ``feedback``: ``deliveries``, ``late_deliveries``, ``late_delivery_share``, ``reviews``,
  ``nps_answers``, ``mean_rating_late``, ``mean_rating_on_time``, ``mean_nps_late``,
  ``mean_nps_on_time`` (over the exported feedback), ``nps_late`` / ``nps_on_time``
  (% promoters 9-10 minus % detractors 0-6).
- ``inventory``: see :func:`simulator.inventory.simulate_inventory` (``stockout_sku_days``,
  ``injected_stockouts``, ``emergency_receipts``, ...).
- ``catalog``: ``skus``, ``products``.
"""

from __future__ import annotations

import polars as pl

FUNNEL_KEYS = (
    "sessions",
    "sessions_with_cart",
    "sessions_with_checkout",
    "sessions_with_purchase",
    "purchases",
    "revenue",
    "conversion_rate",
    "cart_abandonment_rate",
    "checkout_abandonment_rate",
)


def session_table(traffic: pl.DataFrame) -> pl.DataFrame:
    """One row per session: session_id, day, device, source and its funnel flags."""
    name = pl.col("event_name")
    return traffic.group_by("session_id").agg(
        pl.col("event_at").min().dt.date().alias("day"),
        pl.col("device").first(),
        pl.col("source").first(),
        (name == "add_to_cart").any().alias("has_cart"),
        (name == "begin_checkout").any().alias("has_checkout"),
        (name == "purchase").any().alias("has_purchase"),
        (name == "purchase").sum().alias("purchases"),
        pl.col("value").filter(name == "purchase").sum().alias("revenue"),
    )


def _rate(numerator: pl.Expr, denominator: pl.Expr) -> pl.Expr:
    return pl.when(denominator > 0).then(numerator / denominator)


def traffic_tally(traffic: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The additive part of the traffic truth, so that parts of whole days add up (a
    session never crosses midnight).

    Args:
        traffic: events in the traffic contract columns.

    Returns:
        (sessions counted by day, device and source: sessions, sessions_with_cart,
        sessions_with_checkout, sessions_with_purchase, purchases, revenue, _cart_left,
        _checkout_left; events by event_name with the sum of purchase values).
    """
    sessions = session_table(traffic)
    cart, checkout, bought = pl.col("has_cart"), pl.col("has_checkout"), pl.col("has_purchase")
    counts = sessions.group_by("day", "device", "source").agg(
        pl.len().cast(pl.Int64).alias("sessions"),
        cart.sum().cast(pl.Int64).alias("sessions_with_cart"),
        checkout.sum().cast(pl.Int64).alias("sessions_with_checkout"),
        bought.sum().cast(pl.Int64).alias("sessions_with_purchase"),
        pl.col("purchases").sum().cast(pl.Int64).alias("purchases"),
        pl.col("revenue").sum().alias("revenue"),
        (cart & ~bought).sum().cast(pl.Int64).alias("_cart_left"),
        (checkout & ~bought).sum().cast(pl.Int64).alias("_checkout_left"),
    )
    events = traffic.group_by("event_name").agg(
        pl.len().cast(pl.Int64).alias("events"),
        pl.col("value").filter(pl.col("event_name") == "purchase").sum().alias("purchase_value"),
    )
    return counts, events


def funnel(counts: pl.DataFrame, by: list[str]) -> pl.DataFrame:
    """Funnel counts and rates of :func:`traffic_tally` session counts grouped by `by`
    (empty: one total row)."""
    additive = [c for c in counts.columns if c not in ("day", "device", "source")]
    sums = [pl.col(c).sum() for c in additive]
    grouped = counts.group_by(by).agg(sums).sort(by) if by else counts.select(sums)
    return grouped.with_columns(
        pl.col("revenue").round(2),
        _rate(pl.col("sessions_with_purchase"), pl.col("sessions")).alias("conversion_rate"),
        _rate(pl.col("_cart_left"), pl.col("sessions_with_cart")).alias("cart_abandonment_rate"),
        _rate(pl.col("_checkout_left"), pl.col("sessions_with_checkout")).alias(
            "checkout_abandonment_rate"
        ),
    ).drop("_cart_left", "_checkout_left")


def _keyed(frame: pl.DataFrame, key: str) -> dict:
    return {str(row.pop(key)): {k: row[k] for k in FUNNEL_KEYS} for row in frame.to_dicts()}


def traffic_truth(tallies: list[tuple[pl.DataFrame, pl.DataFrame]]) -> dict:
    """The ``traffic`` section of the ground truth from the :func:`traffic_tally` of every part."""
    sessions = pl.concat([counts for counts, _ in tallies])
    events = (
        pl.concat([by_name for _, by_name in tallies])
        .group_by("event_name")
        .agg(pl.col("events").sum(), pl.col("purchase_value").sum())
        .sort("event_name")
    )
    total = funnel(sessions, []).to_dicts()[0]
    return {
        "events": int(events["events"].sum()),
        "events_by_name": dict(zip(events["event_name"].to_list(), events["events"].to_list())),
        "purchase_revenue": round(float(events["purchase_value"].sum()), 2),
        **{k: total[k] for k in FUNNEL_KEYS},
        "by_device": _keyed(funnel(sessions, ["device"]), "device"),
        "by_source": _keyed(funnel(sessions, ["source"]), "source"),
        "per_day": _keyed(funnel(sessions, ["day"]), "day"),
    }


def _mean(series: pl.Series) -> float | None:
    value = series.mean()
    return None if value is None else round(float(value), 4)


def _nps(scores: pl.Series) -> float | None:
    if scores.len() == 0:
        return None
    return round(100.0 * (float((scores >= 9).mean()) - float((scores <= 6).mean())), 2)


def feedback_truth(feedback: pl.DataFrame, deliveries: pl.DataFrame) -> dict:
    """The ``feedback`` section of the ground truth (feedback carries ``is_late``)."""
    reviews = feedback.filter(pl.col("feedback_type") == "review")
    nps = feedback.filter(pl.col("feedback_type") == "nps")
    late = int(deliveries["is_late"].sum())
    return {
        "deliveries": deliveries.height,
        "late_deliveries": late,
        "late_delivery_share": round(late / deliveries.height, 4) if deliveries.height else None,
        "reviews": reviews.height,
        "nps_answers": nps.height,
        "mean_rating_late": _mean(reviews.filter("is_late")["rating"]),
        "mean_rating_on_time": _mean(reviews.filter(~pl.col("is_late"))["rating"]),
        "mean_nps_late": _mean(nps.filter("is_late")["nps_score"]),
        "mean_nps_on_time": _mean(nps.filter(~pl.col("is_late"))["nps_score"]),
        "nps_late": _nps(nps.filter("is_late")["nps_score"]),
        "nps_on_time": _nps(nps.filter(~pl.col("is_late"))["nps_score"]),
    }


def orders_truth(orders: pl.DataFrame) -> dict:
    """The ``orders`` section of the ground truth."""
    status = orders.group_by("order_status").agg(pl.col("order_id").n_unique())
    by_status = dict(zip(status["order_status"].to_list(), status["order_id"].to_list()))
    return {
        "orders_placed": by_status.get("placed", 0),
        "orders_cancelled": by_status.get("cancelled", 0),
        "order_lines": orders.height,
    }
