"""The draft purchase orders as files: one CSV and one XLSX per supplier.

Each run replaces the folder (`RunPaths.purchase_orders`, config/resources.py) as a whole:
the files are written into a hidden sibling first and swapped in, so a reader never sees a
mix of two runs and a supplier with nothing to order leaves no stale file behind. A file
holds the supplier's lines of every order date of the list (the funded ones: a line the
budget cap defers is left out), in order-date order, money to the cent.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import polars as pl

from warehouse.safe_csv import write_safe_csv

# The columns a supplier's draft order holds, as (list column, file column).
LINE_COLUMNS = (
    ("order_by", "order_date"),
    ("sku", "sku"),
    ("description", "description"),
    ("order_qty", "quantity"),
    ("unit_cost", "unit_cost"),
    ("order_value", "line_value"),
    ("needed_by", "needed_by"),
    ("pulled_forward", "pulled_forward"),
    ("rounding", "rounding"),
)


def file_stem(supplier: str, taken: set[str]) -> str:
    """A file name for a supplier: its name in lower-case words joined by "-" (a catalog's
    text never becomes a path), made unique with a number when two names collide."""
    stem = re.sub(r"[^a-z0-9]+", "-", supplier.lower()).strip("-")[:60] or "supplier"
    unique, n = stem, 2
    while unique in taken:
        unique, n = f"{stem}-{n}", n + 1
    taken.add(unique)
    return unique


def purchase_order_lines(recommendations: pl.DataFrame) -> pl.DataFrame:
    """inventory.purchase_order_lines: one row per funded line, the draft files' rows plus
    the supplier, sorted by supplier, order date, sku."""
    funded = recommendations.filter(
        ~pl.col("deferred").fill_null(False) & (pl.col("order_qty").fill_null(0) > 0)
    )
    return funded.select(
        "supplier", *(pl.col(name).alias(alias) for name, alias in LINE_COLUMNS), "reason"
    ).sort("supplier", "order_date", "sku")


def write_purchase_orders(lines: pl.DataFrame, folder: Path) -> list[Path]:
    """Write each supplier's draft purchase order as `<folder>/<supplier>.csv` and `.xlsx`.

    Args:
        lines: :func:`purchase_order_lines`.
        folder: replaced as a whole; created when missing.

    Returns:
        The files written, CSV then XLSX per supplier, by supplier name.
    """
    incoming = folder.with_name(f".{folder.name}.incoming-{os.getpid()}")
    shutil.rmtree(incoming, ignore_errors=True)
    incoming.mkdir(parents=True)
    names, taken = [], set()
    try:
        for (supplier,), rows in lines.group_by("supplier", maintain_order=True):
            stem = file_stem(supplier, taken)
            order = rows.drop("supplier", "reason")
            write_safe_csv(order, incoming / f"{stem}.csv")
            order.write_excel(
                incoming / f"{stem}.xlsx",
                worksheet="purchase order",
                autofit=True,
                column_totals={"quantity": "sum", "line_value": "sum"},
                float_precision=2,
            )
            names += [f"{stem}.csv", f"{stem}.xlsx"]
        if folder.exists():
            shutil.rmtree(folder)
        incoming.rename(folder)
    finally:
        shutil.rmtree(incoming, ignore_errors=True)
    return [folder / name for name in names]
