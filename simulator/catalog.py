"""Simulated product catalog: one row per SKU seen in the orders.

Parameters (chosen to look like a UK gift wholesaler buying from a dozen suppliers):

- ``category``: from description keywords, first match wins (:data:`CATEGORY_KEYWORDS`),
  else ``Home & gifts``; non-product codes are ``Fees & adjustments``.
- ``unit_price``: median positive unit price of the SKU's order lines (0.0 when it never
  sold at a positive price).
- ``unit_cost``: ``unit_price * (1 - margin)``, margin uniform in [0.35, 0.60] per SKU;
  0.0 for non-product codes.
- ``supplier`` / ``lead_time_days`` / ``lead_time_std_days``: each SKU gets one of
  :data:`SUPPLIERS` at random; the supplier fixes the mean lead time (7-28 days) and its
  standard deviation.
- ``supplier_min_order_value`` / ``supplier_min_order_qty`` / ``supplier_order_days``: the
  supplier's terms in :data:`SUPPLIER_TERMS` (minimums from none to 1,000.00, orders taken
  from one weekday to every day), on each of its SKUs' rows.
- ``pack_size``: the largest of 1, 6, 12, 24, 48 not above the SKU's median positive line
  quantity (a SKU usually bought by the dozen comes in cases of 12).
- ``moq``: 1, 2 or 4 packs (probabilities 0.6, 0.3, 0.1).
- ``is_product``: false for the contract's non-product codes (contract/bounds.py),
  ``gift_*`` vouchers and any code without a digit.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from contract.bounds import NON_PRODUCT_CODES, NON_PRODUCT_PREFIX

# (keywords, category); the first category whose keyword appears in the description wins.
CATEGORY_KEYWORDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("CHRISTMAS", "XMAS", "ADVENT", "SNOWFLAKE", "REINDEER"), "Christmas"),
    (("CANDLE", "T-LIGHT", "TLIGHT", "HOLDER", "LANTERN"), "Candles & holders"),
    (("BAG", "LUNCH BOX", "PURSE"), "Bags & storage"),
    (("CARD", "WRAP", "PAPER", "NOTEBOOK", "PENCIL", "STICKER", "ENVELOPE"), "Stationery & wrap"),
    (
        ("MUG", "CUP", "PLATE", "BOWL", "CAKE", "TEA", "JAR", "NAPKIN", "BAKING", "SPOON", "TIN"),
        "Kitchen & dining",
    ),
    (("CHILDREN", "TOY", "DOLL", "GAME", "PLAYHOUSE", "SPACEBOY", "DOLLY"), "Kids & toys"),
    (("NECKLACE", "EARRINGS", "BRACELET", "RING", "HAIR", "BANGLE"), "Jewellery & accessories"),
    (("GARDEN", "PLANT", "FLOWER", "BIRD", "WATERING"), "Garden"),
    (
        ("SIGN", "FRAME", "CLOCK", "MIRROR", "CUSHION", "DOORMAT", "HOOK", "HANGER", "HEART"),
        "Home decor",
    ),
)
DEFAULT_CATEGORY = "Home & gifts"
NON_PRODUCT_CATEGORY = "Fees & adjustments"

# (supplier, mean lead time days, lead time std days)
SUPPLIERS: tuple[tuple[str, float, float], ...] = (
    ("Harbourside Imports", 7.0, 1.5),
    ("Midlands Homeware Ltd", 10.0, 2.0),
    ("Northern Candle Co", 12.0, 3.0),
    ("Pennine Paper Goods", 14.0, 3.0),
    ("Kent Kitchenware", 14.0, 4.0),
    ("Bristol Gift Wholesale", 18.0, 4.0),
    ("Rotterdam Trading BV", 21.0, 5.0),
    ("Lisbon Ceramics Lda", 21.0, 6.0),
    ("Ningbo Crafts Co", 28.0, 7.0),
    ("Shenzhen Festive Ltd", 28.0, 8.0),
)
# Each supplier's purchase-order terms: (minimum order value, minimum units, order days).
# Fixed per supplier, not drawn, so adding them left every random draw of the demo as it was.
SUPPLIER_TERMS: dict[str, tuple[float | None, int | None, str | None]] = {
    "Harbourside Imports": (150.0, None, "Mon,Wed,Fri"),
    "Midlands Homeware Ltd": (250.0, None, "Tue,Thu"),
    "Northern Candle Co": (None, 200, "Mon"),
    "Pennine Paper Goods": (None, None, None),  # takes any order, any day
    "Kent Kitchenware": (300.0, None, "Wed"),
    "Bristol Gift Wholesale": (200.0, None, "Mon,Thu"),
    "Rotterdam Trading BV": (500.0, None, "Tue"),
    "Lisbon Ceramics Lda": (400.0, None, "Thu"),
    "Ningbo Crafts Co": (1000.0, 1000, "Mon"),
    "Shenzhen Festive Ltd": (None, 500, "Fri"),
}
PACK_SIZES = (1, 6, 12, 24, 48)


def is_product_expr(sku: pl.Expr) -> pl.Expr:
    """True for sellable products; false for postage, fees, adjustments and gift vouchers."""
    code = sku.str.strip_chars().str.to_uppercase()
    return ~(
        code.is_in(list(NON_PRODUCT_CODES))
        | sku.str.to_lowercase().str.starts_with(NON_PRODUCT_PREFIX)
        | ~sku.str.contains(r"\d")
    )


def category_expr(description: pl.Expr) -> pl.Expr:
    """Merchandise category from description keywords (first match in CATEGORY_KEYWORDS)."""
    upper = description.fill_null("").str.to_uppercase()
    expr = pl.lit(DEFAULT_CATEGORY)
    for keywords, category in reversed(CATEGORY_KEYWORDS):
        expr = (
            pl.when(upper.str.contains_any(list(keywords))).then(pl.lit(category)).otherwise(expr)
        )
    return expr


def simulate_catalog(orders: pl.DataFrame, rng: np.random.Generator) -> pl.DataFrame:
    """One catalog row per SKU in the orders, in the catalog contract columns.

    Args:
        orders: canonical order lines.
        rng: the simulation's random generator.

    Returns:
        Catalog frame sorted by sku: sku, unit_cost, lead_time_days, description, category,
        unit_price, lead_time_std_days, moq, pack_size, supplier, supplier_min_order_value,
        supplier_min_order_qty, supplier_order_days, is_product.
    """
    positive = (pl.col("unit_price") > 0) & (pl.col("quantity") > 0)
    skus = (
        orders.sort("ordered_at", maintain_order=True)
        .group_by("sku")
        .agg(
            pl.col("description").drop_nulls().last().alias("description"),
            pl.col("unit_price").filter(positive).median().fill_null(0.0).alias("unit_price"),
            pl.col("quantity").filter(positive).median().fill_null(1.0).alias("typical_quantity"),
        )
        .sort("sku")
    )
    n = skus.height
    supplier_index = rng.integers(0, len(SUPPLIERS), n)
    margin = rng.uniform(0.35, 0.60, n)
    moq_packs = rng.choice([1, 2, 4], size=n, p=[0.6, 0.3, 0.1])
    typical = skus["typical_quantity"].to_numpy()
    pack_size = np.array(PACK_SIZES)[np.searchsorted(PACK_SIZES, typical, side="right") - 1]
    product = is_product_expr(pl.col("sku"))
    return skus.with_columns(
        pl.Series("supplier", [SUPPLIERS[i][0] for i in supplier_index]),
        pl.Series("lead_time_days", [SUPPLIERS[i][1] for i in supplier_index]),
        pl.Series("lead_time_std_days", [SUPPLIERS[i][2] for i in supplier_index]),
        pl.Series("margin", margin),
        pl.Series("pack_size", pack_size.astype(np.int64)),
        pl.Series("moq", (pack_size * moq_packs).astype(np.int64)),
    ).select(
        "sku",
        pl.when(product)
        .then((pl.col("unit_price") * (1 - pl.col("margin"))).round(2))
        .otherwise(0.0)
        .alias("unit_cost"),
        "lead_time_days",
        "description",
        pl.when(product)
        .then(category_expr(pl.col("description")))
        .otherwise(pl.lit(NON_PRODUCT_CATEGORY))
        .alias("category"),
        pl.col("unit_price").round(2),
        "lead_time_std_days",
        "moq",
        "pack_size",
        "supplier",
        *(
            pl.col("supplier")
            .replace_strict(
                {name: terms[i] for name, terms in SUPPLIER_TERMS.items()}, return_dtype=dtype
            )
            .alias(column)
            for i, (column, dtype) in enumerate(
                (
                    ("supplier_min_order_value", pl.Float64),
                    ("supplier_min_order_qty", pl.Int64),
                    ("supplier_order_days", pl.String),
                )
            )
        ),
        product.alias("is_product"),
    )
