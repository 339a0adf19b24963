"""Web analytics events around an order history (the generic traffic contract).

Visitors: each customer with a placed order browses from 1 device (65 %) or 2 (35 %),
each a stable ``user_id``; a guest order gets a fresh ``user_id``; anonymous visitors who
never buy come from a pool with about 1.3 sessions each, and 10 % of non-buying sessions
are known customers coming back. Devices and traffic sources differ for buyers and
browsers (:data:`DEVICE_MIX`, :data:`SOURCE_MIX`: e-mail converts best, social worst).
A visitor's sessions are more than 35 minutes apart: a non-buying session too close to
another session of the same visitor is dropped, never moved.

Ids: ``user_id`` ``U0000123`` (random order), ``session_id`` ``S00000001`` in start-time
order, ``event_id`` ``<session_id>-<nnnn>`` in event order within the session.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl

from simulator.browse_sessions import SESSION_CONVERSION, browse_events, plan_browse_sessions
from simulator.purchase_sessions import placed_orders, purchase_events
from simulator.timing import DAY_US, SESSION_SEPARATION_US
from simulator.visitors import (
    DEVICE_MIX,
    DEVICES,
    Visitors,
    assign_browse_visitors,
    assign_order_users,
    customer_countries,
    customer_users,
    user_devices,
)

SOURCES = (
    ("google", "organic"),
    ("google", "cpc"),
    ("(direct)", "(none)"),
    ("newsletter", "email"),
    ("facebook", "social"),
    ("bing", "organic"),
    ("giftbuyers-forum", "referral"),
)
SOURCE_MIX = {
    "buyer": (0.25, 0.15, 0.25, 0.22, 0.04, 0.04, 0.05),
    "browser": (0.34, 0.18, 0.18, 0.06, 0.14, 0.05, 0.05),
}
LANDING_PAGES = (
    "/",
    "/collections/new-in",
    "/collections/christmas",
    "/collections/candles-holders",
    "/collections/kitchen-dining",
    "/collections/bags",
    "/search",
)
TRAFFIC_COLUMNS = (
    "event_at",
    "event_name",
    "user_id",
    "session_id",
    "event_id",
    "customer_id",
    "order_id",
    "sku",
    "quantity",
    "value",
    "device",
    "source",
    "medium",
    "country",
    "page",
    "visitor_type",  # left empty: like most analytics exports, visitors come unlabelled
)


def _drop_too_close(sessions: pl.DataFrame) -> pl.DataFrame:
    """Drop removable sessions until a visitor's sessions are all > 35 minutes apart."""
    while True:
        sessions = sessions.sort("user_key", "start_us", "session_key")
        user = sessions["user_key"].to_numpy()
        start = sessions["start_us"].to_numpy()
        end = sessions["end_us"].to_numpy()
        removable = sessions["removable"].to_numpy()
        close = np.zeros(len(user), dtype=bool)
        close[1:] = (user[1:] == user[:-1]) & (start[1:] - end[:-1] <= SESSION_SEPARATION_US)
        drop_later = close & removable
        drop_earlier = np.zeros_like(close)
        drop_earlier[:-1] = close[1:] & ~removable[1:] & removable[:-1]
        drop = drop_later | drop_earlier
        if not drop.any():
            return sessions
        sessions = sessions.filter(pl.Series(~drop))


def product_weights(catalog: pl.DataFrame, orders: pl.DataFrame) -> pl.DataFrame:
    """Products shown to browsers (catalog rows with a price), weighted by their order lines."""
    return (
        catalog.filter(pl.col("is_product") & (pl.col("unit_price") > 0))
        .join(orders.group_by("sku").agg(pl.len().alias("weight")), on="sku")
        .sort("sku")
    )


def simulate_traffic(
    orders: pl.DataFrame,
    catalog: pl.DataFrame,
    first_day: date,
    last_day: date,
    rng: np.random.Generator,
    session_conversion: float = SESSION_CONVERSION,
) -> pl.DataFrame:
    """Traffic events around the orders, in the generic traffic contract columns.

    Args:
        orders: canonical order lines.
        catalog: the simulated catalog (sku, unit_price, is_product).
        first_day: first day with traffic.
        last_day: last day with traffic.
        rng: the simulation's random generator.
        session_conversion: share of sessions that buy (simulator/browse_sessions.py).

    Returns:
        One row per event sorted by event_at, session_id, event_id (TRAFFIC_COLUMNS).
    """
    order_table, _ = placed_orders(orders)
    users = customer_users(order_table, rng)
    n_known_users = users.height + int(order_table["customer_id"].is_null().sum())
    visitors = Visitors(
        users, customer_countries(order_table, users), users.height, (n_known_users, None)
    )
    products = product_weights(catalog, orders)
    return traffic_of_days(orders, products, visitors, first_day, last_day, rng, session_conversion)


def traffic_of_days(
    orders: pl.DataFrame,
    products: pl.DataFrame,
    visitors: Visitors,
    first_day: date,
    last_day: date,
    rng: np.random.Generator,
    session_conversion: float = SESSION_CONVERSION,
    first_session_rank: int = 0,
) -> pl.DataFrame:
    """Traffic events of the days first_day..last_day around the orders of those days.

    Args:
        orders: canonical order lines of those days.
        products: :func:`product_weights` (of the whole shop when generating in parts).
        visitors: the shop's visitors (:class:`Visitors`).
        first_day: first day with traffic.
        last_day: last day with traffic.
        rng: the simulation's random generator.
        session_conversion: share of sessions that buy (simulator/browse_sessions.py).
        first_session_rank: sessions of earlier parts; ids continue after them.

    Returns:
        One row per event sorted by event_at, session_id, event_id (TRAFFIC_COLUMNS).
    """
    order_table, cart_lines = placed_orders(orders)
    order_table = assign_order_users(order_table, visitors.users, visitors.first_guest_key, rng)
    bought = purchase_events(order_table, cart_lines, rng)

    bought_sessions = (
        bought.group_by("session_key")
        .agg(pl.col("event_at").min().dt.date().alias("day"))
        .group_by("day")
        .agg(pl.len().alias("sessions"))
    )
    calendar = pl.DataFrame({"day": pl.date_range(first_day, last_day, "1d", eager=True)})
    per_day = calendar.join(bought_sessions, on="day", how="left").fill_null(0).sort("day")
    order_us = order_table["ordered_at"].dt.epoch("us").to_numpy()
    plan = plan_browse_sessions(per_day, order_us % DAY_US, rng, session_conversion)

    first_browse_key = int(bought["session_key"].max()) + 1 if bought.height else 0
    plan = assign_browse_visitors(
        plan,
        order_table,
        visitors.users,
        visitors.user_country,
        visitors.anonymous,
        first_browse_key,
        rng,
    )
    browsed = browse_events(plan, products, rng)
    events = pl.concat([bought, browsed])
    n_known_users = visitors.anonymous[0]
    n_users = int(plan["user_key"].max() or 0) + 1 if plan.height else n_known_users
    return _finish(events, max(n_users, n_known_users), visitors, rng, first_session_rank)


def _finish(
    events: pl.DataFrame,
    n_users: int,
    visitors: Visitors,
    rng: np.random.Generator,
    first_session_rank: int,
) -> pl.DataFrame:
    """Number the sessions and events in time order and label them for the export: session
    and event ids, user id, device, source, medium and page."""
    sessions = (
        events.group_by("session_key")
        .agg(
            pl.col("user_key").first(),
            pl.col("event_at").min().dt.epoch("us").alias("start_us"),
            pl.col("event_at").max().dt.epoch("us").alias("end_us"),
            (pl.col("event_name") != "purchase").all().alias("removable"),
        )
        .sort("session_key")
    )
    kept = _drop_too_close(sessions).sort("start_us", "user_key", "session_key")
    labels = _session_labels(kept, n_users, visitors, rng)
    events = _in_event_order(events, kept)
    rank_ix = events["_rank"]
    session_number = pl.col("_rank") + 1 + first_session_rank
    events = events.with_columns(
        pl.format("S{}", session_number.cast(pl.String).str.zfill(8)).alias("session_id"),
        *(labels[name].gather(rank_ix).alias(name) for name in labels.columns),
    )
    page = (
        pl.when(pl.col("event_name") == "page_view")
        .then(pl.col("landing"))
        .when(pl.col("event_name").is_in(["view_item", "add_to_cart"]))
        .then(pl.format("/products/{}", pl.col("sku")))
        .when(pl.col("event_name") == "begin_checkout")
        .then(pl.lit("/checkout"))
        .otherwise(pl.lit("/checkout/thank-you"))
    )
    event_id = pl.format("{}-{}", pl.col("session_id"), pl.col("_seq").cast(pl.String).str.zfill(4))
    return events.with_columns(
        event_id.alias("event_id"),
        page.alias("page"),
        pl.lit(None, pl.String).alias("visitor_type"),
    ).select(TRAFFIC_COLUMNS)


def _session_labels(
    kept: pl.DataFrame, n_users: int, visitors: Visitors, rng: np.random.Generator
) -> pl.DataFrame:
    """Per kept session, in its order: user_id, device, source, medium and landing page.

    A guest buyer's device is drawn per session; everyone else keeps their user's device.
    """
    buyer = ~kept["removable"].to_numpy()
    n = kept.height
    n_customer_users = visitors.users.height
    device_of_user = visitors.device
    if device_of_user is None:
        device_of_user = user_devices(n_users, n_customer_users, rng)
    user_key = kept["user_key"].to_numpy()
    guest_buyer = buyer & (user_key >= n_customer_users)
    device = np.where(
        guest_buyer, rng.choice(len(DEVICES), n, p=DEVICE_MIX["buyer"]), device_of_user[user_key]
    )
    source = np.where(
        buyer,
        rng.choice(len(SOURCES), n, p=SOURCE_MIX["buyer"]),
        rng.choice(len(SOURCES), n, p=SOURCE_MIX["browser"]),
    )
    name_rank = visitors.name_rank
    if name_rank is None:
        name_rank = rng.permutation(n_users)
    user_names = pl.Series([f"U{i:07d}" for i in name_rank[user_key]], dtype=pl.String)
    landing = np.array(LANDING_PAGES)[rng.integers(0, len(LANDING_PAGES), n)]
    return pl.DataFrame(
        {
            "user_id": user_names,
            "device": pl.Series(np.array(DEVICES)[device]),
            "source": pl.Series(np.array([s for s, _ in SOURCES])[source]),
            "medium": pl.Series(np.array([m for _, m in SOURCES])[source]),
            "landing": pl.Series(landing),
        }
    )


def _in_event_order(events: pl.DataFrame, kept: pl.DataFrame) -> pl.DataFrame:
    """The events of the kept sessions with _rank (the session's place in ``kept``) and
    _seq (1, 2, ... within the session), sorted by event_at, _rank, _seq.

    Integer keys for the heavy sorts; strings are made once, in final order.
    """
    ranks = kept.select("session_key", pl.int_range(0, kept.height, dtype=pl.Int64).alias("_rank"))
    events = (
        events.with_row_index("_generated")
        .join(ranks, on="session_key")
        .sort("_rank", "event_at", "_generated")
    )
    rank = events["_rank"].to_numpy()
    seq = np.arange(rank.size) - np.searchsorted(rank, rank)
    return events.with_columns(pl.Series("_seq", seq + 1)).sort("event_at", "_rank", "_seq")
