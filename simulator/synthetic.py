"""A whole synthetic shop's order lines, sized linearly by ``scale``.

At ``scale = 1`` and 365 days: 4,000 SKUs, 4,400 customers, about 22,000 orders and
500,000 lines, like the Online Retail shop (the web traffic around them is sized in
simulator/exports.py). Parameters:

- orders per day: Poisson around ``22,000 * scale / 365``, times a weekday factor
  (Mon-Fri 1.15, Sat 0.35, Sun 0.75) and a pre-Christmas lift peaking mid-November (x1.8);
- 14 % guest orders; identified orders spread over customers with Gamma(0.6) weights
  (a few wholesale buyers order often); 88 % of customers in the United Kingdom;
- lines per order ``1 + NegBinomial(0.9, mean 22)``; SKUs drawn by Zipf(0.9) popularity;
- each SKU has a price (lognormal, median 2.50, in 5p steps) and a case quantity
  (1, 2, 3, 4, 6, 12, 24); a line buys 1-4 cases; 5 % of lines carry a 10 % discount;
- 30 % of orders shipped abroad have a ``POST`` postage line;
- 2 % of orders are partly cancelled later that day by a ``C``-prefixed order;
- order times 07:00-21:00, peaking at noon.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import polars as pl

from simulator.names import person_names

SKUS_PER_SCALE = 4_000
CUSTOMERS_PER_SCALE = 4_400
ORDERS_PER_SCALE_YEAR = 22_000
GUEST_SHARE = 0.14
CANCEL_SHARE = 0.02
WEEKDAY_FACTOR = (1.15, 1.15, 1.15, 1.15, 1.15, 0.35, 0.75)  # Monday first
COUNTRIES = (
    "France",
    "Germany",
    "EIRE",
    "Netherlands",
    "Spain",
    "Belgium",
    "Switzerland",
    "Australia",
    "Norway",
)
ADJECTIVES = (
    "RED",
    "BLUE",
    "PINK",
    "WHITE",
    "VINTAGE",
    "RETRO",
    "FLORAL",
    "SPOTTY",
    "GINGHAM",
    "HEART",
    "STAR",
    "WOODLAND",
    "PAISLEY",
    "REGENCY",
    "POLKADOT",
    "SCANDI",
    "ENAMEL",
    "GLASS",
    "ZINC",
    "FELT",
)
NOUNS = (
    "LUNCH BAG",
    "SHOPPER BAG",
    "T-LIGHT HOLDER",
    "CANDLE",
    "LANTERN",
    "MUG",
    "TEA CUP",
    "CAKE STAND",
    "BOWL",
    "PLATE",
    "GREETING CARD",
    "WRAP",
    "NOTEBOOK",
    "CHRISTMAS BAUBLE",
    "CHRISTMAS STOCKING",
    "CUSHION",
    "DOORMAT",
    "CLOCK",
    "PHOTO FRAME",
    "COAT HANGER",
    "GARDEN MARKER",
    "BIRD FEEDER",
    "DOLL",
    "JIGSAW",
    "NECKLACE",
    "HAIR CLIP",
    "STORAGE TIN",
    "JAM JAR",
    "NAPKINS",
    "BUNTING",
)
CASE_QUANTITIES = (1, 2, 3, 4, 6, 12, 24)
CASE_PROBS = (0.2, 0.1, 0.08, 0.12, 0.2, 0.22, 0.08)


def _skus(n: int, rng: np.random.Generator) -> pl.DataFrame:
    # Five-digit codes from 20000 while a catalog fits in 70,000 of them (every shop up to
    # SF14 draws the codes it always drew); a larger catalog draws from a space a quarter
    # larger than itself, so codes stay distinct.
    codes = 20000 + rng.choice(max(70_000, n + n // 4), n, replace=False)
    suffix = np.where(
        rng.random(n) < 0.15, np.array(list("ABCDEFGHIJ"))[rng.integers(0, 10, n)], ""
    )
    price = np.maximum(0.05, np.round(np.exp(rng.normal(np.log(2.5), 0.8, n)) * 20) / 20)
    weight = 1.0 / np.arange(1, n + 1) ** 0.9
    return pl.DataFrame(
        {
            "sku": [f"{c}{s}" for c, s in zip(codes, suffix)],
            "description": [
                f"{a} {b}"
                for a, b in zip(
                    np.array(ADJECTIVES)[rng.integers(0, len(ADJECTIVES), n)],
                    np.array(NOUNS)[rng.integers(0, len(NOUNS), n)],
                )
            ],
            "unit_price": price,
            "case": rng.choice(CASE_QUANTITIES, n, p=CASE_PROBS),
            "weight": rng.permutation(weight),
        }
    )


def _customers(n: int, rng: np.random.Generator) -> pl.DataFrame:
    abroad = rng.random(n) >= 0.88
    first, last = person_names(rng, n)
    names = [f"{a} {b}" for a, b in zip(first, last)]
    ids = np.arange(20001, 20001 + n)
    return pl.DataFrame(
        {
            "customer_id": ids.astype(str),
            "country": np.where(
                abroad, np.array(COUNTRIES)[rng.integers(0, len(COUNTRIES), n)], "United Kingdom"
            ),
            "customer_name": names,
            "customer_email": [
                f"{nm.lower().replace(' ', '.')}.{i}@example.com" for nm, i in zip(names, ids)
            ],
            "weight": rng.gamma(0.6, 1.0, n),
        }
    )


def synthetic_orders(
    scale: float = 1.0, seed: int = 0, start: date = date(2024, 1, 1), days: int = 365
) -> pl.DataFrame:
    """Order lines of a synthetic shop in the canonical orders contract columns.

    Args:
        scale: size factor (1.0 ~ the Online Retail shop).
        seed: seed of the numpy Generator.
        start: first day.
        days: number of days.

    Returns:
        Order lines sorted by ordered_at, order_id: order_id, ordered_at, sku, quantity,
        unit_price, description, customer_id, country, currency, discount, order_status,
        customer_email, customer_name (the last two are PII for staging to hash or drop).
    """
    if scale <= 0 or days <= 0:
        raise ValueError(f"synthetic_orders: scale ({scale}) and days ({days}) must be positive")
    rng = np.random.default_rng([seed, 7])
    skus = _skus(max(20, round(SKUS_PER_SCALE * scale)), rng)
    customers = _customers(max(5, round(CUSTOMERS_PER_SCALE * scale)), rng)
    # The draws below run in one fixed order on one generator: the same seed, the same shop.
    orders = _order_headers(customers, scale, start, days, rng)
    lines = _order_lines(skus, orders.height, rng)
    abroad = orders.filter(
        (pl.col("country") != "United Kingdom") & pl.Series(rng.random(orders.height) < 0.3)
    ).select("_order")
    postage = abroad.with_columns(
        pl.lit("POST").alias("sku"),
        pl.lit(1).cast(pl.Int64).alias("quantity"),
        pl.lit(18.0).alias("unit_price"),
        pl.lit("POSTAGE").alias("description"),
    )
    lines = pl.concat(
        [lines.with_columns(pl.col("quantity").cast(pl.Int64)), postage]
    ).with_columns(
        pl.Series("discount", np.where(rng.random(lines.height + postage.height) < 0.05, 0.1, 0.0))
    )
    placed = lines.join(orders, on="_order", maintain_order="left").with_columns(
        (pl.col("discount") * pl.col("quantity") * pl.col("unit_price")).round(2).alias("discount"),
        pl.lit("placed").alias("order_status"),
    )
    return (
        pl.concat([placed, _cancellations(placed, orders, rng)])
        .sort("ordered_at", "order_id", maintain_order=True)
        .select(
            "order_id",
            "ordered_at",
            "sku",
            "quantity",
            "unit_price",
            "description",
            "customer_id",
            "country",
            pl.lit("GBP").alias("currency"),
            "discount",
            "order_status",
            "customer_email",
            "customer_name",
        )
    )


def _order_headers(
    customers: pl.DataFrame, scale: float, start: date, days: int, rng: np.random.Generator
) -> pl.DataFrame:
    """One row per order: _order (0, 1, ...), order_id, ordered_at and its customer's
    columns (null for a guest), orders per day following the week and the Christmas peak."""
    calendar = [start + timedelta(days=i) for i in range(days)]
    weekday = np.array([WEEKDAY_FACTOR[d.weekday()] for d in calendar])
    day_of_year = np.array([d.timetuple().tm_yday for d in calendar])
    season = 1 + 0.8 * np.exp(-0.5 * ((day_of_year - 320) / 30) ** 2)
    shape = weekday * season
    per_day = rng.poisson(ORDERS_PER_SCALE_YEAR * scale / 365 * shape / shape.mean())
    n_orders = int(per_day.sum())
    day_index = np.repeat(np.arange(days), per_day)
    minute = np.clip(rng.normal(12.5 * 60, 150, n_orders), 7 * 60, 21 * 60 - 1).astype(np.int64)
    day_start = np.array([np.datetime64(d, "us") for d in calendar]).astype(np.int64)
    ordered_us = np.sort(day_start[day_index] + minute * 60_000_000)
    guest = rng.random(n_orders) < GUEST_SHARE
    cust_weight = customers["weight"].to_numpy()
    customer = rng.choice(customers.height, n_orders, p=cust_weight / cust_weight.sum())
    orders = pl.DataFrame(
        {
            "_order": np.arange(n_orders),
            "order_id": (500001 + np.arange(n_orders)).astype(str),
            "ordered_at": pl.Series(ordered_us).cast(pl.Datetime("us")),
            "_customer": customer,
            "_guest": guest,
        }
    ).join(
        customers.with_row_index("_customer").with_columns(pl.col("_customer").cast(pl.Int64)),
        on="_customer",
        maintain_order="left",
    )
    return orders.with_columns(
        pl.when(pl.col("_guest")).then(None).otherwise(pl.col(c)).alias(c)
        for c in ("customer_id", "customer_name", "customer_email")
    )


def _order_lines(skus: pl.DataFrame, n_orders: int, rng: np.random.Generator) -> pl.DataFrame:
    """The product lines of each order (_order, sku, quantity, unit_price, description)."""
    lines_per_order = 1 + rng.negative_binomial(0.9, 0.9 / (0.9 + 22), n_orders)
    order_of_line = np.repeat(np.arange(n_orders), lines_per_order)
    sku_weight = skus["weight"].to_numpy()
    sku = rng.choice(skus.height, order_of_line.size, p=sku_weight / sku_weight.sum())
    cases = rng.choice([1, 1, 1, 2, 3, 4], order_of_line.size)
    return pl.DataFrame(
        {
            "_order": order_of_line,
            "sku": skus["sku"].gather(sku),
            "quantity": skus["case"].to_numpy()[sku] * cases,
            "unit_price": skus["unit_price"].to_numpy()[sku],
            "description": skus["description"].gather(sku),
        }
    )


def _cancellations(
    placed: pl.DataFrame, orders: pl.DataFrame, rng: np.random.Generator
) -> pl.DataFrame:
    """Cancellation lines: about half the product lines of a CANCEL_SHARE of the orders,
    negative, minutes to hours after the order on the same day (order_id "C<id>")."""
    cancelled = orders.filter(pl.Series(rng.random(orders.height) < CANCEL_SHARE)).select("_order")
    cancelled = cancelled.with_columns(
        pl.Series("_delay_minutes", rng.integers(10, 180, cancelled.height))
    )
    cancel = placed.filter(pl.col("sku") != "POST").join(
        cancelled, on="_order", maintain_order="left"
    )
    return (
        cancel.filter(pl.Series(rng.random(cancel.height) < 0.5))
        .with_columns(
            pl.format("C{}", "order_id").alias("order_id"),
            -pl.col("quantity"),
            pl.lit(0.0).alias("discount"),
            pl.min_horizontal(
                pl.col("ordered_at") + pl.duration(minutes=pl.col("_delay_minutes")),
                pl.col("ordered_at").dt.truncate("1d") + pl.duration(hours=23),
            ).alias("ordered_at"),
            pl.lit("cancelled").alias("order_status"),
        )
        .drop("_delay_minutes")
    )
