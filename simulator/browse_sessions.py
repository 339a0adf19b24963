"""Sessions that do not buy: browse-only, cart-abandon and checkout-abandon.

Per calendar day, with ``B`` the purchasing sessions of that day (days without orders use
a quarter of the average trading day's ``B``: the site is up when the shop does not
ship), the counts are Poisson with these means, chosen for a B2B-leaning gift shop:

- total sessions ~ ``B / c`` with the session conversion ``c`` (4.5 % by default; a
  synthetic B2C shop passes its own, see :data:`simulator.exports.SYNTHETIC_SESSION_CONVERSION`),
- sessions with a cart ~ ``B / 0.30`` (cart abandonment about 70 %),
- sessions with a checkout ~ ``B / 0.55`` (checkout abandonment about 45 %),

so checkout-abandon ``0.82 B``, cart-abandon ``1.52 B`` and browse-only ``18.9 B`` at 4.5 %.
A browse session is a landing page_view and 0+ view_items (geometric, mean 1.5); a cart
session views 1+ items (mean 2.5) and adds 1 + Binomial(views - 1, 0.3) of them; a
checkout-abandon session ends with begin_checkout. Start times follow the shop's order
time of day (70 %) or are uniform 07:00-23:00 (30 %); no session crosses midnight.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from simulator.timing import DAY_US, SECOND_US, click_gaps, group_offsets, position_in_group

SESSION_CONVERSION = 0.045
CART_SESSIONS_PER_PURCHASE = 1 / 0.30
CHECKOUT_SESSIONS_PER_PURCHASE = 1 / 0.55
NON_TRADING_DAY_TRAFFIC = 0.25


def kind_rates(session_conversion: float = SESSION_CONVERSION) -> dict[str, float]:
    """Non-buying sessions per purchasing session, by kind, for a session conversion rate.

    Args:
        session_conversion: share of sessions that buy; at most the share of sessions
            with a cart (30 %), since every buying session had one.

    Returns:
        {"checkout_abandon": ..., "cart_abandon": ..., "browse": ...}.
    """
    if not 0 < session_conversion <= 1 / CART_SESSIONS_PER_PURCHASE:
        raise ValueError(
            f"session_conversion {session_conversion} must be above 0 and at most "
            f"{1 / CART_SESSIONS_PER_PURCHASE:.2f}: every buying session had a cart"
        )
    return {
        "checkout_abandon": CHECKOUT_SESSIONS_PER_PURCHASE - 1,
        "cart_abandon": CART_SESSIONS_PER_PURCHASE - CHECKOUT_SESSIONS_PER_PURCHASE,
        "browse": 1 / session_conversion - CART_SESSIONS_PER_PURCHASE,
    }


MAX_VIEWS = 15
CART_QUANTITIES = (1, 2, 3, 4, 6, 12, 24)
CART_QUANTITY_PROBS = (0.2, 0.15, 0.1, 0.1, 0.15, 0.2, 0.1)


def plan_browse_sessions(
    purchases_per_day: pl.DataFrame,
    order_times_of_day_us: np.ndarray,
    rng: np.random.Generator,
    session_conversion: float = SESSION_CONVERSION,
) -> pl.DataFrame:
    """Draw the non-buying sessions: kind, day, start, size.

    Args:
        purchases_per_day: every calendar day of the range (``day`` Date, sorted) with its
            purchasing ``sessions``.
        order_times_of_day_us: time of day (microseconds after midnight) of placed orders.
        rng: the simulation's random generator.
        session_conversion: share of all sessions that buy (sets the browse-only volume).

    Returns:
        One row per session: kind, start_us (epoch microseconds), n_views, n_adds, n_events.
    """
    buying = purchases_per_day["sessions"].to_numpy().astype(float)
    trading_mean = buying[buying > 0].mean() if (buying > 0).any() else 1.0
    effective = np.where(buying > 0, buying, NON_TRADING_DAY_TRAFFIC * trading_mean)
    day_us = purchases_per_day["day"].cast(pl.Datetime("us")).dt.epoch("us").to_numpy()
    kinds, days = [], []
    for kind, rate in kind_rates(session_conversion).items():
        counts = rng.poisson(rate * effective)
        kinds.append(np.full(counts.sum(), kind))
        days.append(np.repeat(day_us, counts))
    kind = np.concatenate(kinds)
    day = np.concatenate(days)
    n = kind.size
    shopping = kind != "browse"
    views = np.where(shopping, rng.geometric(0.4, n), rng.geometric(0.4, n) - 1).clip(0, MAX_VIEWS)
    adds = np.where(shopping, 1 + rng.binomial(np.maximum(views - 1, 0), 0.3), 0)
    n_events = 1 + views + adds + (kind == "checkout_abandon")

    from_orders = rng.random(n) < 0.7
    if order_times_of_day_us.size:
        sampled = rng.choice(order_times_of_day_us, n) + rng.integers(-30, 31, n) * 60 * SECOND_US
    else:
        sampled = rng.integers(7 * 3600, 23 * 3600, n) * SECOND_US
    uniform = rng.integers(7 * 3600, 23 * 3600, n) * SECOND_US
    time_of_day = np.where(from_orders, sampled, uniform)
    return pl.DataFrame(
        {
            "kind": kind,
            "day_us": day,
            "time_of_day_us": np.clip(time_of_day, 0, DAY_US - 1),
            "n_views": views.astype(np.int64),
            "n_adds": adds.astype(np.int64),
            "n_events": n_events.astype(np.int64),
        }
    )


def browse_events(
    sessions: pl.DataFrame, products: pl.DataFrame, rng: np.random.Generator
) -> pl.DataFrame:
    """Events of the non-buying sessions.

    Args:
        sessions: planned sessions with session_key, user_key, customer_id, country and the
            columns of :func:`plan_browse_sessions`, in session_key order.
        products: sku, unit_price and ``weight`` (popularity) of the products shown.
        rng: the simulation's random generator.

    Returns:
        One row per event: session_key, user_key, event_at, event_name, order_id (null), sku,
        quantity, value, customer_id, country. The session's start is moved earlier when
        needed so that it ends before midnight.
    """
    n_events = sessions["n_events"].to_numpy()
    session_ix, k = position_in_group(n_events)
    event_at = _click_times(sessions, session_ix, k, rng)
    name, item = _event_layout(sessions, session_ix, k)
    has_item = (name == "view_item") | (name == "add_to_cart")
    product, quantity, value = _items_and_values(sessions, products, session_ix, k, name, item, rng)
    events = pl.DataFrame(
        {
            "session_key": sessions["session_key"].to_numpy()[session_ix],
            "user_key": sessions["user_key"].to_numpy()[session_ix],
            "event_at": pl.Series(event_at).cast(pl.Datetime("us")),
            "event_name": name,
            "order_id": pl.Series([None] * k.size, dtype=pl.String),
            "sku": products["sku"].gather(product),
            "has_item": has_item,
            "quantity": quantity.astype(np.int64),
            "value": value,
            "customer_id": sessions["customer_id"].gather(session_ix),
            "country": sessions["country"].gather(session_ix),
        }
    )
    return events.with_columns(
        pl.when(pl.col("has_item")).then(pl.col("sku")).alias("sku"),
        pl.when(pl.col("event_name") == "add_to_cart").then(pl.col("quantity")).alias("quantity"),
        pl.col("value").fill_nan(None).round(2),
    ).drop("has_item")


def _click_times(
    sessions: pl.DataFrame, session_ix: np.ndarray, k: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Each event's time (microseconds): clicks apart by random gaps, the session moved
    earlier when needed so that it ends before midnight."""
    n_events = sessions["n_events"].to_numpy()
    gaps = click_gaps(rng, k.size)
    gaps[k == 0] = 0
    elapsed = np.cumsum(gaps) - np.cumsum(gaps)[group_offsets(n_events)][session_ix]
    duration = elapsed[group_offsets(n_events) + n_events - 1]
    time_of_day = np.minimum(sessions["time_of_day_us"].to_numpy(), DAY_US - SECOND_US - duration)
    start = sessions["day_us"].to_numpy() + np.maximum(time_of_day, 0)
    return start[session_ix] + elapsed


def _event_layout(
    sessions: pl.DataFrame, session_ix: np.ndarray, k: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(event name, index of the shown item among all sessions' views) per event: a
    page_view, (view_item, add_to_cart) pairs, the other views, then begin_checkout."""
    views = sessions["n_views"].to_numpy()
    inner = k - 1
    n_add = sessions["n_adds"].to_numpy()[session_ix]
    in_pairs = (inner >= 0) & (inner < 2 * n_add)
    is_view = (inner >= 0) & (
        (in_pairs & (inner % 2 == 0)) | (~in_pairs & (inner < views[session_ix] + n_add))
    )
    is_add = in_pairs & (inner % 2 == 1)
    name = np.select(
        [k == 0, is_view, is_add], ["page_view", "view_item", "add_to_cart"], "begin_checkout"
    )
    item = np.where(in_pairs, inner // 2, inner - n_add)
    return name, group_offsets(views)[session_ix] + np.clip(item, 0, None)


def _items_and_values(
    sessions: pl.DataFrame,
    products: pl.DataFrame,
    session_ix: np.ndarray,
    k: np.ndarray,
    name: np.ndarray,
    item: np.ndarray,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(product index, cart quantity, value) per event: views draw products by popularity;
    an add is worth quantity x price, a checkout the session's cart."""
    n_events = sessions["n_events"].to_numpy()
    shown = int(sessions["n_views"].to_numpy().sum())
    is_view, is_add = name == "view_item", name == "add_to_cart"
    weight = products["weight"].to_numpy().astype(float)
    sku_ix = rng.choice(products.height, shown, p=weight / weight.sum())
    product = sku_ix[np.minimum(item, max(shown - 1, 0))] if shown else np.zeros(k.size, int)
    price = products["unit_price"].to_numpy()[product]
    quantity = rng.choice(CART_QUANTITIES, k.size, p=CART_QUANTITY_PROBS)
    value = np.where(is_add, quantity * price, np.where(is_view, price, 0.0))
    add_value = np.where(is_add, value, 0.0)
    cart_value = np.add.reduceat(add_value, group_offsets(n_events))[session_ix]
    has_item = is_view | is_add
    value = np.where(name == "begin_checkout", cart_value, np.where(has_item, value, np.nan))
    return product, quantity, value
