"""A seeded marketplace-style export (Olist's layout), read through mapping files only.

What a marketplace seller downloads: the marketplace's own header names, prices in BRL,
one row per item, the whole history in ONE file per kind (no day files), almost every
customer buying once, reviews per order, and shipments with an estimated delivery date,
some still in transit and a few with a delivery before the hand-over to the carrier. No
inventory and no catalog feed. The mapping files are in fixtures/marketplace/ and are the
worked examples of docs/your-shop.md.

    .venv/bin/python -m tests.e2e.marketplace_export /tmp/yourshop/exports --orders 2000
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import shutil
from pathlib import Path

MAPPINGS = Path(__file__).parent / "fixtures" / "marketplace"
STATES = ("SP", "RJ", "MG", "RS", "PR", "BA")
CARRIERS = ("Correios", "Jadlog", "Loggi")
COMMENTS = ("Produto excelente", "Chegou antes do prazo", "Demorou muito", "", "")
STATUSES = ("delivered",) * 90 + ("shipped",) * 4 + ("canceled",) * 3 + ("invoiced",) * 3


def _rows(orders: int, first_day: dt.date, days: int, skus: int, seed: int):
    """Order items, reviews and shipments as lists of dicts, in the marketplace's headers."""
    rng = random.Random(seed)
    products = [f"{rng.getrandbits(64):016x}" for _ in range(skus)]
    prices = {p: round(rng.uniform(19.9, 399.9), 2) for p in products}
    items, reviews, shipments = [], [], []
    customers: list[str] = []
    for n in range(orders):
        order_id = f"{rng.getrandbits(64):016x}"
        placed = dt.datetime.combine(first_day, dt.time()) + dt.timedelta(
            days=rng.randrange(days), seconds=rng.randrange(86_400)
        )
        # Almost every customer buys once: one order in 30 is a repeat purchase.
        if customers and rng.random() < 1 / 30:
            customer = rng.choice(customers)
        else:
            customer = f"{rng.getrandbits(64):016x}"
            customers.append(customer)
        status, state = rng.choice(STATUSES), rng.choice(STATES)
        if n % 25 == 3:
            status = "shipped"  # in transit: at least one in every 25 orders
        elif n % 150 == 7:
            status = "delivered"  # given a delivery before its hand-over below
        product = rng.choice(products)
        for item in range(1, rng.choice((1, 1, 1, 2, 3)) + 1):
            items.append(
                {
                    "order_id": order_id,
                    "order_item_id": item,
                    "product_id": product,
                    "seller_id": "s1",
                    "price": f"{prices[product]:.2f}",
                    "freight_value": f"{rng.uniform(8, 40):.2f}",
                    "order_purchase_timestamp": f"{placed:%Y-%m-%d %H:%M:%S}",
                    "order_status": status,
                    "customer_unique_id": customer,
                    "customer_state": state,
                }
            )
        if status in ("canceled", "invoiced"):
            continue
        shipped = placed + dt.timedelta(hours=rng.randrange(12, 72))
        promised = (placed + dt.timedelta(days=rng.randrange(10, 25))).date()
        delivered = shipped + dt.timedelta(days=rng.randrange(2, 20), hours=rng.randrange(24))
        if status == "shipped":
            delivered = None  # in transit
        elif n % 150 == 7:
            delivered = shipped - dt.timedelta(days=1)  # inconsistent: delivered before shipped
        shipments.append(
            {
                "order_id": order_id,
                "order_delivered_carrier_date": f"{shipped:%Y-%m-%d %H:%M:%S}",
                "order_delivered_customer_date": f"{delivered:%Y-%m-%d %H:%M:%S}"
                if delivered
                else "",
                "order_estimated_delivery_date": f"{promised:%Y-%m-%d} 00:00:00",
                "carrier": rng.choice(CARRIERS),
                "customer_state": state,
            }
        )
        if delivered and rng.random() < 0.8:
            late = delivered.date() > promised
            score = rng.choice((1, 2, 3)) if late else rng.choice((3, 4, 5, 5, 5))
            reviews.append(
                {
                    "review_id": f"{rng.getrandbits(64):016x}",
                    "order_id": order_id,
                    "review_score": score,
                    "review_comment_title": "",
                    "review_comment_message": rng.choice(COMMENTS),
                    "review_creation_date": f"{max(delivered, shipped).date() + dt.timedelta(days=1)} 00:00:00",
                    "review_answer_timestamp": f"{max(delivered, shipped) + dt.timedelta(days=2):%Y-%m-%d %H:%M:%S}",
                }
            )
    return items, reviews, shipments


def _write_csv(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def write_marketplace_exports(
    exports: Path,
    orders: int = 2000,
    first_day: dt.date = dt.date(2023, 1, 1),
    days: int = 730,
    skus: int = 40,
    seed: int = 7,
) -> Path:
    """Write the export folder: one multi-year file per kind plus exports.yaml and mappings."""
    items, reviews, shipments = _rows(orders, first_day, days, skus, seed)
    exports.mkdir(parents=True, exist_ok=True)
    for mapping in MAPPINGS.glob("*.yaml"):
        shutil.copy(mapping, exports / mapping.name)
    _write_csv(exports / "orders" / "all_orders.csv", items)
    _write_csv(exports / "feedback" / "all_reviews.csv", reviews)
    _write_csv(exports / "shipments" / "all_shipments.csv", shipments)
    return exports


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("exports", type=Path)
    parser.add_argument("--orders", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    write_marketplace_exports(args.exports, orders=args.orders, seed=args.seed)
