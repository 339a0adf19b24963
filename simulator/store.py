"""The simulation core: every other export kind and the ground truth around an order history."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import numpy as np
import polars as pl

from simulator.browse_sessions import SESSION_CONVERSION
from simulator.catalog import simulate_catalog
from simulator.feedback import simulate_deliveries, simulate_feedback
from simulator.inventory import simulate_inventory
from simulator.traffic import simulate_traffic
from simulator.traffic_parts import traffic_in_parts
from simulator.truth import feedback_truth, orders_truth

# The traffic drawn in parts has its own random stream: its draws interleave with the writer.
TRAFFIC_STREAM = 3
FEEDBACK_TEXT_STREAM = 22
RATING_COLLAPSE_STREAM = 23


@dataclass(frozen=True)
class SimulatedStore:
    """The simulated exports (contract columns) and what was generated.

    ``traffic`` is the events in parts of whole days (one frame, or a generator drawing
    each part when taken: iterate it once); its truth section is counted by the writer
    from the parts it writes. ``feedback`` has an extra ``is_late`` column and
    ``deliveries`` is not an export kind: both are ground truth for tests, dropped by the writer.
    """

    traffic: Iterable[pl.DataFrame]
    feedback: pl.DataFrame
    catalog: pl.DataFrame
    inventory: pl.DataFrame
    deliveries: pl.DataFrame
    truth: dict


def simulate_around(
    orders: pl.DataFrame,
    seed: int,
    first_day: date | None = None,
    last_day: date | None = None,
    session_conversion: float = SESSION_CONVERSION,
    traffic_part_days: int | None = None,
) -> SimulatedStore:
    """Simulate traffic, feedback, catalog and inventory around an order history.

    Args:
        orders: order lines in the canonical orders contract shape (order_id, ordered_at,
            sku, quantity, unit_price, description, customer_id (str), country, discount,
            order_status ``placed``/``cancelled``/``returned``).
        seed: seed of the numpy Generator; the same orders and seed give the same store.
        first_day: first day of the range (traffic, inventory); default the first order day.
        last_day: last day of the range; default the last order day.
        session_conversion: share of web sessions that buy (4.5 % for the demo gift shop).
        traffic_part_days: None draws the traffic at once (one frame); a number of days
            draws it in parts of that many days with its own generator (seeded from
            `seed`) while the store is written, so memory does not grow with the range
            (:mod:`simulator.traffic_parts`).

    Returns:
        The simulated store; ``truth`` holds the orders, feedback, inventory and catalog
        sections of the ground truth (see :mod:`simulator.truth`; the writer adds traffic).
    """
    if orders.is_empty():
        raise ValueError("simulate_around: the orders frame is empty; give at least one order line")
    if "discount" not in orders.columns:
        orders = orders.with_columns(pl.lit(0.0).alias("discount"))
    rng = np.random.default_rng(seed)
    first_day = first_day or orders["ordered_at"].min().date()
    last_day = last_day or orders["ordered_at"].max().date()
    catalog = simulate_catalog(orders, rng)
    if traffic_part_days is None:
        traffic = [simulate_traffic(orders, catalog, first_day, last_day, rng, session_conversion)]
    else:
        traffic = traffic_in_parts(
            orders,
            catalog,
            first_day,
            last_day,
            np.random.default_rng([seed, TRAFFIC_STREAM]),
            session_conversion,
            traffic_part_days,
        )
    deliveries = simulate_deliveries(orders, rng)
    feedback = simulate_feedback(
        orders,
        deliveries,
        last_day,
        rng,
        np.random.default_rng([seed, FEEDBACK_TEXT_STREAM]),
        np.random.default_rng([seed, RATING_COLLAPSE_STREAM]),
    )
    inventory, inventory_truth = simulate_inventory(orders, catalog, first_day, last_day, rng)
    truth = {
        "seed": seed,
        "date_range": {"start": first_day.isoformat(), "end": last_day.isoformat()},
        "input_order_lines": orders.height,
        "orders": orders_truth(orders),
        "feedback": feedback_truth(feedback, deliveries),
        "inventory": inventory_truth,
        "catalog": {"skus": catalog.height, "products": int(catalog["is_product"].sum())},
    }
    return SimulatedStore(traffic, feedback, catalog, inventory, deliveries, truth)
