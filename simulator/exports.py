"""Write a simulated store as an export drop folder, and the two ready-made builders.

Layout (the project's drop-folder interface)::

    out_dir/exports.yaml                 format of each kind
    out_dir/orders/YYYY-MM-DD.csv        one file per day with orders
    out_dir/traffic/YYYY-MM-DD.parquet   one file per day with events
    out_dir/feedback/YYYY-MM-DD.csv      one file per day with feedback
    out_dir/inventory/YYYY-MM-DD.csv     end-of-day snapshot, every SKU, every day
    out_dir/catalog/YYYY-MM-DD.csv       one snapshot, dated the first day
    out_dir/shipments/YYYY-MM-DD.csv     parcels delivered that day (simulator/shipments.py)
    out_dir/ground_truth.json

CSV timestamps are naive shop-local ``YYYY-MM-DD HH:MM:SS``; empty cells are nulls.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import polars as pl
import yaml

from contract.exports import KINDS, schema
from simulator.online_retail import (
    TIMESTAMP_FORMAT,
    load_online_retail,
    online_retail_to_canonical,
    write_online_retail_orders,
)
from simulator.shipments import shipments_export, shipments_truth
from simulator.store import SimulatedStore, simulate_around
from simulator.synthetic import synthetic_orders
from simulator.traffic_parts import part_days
from simulator.truth import traffic_tally, traffic_truth

# A synthetic shop sells to consumers: 1.25 % of its web sessions buy (the demo's B2B-leaning
# gift shop converts 4.5 %), which at scale 1 gives about 5M traffic events a year beside
# ~0.5M order lines, the size the benchmark's SF1 stands for (bench/, docs/performance.md).
SYNTHETIC_SESSION_CONVERSION = 0.0125


def _write_daily(frame: pl.DataFrame, day: pl.Expr, folder: Path, suffix: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    parts = frame.with_columns(day.alias("_day")).partition_by(
        "_day", as_dict=True, maintain_order=True
    )
    for (key,), part in sorted(parts.items()):
        path = folder / f"{key.isoformat()}.{suffix}"
        part = part.drop("_day")
        if suffix == "parquet":
            part.write_parquet(path)
        else:
            part.write_csv(path, datetime_format=TIMESTAMP_FORMAT)


def _new_folder(out_dir: str | Path) -> Path:
    out = Path(out_dir)
    if out.exists() and any(out.iterdir()):
        raise FileExistsError(
            f"export folder {out} is not empty; give a new or empty folder "
            "(the simulator never overwrites exports)"
        )
    out.mkdir(parents=True, exist_ok=True)
    return out


def write_exports(
    out_dir: str | Path,
    store: SimulatedStore,
    orders: pl.DataFrame,
    orders_format: str,
    generator: str,
    details: dict | None = None,
) -> dict:
    """Write every export kind, exports.yaml and ground_truth.json into a new folder.

    Args:
        out_dir: folder to create; it must not exist or be empty (exports are never overwritten).
        store: the simulated store from :func:`simulator.simulate_around`.
        orders: the order lines to export: Online Retail layout for ``online-retail``,
            canonical contract columns for ``generic``.
        orders_format: ``online-retail`` or ``generic``.
        generator: ``demo`` or ``synthetic``, recorded in the truth.
        details: further top-level truth entries (e.g. the synthetic ``scale``).

    Returns:
        The ground truth written to ground_truth.json.
    """
    out = _new_folder(out_dir)
    if orders_format == "online-retail":
        write_online_retail_orders(orders, out / "orders")
    elif orders_format == "generic":
        _write_daily(orders, pl.col("ordered_at").dt.date(), out / "orders", "csv")
    else:
        raise ValueError(f"orders_format {orders_format!r}: use 'online-retail' or 'generic'")
    tallies = []
    for part in store.traffic:
        _write_daily(part, pl.col("event_at").dt.date(), out / "traffic", "parquet")
        tallies.append(traffic_tally(part))
        del part
    _write_daily(
        store.feedback.select(list(schema("feedback"))),
        pl.col("submitted_at").dt.date(),
        out / "feedback",
        "csv",
    )
    _write_daily(store.inventory, pl.col("snapshot_date"), out / "inventory", "csv")
    first_day = date.fromisoformat(store.truth["date_range"]["start"])
    (out / "catalog").mkdir()
    store.catalog.select(list(schema("catalog"))).write_csv(
        out / "catalog" / f"{first_day.isoformat()}.csv"
    )
    shipments = shipments_export(
        store.deliveries, date.fromisoformat(store.truth["date_range"]["end"])
    )
    _write_daily(shipments, pl.col("delivered_at").dt.date(), out / "shipments", "csv")
    formats = {kind: {"format": orders_format if kind == "orders" else "generic"} for kind in KINDS}
    (out / "exports.yaml").write_text(yaml.safe_dump(formats, sort_keys=False))
    truth = {"generator": generator, "orders_format": orders_format, **(details or {})}
    for key, section in store.truth.items():
        truth[key] = section
        if key == "orders":
            truth["traffic"] = traffic_truth(tallies)
    truth["shipments"] = shipments_truth(shipments)
    (out / "ground_truth.json").write_text(json.dumps(truth, indent=2) + "\n")
    return truth


def build_demo_exports(
    out_dir: str | Path, seed: int = 0, start: date | None = None, end: date | None = None
) -> dict:
    """Write the demo export folder around the embedded Online Retail orders.

    Args:
        out_dir: new or empty folder to write into.
        seed: simulation seed.
        start: first order day to include (inclusive); None for 2010-12-01.
        end: last order day to include (inclusive); None for 2011-12-09.

    Returns:
        The ground truth (also in out_dir/ground_truth.json).
    """
    _new_folder(out_dir)
    raw = load_online_retail(start, end)
    store = simulate_around(online_retail_to_canonical(raw), seed, start, end)
    return write_exports(out_dir, store, raw, "online-retail", "demo")


def build_synthetic_exports(
    out_dir: str | Path,
    scale: float = 1.0,
    seed: int = 0,
    start: date = date(2024, 1, 1),
    days: int = 365,
) -> dict:
    """Write a whole synthetic store's export folder (orders in the generic contract layout).

    Args:
        out_dir: new or empty folder to write into.
        scale: size; 1.0 is about the Online Retail shop (~4,000 SKUs, ~4,400 customers,
            ~22,000 orders and ~500k lines a year) with ~5M web events a year (1.25 %
            session conversion); every size grows linearly with it.
        seed: seed of both the order generator and the simulation.
        start: first day.
        days: number of days.

    Returns:
        The ground truth (also in out_dir/ground_truth.json). The web traffic is drawn
        and written ~30 / scale days at a time, so its memory does not grow with `scale`.
    """
    _new_folder(out_dir)
    orders = synthetic_orders(scale=scale, seed=seed, start=start, days=days)
    last_day = start + timedelta(days=days - 1)
    store = simulate_around(
        orders.drop("customer_email", "customer_name"),
        seed,
        start,
        last_day,
        session_conversion=SYNTHETIC_SESSION_CONVERSION,
        traffic_part_days=part_days(scale),
    )
    return write_exports(out_dir, store, orders, "generic", "synthetic", {"scale": scale})
