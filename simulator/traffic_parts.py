"""Web traffic of a long range drawn a few days at a time, so memory does not grow with the shop.

:func:`simulator.traffic.simulate_traffic` draws the whole range at once: its frames grow
with the events (~3.4 GB for the benchmark's SF1 year of 4.9M events, ~34 GB at SF10).
Parts of whole days can be drawn one after the other with the same rules because a
session never crosses midnight and a visitor's sessions on two days are hours apart
(sessions start 06:30-23:00 and end before midnight), so the 35-minute separation never
spans two parts. What the parts share is drawn once for the whole range: the customers'
devices and first countries, guest keys (a disjoint range per part, in day order), the
pool of anonymous visitors (sized for the range's expected non-buying sessions), every
visitor's device and user_id, and the products' popularity. Session ids continue from
part to part, so they stay in start-time order over the range.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import numpy as np
import polars as pl

from simulator.browse_sessions import NON_TRADING_DAY_TRAFFIC, kind_rates
from simulator.purchase_sessions import placed_orders
from simulator.traffic import product_weights, traffic_of_days
from simulator.visitors import (
    KNOWN_CUSTOMER_BROWSE_SHARE,
    Visitors,
    anonymous_visitors,
    customer_countries,
    customer_users,
    user_devices,
)

# ~400k web events per part, whatever the shop's size (1.25 % session conversion).
PART_DAYS_AT_SCALE_1 = 30


def part_days(scale: float) -> int:
    """Days per part for a synthetic shop of `scale` (at least one).

    Args:
        scale: the synthetic shop's size factor.

    Returns:
        PART_DAYS_AT_SCALE_1 / scale days, rounded down, at least 1.
    """
    return max(1, int(PART_DAYS_AT_SCALE_1 / scale))


def expected_non_buying_sessions(
    order_days: pl.Series, first_day: date, last_day: date, session_conversion: float
) -> float:
    """Mean number of non-buying sessions of the range (one buying session per placed
    order, days without orders as in :func:`simulator.browse_sessions.plan_browse_sessions`)."""
    calendar = pl.DataFrame({"day": pl.date_range(first_day, last_day, "1d", eager=True)})
    counts = order_days.value_counts(name="orders").rename({order_days.name: "day"})
    buying = calendar.join(counts, on="day", how="left")["orders"].fill_null(0).to_numpy()
    trading_mean = buying[buying > 0].mean() if (buying > 0).any() else 1.0
    effective = np.where(buying > 0, buying, NON_TRADING_DAY_TRAFFIC * trading_mean)
    return float(sum(kind_rates(session_conversion).values()) * effective.sum())


def traffic_in_parts(
    orders: pl.DataFrame,
    catalog: pl.DataFrame,
    first_day: date,
    last_day: date,
    rng: np.random.Generator,
    session_conversion: float,
    days_per_part: int,
) -> Iterator[pl.DataFrame]:
    """Traffic events around the orders, one part of `days_per_part` days after the other.

    Args:
        orders: canonical order lines of the whole range.
        catalog: the simulated catalog (sku, unit_price, is_product).
        first_day: first day with traffic.
        last_day: last day with traffic.
        rng: the random generator of the traffic (drawn from as the parts are taken).
        session_conversion: share of sessions that buy (simulator/browse_sessions.py).
        days_per_part: days per part (:func:`part_days`).

    Returns:
        An iterator of frames, one per part in day order, each sorted by event_at,
        session_id, event_id in the traffic contract columns (simulator.traffic.TRAFFIC_COLUMNS).
    """
    shared, guest_days = _whole_range_visitors(orders, first_day, last_day, rng, session_conversion)
    products = product_weights(catalog, orders)
    sessions_before = 0
    part_start = first_day
    while part_start <= last_day:
        part_end = min(part_start + timedelta(days=days_per_part - 1), last_day)
        part_orders = orders.filter(pl.col("ordered_at").dt.date().is_between(part_start, part_end))
        guests_before = int((guest_days < part_start).sum())
        visitors = Visitors(first_guest_key=shared["users"].height + guests_before, **shared)
        events = traffic_of_days(
            part_orders,
            products,
            visitors,
            part_start,
            part_end,
            rng,
            session_conversion,
            sessions_before,
        )
        sessions_before += events["session_id"].n_unique()
        yield events
        part_start = part_end + timedelta(days=1)


def _whole_range_visitors(
    orders: pl.DataFrame,
    first_day: date,
    last_day: date,
    rng: np.random.Generator,
    session_conversion: float,
) -> tuple[dict, pl.Series]:
    """The visitors every part shares, drawn once for the whole range: customers' users
    and countries, the anonymous pool, devices and name order (the :class:`Visitors`
    fields but first_guest_key); and the day of each guest order, in order."""
    order_table, _ = placed_orders(orders)
    order_table = order_table.with_columns(pl.col("ordered_at").dt.date().alias("day"))
    users = customer_users(order_table, rng)
    guest_days = order_table.filter(pl.col("customer_id").is_null())["day"]
    non_buying = expected_non_buying_sessions(
        order_table["day"], first_day, last_day, session_conversion
    )
    pool = anonymous_visitors((1 - KNOWN_CUSTOMER_BROWSE_SHARE) * non_buying)
    n_known = users.height + guest_days.len()
    shared = {
        "users": users,
        "user_country": customer_countries(order_table, users),
        "anonymous": (n_known, pool),
        "device": user_devices(n_known + pool, users.height, rng),
        "name_rank": rng.permutation(n_known + pool),
    }
    return shared, guest_days
