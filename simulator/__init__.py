"""Seeded store simulator: every export kind around an order history, with known ground truth.

- :func:`build_demo_exports`: the demo drop folder around the embedded UCI Online Retail
  orders (Chen, Sain & Guo 2012, UCI #352, CC BY 4.0), orders in the shop's own layout.
- :func:`build_synthetic_exports`: a whole synthetic shop, sized by ``scale``.
- :func:`simulate_around`: the core; traffic, feedback, catalog and inventory frames and
  the truth around canonical order lines.

No dagster imports: plain functions on polars frames, deterministic for a given seed.
"""

from simulator.exports import build_demo_exports, build_synthetic_exports, write_exports
from simulator.online_retail import load_online_retail, online_retail_to_canonical
from simulator.store import SimulatedStore, simulate_around
from simulator.synthetic import synthetic_orders

__all__ = [
    "SimulatedStore",
    "build_demo_exports",
    "build_synthetic_exports",
    "load_online_retail",
    "online_retail_to_canonical",
    "simulate_around",
    "synthetic_orders",
    "write_exports",
]
