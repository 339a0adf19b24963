"""Purchasing sessions: one per placed order, ending at the order's ``ordered_at``.

Each placed order gets the clicks that led to it: a landing ``page_view``, then
``view_item`` + ``add_to_cart`` for its first :data:`CART_EVENT_LINES` lines with a
positive quantity (larger orders are bulk-pasted; the purchase still carries the whole
order), ``begin_checkout`` and ``purchase`` (``order_id`` and the full order value, which
is <= 0 for the few stock-adjustment "orders" of the real shop; those have no cart
events). Clicks are 5 s .. 5 min apart (exponential, mean 75 s) and the session is
shifted or squeezed so it never starts before midnight.

When a visitor places a second order less than :data:`SESSION_SEPARATION_US` after the
previous session ended, both orders share one session: the later order's clicks are
spread evenly between the two purchases (no page_view), so no gap inside a session
exceeds 25 minutes and a 30-minute sessionizer finds the same sessions.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from simulator.timing import (
    DAY_US,
    SECOND_US,
    SESSION_SEPARATION_US,
    click_gaps,
    group_offsets,
    position_in_group,
)

CART_EVENT_LINES = 10


def placed_orders(orders: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Placed orders and their cart lines.

    Args:
        orders: canonical order lines.

    Returns:
        (order table sorted by order_id: order_id, ordered_at (latest line), customer_id,
        country, value, n_lines; cart lines: order_id, sku, quantity, unit_price for the
        first CART_EVENT_LINES positive-quantity lines of each order, in file order).
    """
    placed = orders.with_row_index("_row").filter(pl.col("order_status") == "placed")
    table = (
        placed.group_by("order_id")
        .agg(
            pl.col("ordered_at").max(),
            pl.col("customer_id").drop_nulls().first(),
            pl.col("country").drop_nulls().first(),
            (pl.col("quantity") * pl.col("unit_price") - pl.col("discount").fill_null(0.0))
            .sum()
            .alias("value"),
            pl.len().alias("n_lines"),
        )
        .sort("order_id")
    )
    cart_lines = (
        placed.filter(pl.col("quantity") > 0)
        .filter(pl.col("_row").rank("ordinal").over("order_id") <= CART_EVENT_LINES)
        .select("order_id", "sku", "quantity", "unit_price", "_row")
    )
    return table, cart_lines


def purchase_events(
    orders: pl.DataFrame, cart_lines: pl.DataFrame, rng: np.random.Generator
) -> pl.DataFrame:
    """Events of the purchasing sessions.

    Args:
        orders: placed orders with a ``user_key`` column (from :func:`placed_orders` plus users).
        cart_lines: the cart lines from :func:`placed_orders`.
        rng: the simulation's random generator.

    Returns:
        One row per event: session_key (0-based, per purchasing session), user_key, event_at
        (datetime), event_name, order_id, sku, quantity, value, customer_id, country.
    """
    orders = orders.sort("user_key", "ordered_at", "order_id")
    n_cart, lines = _cart_lines_per_order(orders, cart_lines)
    # Full layout, as if every order opened its session:
    # page_view, (view_item, add_to_cart) * n_cart, begin_checkout, purchase.
    n_full = 2 * n_cart + 3
    order_ix, k = position_in_group(n_full)
    session, event_at, keep = _session_clicks(orders, n_full, order_ix, k, rng)
    name, line = _event_names(n_cart, n_full, order_ix, k)
    events = _event_rows(orders, lines, order_ix, session, event_at, name, line)
    return (
        events.filter(pl.Series(keep))
        .with_columns(
            pl.when(pl.col("event_name") == "purchase").then(pl.col("order_id")).alias("order_id"),
            pl.when(pl.col("has_line")).then(pl.col("sku")).alias("sku"),
            pl.when(pl.col("event_name") == "add_to_cart")
            .then(pl.col("quantity"))
            .alias("quantity"),
            pl.col("value").fill_nan(None).round(2),
        )
        .drop("has_line")
    )


def _cart_lines_per_order(
    orders: pl.DataFrame, cart_lines: pl.DataFrame
) -> tuple[np.ndarray, pl.DataFrame]:
    """(cart lines per order, in ``orders`` order; the cart lines in order and file order)."""
    n_cart = (
        orders.join(
            cart_lines.group_by("order_id").agg(pl.len().alias("n_cart")),
            on="order_id",
            how="left",
            maintain_order="left",
        )["n_cart"]
        .fill_null(0)
        .to_numpy()
        .astype(np.int64)
    )
    lines = cart_lines.join(orders.select("order_id").with_row_index("_order"), on="order_id").sort(
        "_order", "_row"
    )
    return n_cart, lines


def _session_clicks(
    orders: pl.DataFrame,
    n_full: np.ndarray,
    order_ix: np.ndarray,
    k: np.ndarray,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """When each click of the full layout happens and whether it is kept.

    Returns:
        (session per order, event time per click in microseconds, keep per click: a later
        order merged into the previous session has no page_view).
    """
    ordered_at = orders["ordered_at"].dt.epoch("us").to_numpy()
    user = orders["user_key"].to_numpy()
    gaps = click_gaps(rng, order_ix.size)
    gaps[k == n_full[order_ix] - 1] = 0  # the purchase ends the session
    duration = np.add.reduceat(gaps, group_offsets(n_full))
    day_start = ordered_at - ordered_at % DAY_US
    squeeze = np.minimum(1.0, (ordered_at - day_start - SECOND_US) / np.maximum(duration, 1))
    start = ordered_at - (duration * squeeze).astype(np.int64)
    start -= start % SECOND_US

    prev_user = np.concatenate(([-1], user[:-1]))
    prev_at = np.concatenate(([np.iinfo(np.int64).min // 2], ordered_at[:-1]))
    first = (
        (user != prev_user)
        | (start - prev_at > SESSION_SEPARATION_US)
        | (day_start != prev_at - prev_at % DAY_US)
    )
    session = np.cumsum(first) - 1

    suffix = np.cumsum(gaps[::-1])[::-1]  # sum of gaps from this event to the end of the array
    order_end = group_offsets(n_full) + n_full - 1
    to_purchase = suffix - suffix[order_end][order_ix]
    at_first = ordered_at[order_ix] - (to_purchase * squeeze[order_ix]).astype(np.int64)
    at_first -= at_first % SECOND_US
    # Later orders of a merged session: clicks spread evenly after the previous purchase.
    n_merged = n_full - 1
    span = ordered_at - prev_at
    at_merged = prev_at[order_ix] + span[order_ix] * k // n_merged[order_ix]
    at_merged -= at_merged % SECOND_US  # files carry whole seconds
    keep = first[order_ix] | (k > 0)
    return session, np.where(first[order_ix], at_first, at_merged), keep


def _event_names(
    n_cart: np.ndarray, n_full: np.ndarray, order_ix: np.ndarray, k: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(event name per click, index of its cart line or -1)."""
    inner = k - 1
    is_cart = (inner >= 0) & (inner < 2 * n_cart[order_ix])
    name = np.select(
        [k == 0, is_cart & (inner % 2 == 0), is_cart, k == n_full[order_ix] - 2],
        ["page_view", "view_item", "add_to_cart", "begin_checkout"],
        "purchase",
    )
    line = np.where(is_cart, group_offsets(n_cart)[order_ix] + np.maximum(inner, 0) // 2, -1)
    return name, line


def _event_rows(
    orders: pl.DataFrame,
    lines: pl.DataFrame,
    order_ix: np.ndarray,
    session: np.ndarray,
    event_at: np.ndarray,
    name: np.ndarray,
    line: np.ndarray,
) -> pl.DataFrame:
    """One row per click of the full layout, with its line's SKU, quantity and value."""
    line_sku = lines["sku"].to_numpy()
    line_qty = lines["quantity"].to_numpy()
    line_price = lines["unit_price"].to_numpy()
    safe = np.maximum(line, 0)
    has_line = line >= 0
    add = name == "add_to_cart"
    value = (
        np.where(add, line_qty[safe] * line_price[safe], line_price[safe])
        if line_sku.size
        else np.zeros(line.size)
    )
    order_value = orders["value"].to_numpy()[order_ix]
    value = np.where(
        has_line,
        value,
        np.where((name == "begin_checkout") | (name == "purchase"), order_value, np.nan),
    )
    return pl.DataFrame(
        {
            "session_key": session[order_ix],
            "user_key": orders["user_key"].to_numpy()[order_ix],
            "event_at": pl.Series(event_at).cast(pl.Datetime("us")),
            "event_name": name,
            "order_id": orders["order_id"].gather(order_ix),
            "sku": pl.Series(
                line_sku[safe] if line_sku.size else np.full(line.size, ""), dtype=pl.String
            ),
            "has_line": has_line,
            "quantity": line_qty[safe] if line_qty.size else np.zeros(line.size, dtype=np.int64),
            "value": value,
            "customer_id": orders["customer_id"].gather(order_ix),
            "country": orders["country"].gather(order_ix),
        }
    )
