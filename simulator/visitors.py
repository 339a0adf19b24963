"""The visitors of the simulated web shop: customers' devices, guests, anonymous browsers.

Each customer with a placed order browses from 1 device (65 %) or 2 (35 %), each a stable
user key; a guest order gets a fresh key; anonymous visitors who never buy come from a
pool with about 1.3 sessions each, and 10 % of non-buying sessions are known customers
coming back. Keys: customers' devices first, then guests, then the anonymous pool.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

DEVICES = ("desktop", "mobile", "tablet")
DEVICE_MIX = {"buyer": (0.62, 0.28, 0.10), "browser": (0.42, 0.48, 0.10)}
SECOND_DEVICE_SHARE = 0.35
KNOWN_CUSTOMER_BROWSE_SHARE = 0.10
SESSIONS_PER_ANONYMOUS_VISITOR = 1.3


@dataclass(frozen=True)
class Visitors:
    """Who browses. ``users``: the customers' devices (user_key, customer_id, slot, devices),
    ``user_country``: their first order's country; guest orders take keys from
    ``first_guest_key`` on (order_id order); anonymous visitors come from the pool
    ``anonymous`` = (first key, size; None: sized for the sessions drawn). ``device`` and
    ``name_rank`` (index = user key) are drawn once when a range is generated in parts,
    None: drawn with the sessions."""

    users: pl.DataFrame
    user_country: pl.Series
    first_guest_key: int
    anonymous: tuple[int, int | None]
    device: np.ndarray | None = None
    name_rank: np.ndarray | None = None


def customer_users(order_table: pl.DataFrame, rng: np.random.Generator) -> pl.DataFrame:
    customers = order_table["customer_id"].drop_nulls().unique().sort()
    second = rng.random(customers.len()) < SECOND_DEVICE_SHARE
    users = pl.DataFrame({"customer_id": customers, "devices": 1 + second.astype(np.int64)})
    users = users.select(
        pl.col("customer_id").repeat_by("devices").explode(),
        pl.int_ranges(0, pl.col("devices")).explode().alias("slot"),
        pl.col("devices").repeat_by("devices").explode(),
    )
    return users.with_row_index("user_key").with_columns(pl.col("user_key").cast(pl.Int64))


def user_devices(n_users: int, n_customer_users: int, rng: np.random.Generator) -> np.ndarray:
    """Device index of each user key: customers (the first keys) with the buyers' mix."""
    device_of_user = rng.choice(len(DEVICES), n_users, p=DEVICE_MIX["browser"])
    device_of_user[:n_customer_users] = rng.choice(
        len(DEVICES), n_customer_users, p=DEVICE_MIX["buyer"]
    )
    return device_of_user


def assign_order_users(
    order_table: pl.DataFrame, users: pl.DataFrame, first_guest_key: int, rng: np.random.Generator
) -> pl.DataFrame:
    devices = order_table.join(
        users.filter(pl.col("slot") == 0).select("customer_id", "devices"),
        on="customer_id",
        how="left",
        maintain_order="left",
    )["devices"].fill_null(1)
    slot = (rng.random(order_table.height) * devices.to_numpy()).astype(np.int64)
    with_slot = order_table.with_columns(pl.Series("slot", slot))
    joined = with_slot.join(
        users.select("customer_id", "slot", "user_key"),
        on=["customer_id", "slot"],
        how="left",
        maintain_order="left",
    )
    is_guest = joined["user_key"].is_null().to_numpy()
    guest_keys = first_guest_key + np.cumsum(is_guest) - 1
    return joined.with_columns(
        pl.Series("user_key", np.where(is_guest, guest_keys, joined["user_key"].fill_null(0)))
    )


def customer_countries(order_table: pl.DataFrame, users: pl.DataFrame) -> pl.Series:
    """The country of each customer user's first order (aligned with `users`)."""
    first_country = (
        order_table.filter(pl.col("customer_id").is_not_null())
        .sort("order_id")
        .group_by("customer_id")
        .agg(pl.col("country").first())
    )
    return users.join(first_country, on="customer_id", how="left", maintain_order="left")["country"]


def anonymous_visitors(anonymous_sessions: float) -> int:
    """Size of the pool of anonymous visitors for that many sessions of unknown visitors."""
    return max(int(np.ceil(anonymous_sessions / SESSIONS_PER_ANONYMOUS_VISITOR)), 1)


def assign_browse_visitors(
    plan: pl.DataFrame,
    order_table: pl.DataFrame,
    users: pl.DataFrame,
    user_country: pl.Series,
    anonymous: tuple[int, int | None],
    first_session_key: int,
    rng: np.random.Generator,
) -> pl.DataFrame:
    """Give each non-buying session a visitor: a returning customer or an anonymous one,
    a key drawn from the pool ``anonymous`` = (first key, size; None: sized for this plan)."""
    known = (rng.random(plan.height) < KNOWN_CUSTOMER_BROWSE_SHARE) & (users.height > 0)
    pool = anonymous[1] or anonymous_visitors((~known).sum())
    customer_user = rng.integers(0, max(users.height, 1), plan.height)
    anonymous_user = anonymous[0] + rng.integers(0, pool, plan.height)
    countries = order_table["country"].drop_nulls()
    visitor_country = countries.gather(rng.integers(0, countries.len(), plan.height))
    customer_id = pl.Series([None] * plan.height, dtype=pl.String)
    if users.height:
        customer_id = pl.select(
            pl.when(pl.Series(known)).then(users["customer_id"].gather(customer_user))
        ).to_series()
        visitor_country = pl.select(
            pl.when(pl.Series(known))
            .then(user_country.gather(customer_user))
            .otherwise(visitor_country)
        ).to_series()
    return (
        plan.with_columns(
            pl.Series("user_key", np.where(known, customer_user, anonymous_user).astype(np.int64)),
            pl.Series("customer_id", customer_id, dtype=pl.String),
            pl.Series("country", visitor_country, dtype=pl.String),
        )
        .with_row_index("session_key", offset=first_session_key)
        .with_columns(pl.col("session_key").cast(pl.Int64))
    )
