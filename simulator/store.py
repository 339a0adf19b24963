"""The simulation core: every other export kind and the ground truth around an order history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import polars as pl

from simulator.browse_sessions import SESSION_CONVERSION
from simulator.catalog import simulate_catalog
from simulator.feedback import simulate_deliveries, simulate_feedback
from simulator.inventory import simulate_inventory
from simulator.traffic import simulate_traffic
from simulator.truth import feedback_truth, orders_truth, traffic_truth


@dataclass(frozen=True)
class SimulatedStore:
    """The simulated exports (contract columns) and what was generated.

    ``feedback`` has an extra ``is_late`` column and ``deliveries`` is not an export kind:
    both are ground truth for tests, dropped by the writer.
    """

    traffic: pl.DataFrame
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

    Returns:
        The simulated store; ``truth`` holds the orders, traffic, feedback, inventory and
        catalog sections of the ground truth (see :mod:`simulator.truth`).
    """
    if orders.is_empty():
        raise ValueError("simulate_around: the orders frame is empty; give at least one order line")
    if "discount" not in orders.columns:
        orders = orders.with_columns(pl.lit(0.0).alias("discount"))
    rng = np.random.default_rng(seed)
    first_day = first_day or orders["ordered_at"].min().date()
    last_day = last_day or orders["ordered_at"].max().date()
    catalog = simulate_catalog(orders, rng)
    traffic = simulate_traffic(orders, catalog, first_day, last_day, rng, session_conversion)
    deliveries = simulate_deliveries(orders, rng)
    feedback = simulate_feedback(orders, deliveries, last_day, rng)
    inventory, inventory_truth = simulate_inventory(orders, catalog, first_day, last_day, rng)
    truth = {
        "seed": seed,
        "date_range": {"start": first_day.isoformat(), "end": last_day.isoformat()},
        "input_order_lines": orders.height,
        "orders": orders_truth(orders),
        "traffic": traffic_truth(traffic),
        "feedback": feedback_truth(feedback, deliveries),
        "inventory": inventory_truth,
        "catalog": {"skus": catalog.height, "products": int(catalog["is_product"].sum())},
    }
    return SimulatedStore(traffic, feedback, catalog, inventory, deliveries, truth)
