"""The embedded UCI Online Retail order lines: load, convert to the canonical contract, write.

The shop's real order history (Chen, Sain & Guo 2012, UCI #352, CC BY 4.0) ships in
``simulator/embedded/online_retail.parquet``. The demo export folder carries it unchanged
in the shop's own layout (one CSV per trading day, byte-identical to the published
by-day files); the simulator works on the canonical orders contract shape.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl

EMBEDDED_ONLINE_RETAIL = Path(__file__).parent / "embedded" / "online_retail.parquet"
ONLINE_RETAIL_COLUMNS = (
    "InvoiceNo",
    "StockCode",
    "Description",
    "Quantity",
    "InvoiceDate",
    "UnitPrice",
    "CustomerID",
    "Country",
)
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S"


def load_online_retail(start: date | None = None, end: date | None = None) -> pl.DataFrame:
    """Read the embedded Online Retail lines, optionally only order days in [start, end].

    Args:
        start: first order day kept (inclusive); None keeps from the beginning.
        end: last order day kept (inclusive); None keeps to the end.

    Returns:
        The Online Retail frame in file order (InvoiceNo str, ..., CustomerID i64 nullable).
    """
    frame = pl.read_parquet(EMBEDDED_ONLINE_RETAIL)
    day = pl.col("InvoiceDate").dt.date()
    if start is not None:
        frame = frame.filter(day >= start)
    if end is not None:
        frame = frame.filter(day <= end)
    if frame.is_empty():
        raise ValueError(
            f"{EMBEDDED_ONLINE_RETAIL}: no order lines between {start} and {end}; "
            "the data covers 2010-12-01 .. 2011-12-09"
        )
    return frame


def online_retail_to_canonical(frame: pl.DataFrame) -> pl.DataFrame:
    """Convert Online Retail lines to the canonical orders contract shape.

    Args:
        frame: Online Retail lines as returned by :func:`load_online_retail`.

    Returns:
        One row per line, in the same order: order_id, ordered_at, sku, quantity, unit_price,
        description, customer_id (str, e.g. ``"17850"``, null for guests), country,
        currency (GBP), discount (0.0), order_status (``cancelled`` when InvoiceNo starts
        with ``C``, else ``placed``).
    """
    return frame.select(
        pl.col("InvoiceNo").alias("order_id"),
        pl.col("InvoiceDate").cast(pl.Datetime("us")).alias("ordered_at"),
        pl.col("StockCode").alias("sku"),
        pl.col("Quantity").cast(pl.Int64).alias("quantity"),
        pl.col("UnitPrice").cast(pl.Float64).alias("unit_price"),
        pl.col("Description").alias("description"),
        pl.col("CustomerID").cast(pl.String).alias("customer_id"),
        pl.col("Country").alias("country"),
        pl.lit("GBP").alias("currency"),
        pl.lit(0.0).alias("discount"),
        pl.when(pl.col("InvoiceNo").str.starts_with("C"))
        .then(pl.lit("cancelled"))
        .otherwise(pl.lit("placed"))
        .alias("order_status"),
    )


def write_online_retail_orders(frame: pl.DataFrame, orders_dir: Path) -> list[Path]:
    """Write one ``YYYY-MM-DD.csv`` per trading day in the shop's own export layout.

    CustomerID is written as a float (``17850.0``, empty for guests) because that is how
    the shop's export tool writes it.

    Args:
        frame: Online Retail lines as returned by :func:`load_online_retail`.
        orders_dir: folder to write into (created if missing).

    Returns:
        The files written, in day order.
    """
    orders_dir.mkdir(parents=True, exist_ok=True)
    text = frame.select(ONLINE_RETAIL_COLUMNS).with_columns(
        pl.col("InvoiceDate").dt.strftime(TIMESTAMP_FORMAT),
        pl.col("CustomerID").cast(pl.Float64),
        pl.col("InvoiceDate").dt.date().alias("_day"),
    )
    written = []
    for (day,), lines in sorted(
        text.partition_by("_day", as_dict=True, maintain_order=True).items()
    ):
        path = orders_dir / f"{day.isoformat()}.csv"
        lines.drop("_day").write_csv(path)
        written.append(path)
    return written
