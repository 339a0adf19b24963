"""A tiny orders export of a shop where 99 % of customers buy once, for runs of the real CLI.

1,000 customers over 40 days (25 a day, one order each, three SKUs); the first customer of
each of the first ten days buys again a week later and once more four weeks after their
first order, so the default split (calibration to day 26, holdout days 27-39) has ten
repeat buyers in the calibration period and ten repeat purchases in the holdout: enough to
fit and check BG/NBD and Pareto/NBD, which then lose to the naive baseline.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

FIRST_DAY = dt.date(2024, 3, 4)
DAYS, PER_DAY, REPEAT_BUYERS = 40, 25, 10
SKUS = ("MUG", "PLATE", "BOWL")


def _order(customer: int, order: str, day: int, quantity: int, price: float) -> dict:
    when = FIRST_DAY + dt.timedelta(days=day)
    return {
        "order_id": order,
        "ordered_at": f"{when} 10:00:00",
        "sku": SKUS[customer % len(SKUS)],
        "quantity": quantity,
        "unit_price": price,
        "customer_id": f"C{customer:04d}",
    }


def write_one_time_shop(exports: Path) -> Path:
    """Write the orders export (one file per day) under `exports`/orders and return `exports`."""
    orders = [
        _order(c, f"O{c:04d}", day, 1 + c % 3, 10.0 + c % 7)
        for day in range(DAYS)
        for c in range(day * PER_DAY, (day + 1) * PER_DAY)
    ]
    for n in range(REPEAT_BUYERS):
        customer = n * PER_DAY  # first bought on day n
        orders.append(_order(customer, f"R{customer:04d}", n + 7, 2, 12.5 + n))
        orders.append(_order(customer, f"H{customer:04d}", n + 28, 1, 15.0 + n))
    frame = pl.DataFrame(orders)
    (exports / "orders").mkdir(parents=True, exist_ok=True)
    for (day,), rows in (
        frame.with_columns(day=pl.col("ordered_at").str.slice(0, 10))
        .partition_by("day", as_dict=True)
        .items()
    ):
        rows.drop("day").write_csv(exports / "orders" / f"{day}.csv")
    return exports
