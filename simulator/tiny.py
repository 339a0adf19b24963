"""A tiny shop's order exports, for tests and benches that run the real pipeline in seconds.

Three SKUs, each sold once a day by one of five returning customers, quantities varying
with the day so that demand is not constant: the smallest shop every step can work on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

import polars as pl

FIRST_DAY = dt.date(2024, 1, 1)
SKUS = ("MUG", "PLATE", "BOWL")
TINY_DAYS = 14  # two weeks: enough history for every mart and a forecast


def tiny_order_rows(day: dt.date, first_day: dt.date = FIRST_DAY) -> list[dict]:
    """The order lines of `day`: one per SKU, `day - first_day` setting the quantities."""
    offset = (day - first_day).days
    return [
        {
            "order_id": f"{day}-{n}",
            "ordered_at": f"{day} 10:0{n}:00",
            "sku": sku,
            "quantity": 2 + n + offset % 3,
            "unit_price": 4.5,
            "customer_id": f"C{(offset + n) % 5}",
        }
        for n, sku in enumerate(SKUS)
    ]


def write_tiny_orders(
    exports: Path, days: Iterable[int] = range(TINY_DAYS), first_day: dt.date = FIRST_DAY
) -> None:
    """Write `orders/YYYY-MM-DD.csv` for each day offset in `days` from `first_day`."""
    (exports / "orders").mkdir(parents=True, exist_ok=True)
    for offset in days:
        day = first_day + dt.timedelta(days=offset)
        pl.DataFrame(tiny_order_rows(day, first_day)).write_csv(exports / "orders" / f"{day}.csv")
