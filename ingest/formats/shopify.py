"""Shopify's orders CSV export (Admin > Orders > Export): one row per line item.

The order's own columns (Email, Financial Status, Created at, Currency, Billing ..., Shipping
..., Cancelled at, ...) are filled on the first row of each order only; the order's other
rows carry `Name` and the `Lineitem ...` columns. They are forward-filled within the order
(same file, same `Name`). `Created at` is `2024-01-05 10:11:12 +0100`: the offset is
dropped and the wall-clock time kept, which is the shop's local time (the contract's
`ordered_at`). The export has no customer id: staging keys customers by the e-mail hash.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from ingest.formats.base import ExportFormat
from ingest.formats.columns import find, missing, text
from ingest.source import LINE

SOURCE_REQUIRED: dict[str, tuple[str, ...]] = {
    "order_id": ("Name",),
    "ordered_at": ("Created at",),
    "quantity": ("Lineitem quantity",),
    "unit_price": ("Lineitem price",),
    "sku": ("Lineitem sku",),
    "financial_status": ("Financial Status",),
}
# The order's own columns this format reads: on the order's first row only.
ORDER_COLUMNS = (
    "Email",
    "Financial Status",
    "Created at",
    "Currency",
    "Billing Name",
    "Billing Phone",
    "Billing Country",
    "Shipping Name",
    "Shipping Phone",
    "Shipping Street",
    "Shipping Address1",
    "Shipping Country",
    "Phone",
    "Cancelled at",
)
# `+0100`, `+01:00`, `Z` or `UTC` at the end of a time stamp.
UTC_OFFSET = r"\s*(Z|UTC|[+-]\d{2}:?\d{2})$"


def missing_columns(kind: str, header: list[str], config: Mapping[str, Any]) -> list[str]:
    return missing(header, SOURCE_REQUIRED)


def _filled_orders(frame: pl.DataFrame) -> pl.DataFrame:
    """Copy each order's first-row columns onto its other line-item rows."""
    name = find(frame.columns, "Name")
    present = (find(frame.columns, column) for column in ORDER_COLUMNS)
    order_columns = [column for column in present if column is not None]
    blank_as_null = [
        pl.col(c).cast(pl.String()).str.strip_chars().replace("", None) for c in order_columns
    ]
    return frame.with_columns(blank_as_null).with_columns(
        pl.col(order_columns).forward_fill().over(["_file", name])
    )


def to_contract(kind: str, frame: pl.DataFrame, config: Mapping[str, Any]) -> pl.DataFrame:
    orders = _filled_orders(frame)
    cancelled_at = text(orders, "Cancelled at")
    financial = text(orders, "Financial Status").str.strip_chars().str.to_lowercase()
    sku = text(orders, "Lineitem sku").str.strip_chars().replace("", None)
    return orders.select(
        order_id=text(orders, "Name"),
        ordered_at=text(orders, "Created at").str.replace(UTC_OFFSET, ""),
        # A product without a SKU is still a sale: its title stands in as the product code.
        sku=sku.fill_null(text(orders, "Lineitem name")),
        quantity=text(orders, "Lineitem quantity"),
        unit_price=text(orders, "Lineitem price"),
        description=text(orders, "Lineitem name"),
        country=text(orders, "Shipping Country").fill_null(text(orders, "Billing Country")),
        currency=text(orders, "Currency"),
        discount=text(orders, "Lineitem discount"),
        order_status=pl.when(cancelled_at.is_not_null())
        .then(pl.lit("cancelled"))
        .when(financial == "refunded")
        .then(pl.lit("returned"))
        .otherwise(pl.lit("placed")),
        customer_email=text(orders, "Email"),
        customer_name=text(orders, "Billing Name").fill_null(text(orders, "Shipping Name")),
        customer_phone=text(orders, "Billing Phone")
        .fill_null(text(orders, "Shipping Phone"))
        .fill_null(text(orders, "Phone")),
        shipping_address=text(orders, "Shipping Street").fill_null(
            text(orders, "Shipping Address1")
        ),
        **{LINE: pl.col(LINE)},
    )


FORMAT = ExportFormat("shopify", ("orders",), missing_columns, to_contract)
