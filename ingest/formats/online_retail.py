"""The UCI Online Retail layout (Chen, Sain & Guo 2012): one row per invoice line.

Header: InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country.
Invoice numbers starting with `C` are cancellations. CustomerID comes as `17850.0` from
spreadsheet exports; the id is `17850`. The layout has no currency: the loader fills the
`currency` setting.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from ingest.formats.base import ExportFormat
from ingest.source import LINE

SOURCE_REQUIRED = ("InvoiceNo", "StockCode", "Quantity", "InvoiceDate", "UnitPrice")
SOURCE_OPTIONAL = ("Description", "CustomerID", "Country")


def missing_columns(kind: str, header: list[str], config: Mapping[str, Any]) -> list[str]:
    return [name for name in SOURCE_REQUIRED if name not in header]


def _source(frame: pl.DataFrame, name: str) -> pl.Expr:
    return pl.col(name) if name in frame.columns else pl.lit(None, pl.String())


def to_contract(kind: str, frame: pl.DataFrame, config: Mapping[str, Any]) -> pl.DataFrame:
    invoice = pl.col("InvoiceNo").cast(pl.String())
    customer = _source(frame, "CustomerID").cast(pl.String()).str.replace(r"\.0*$", "")
    return frame.select(
        order_id=invoice,
        ordered_at=pl.col("InvoiceDate"),
        sku=pl.col("StockCode"),
        quantity=pl.col("Quantity"),
        unit_price=pl.col("UnitPrice"),
        description=_source(frame, "Description"),
        customer_id=customer,
        country=_source(frame, "Country"),
        order_status=pl.when(invoice.str.starts_with("C"))
        .then(pl.lit("cancelled"))
        .when(invoice.is_not_null())
        .then(pl.lit("placed")),
        **{LINE: pl.col(LINE)},
    )


# The original UCI spreadsheet writes InvoiceDate as 12/1/2010 8:26 (month first).
FORMAT = ExportFormat(
    "online-retail",
    ("orders",),
    missing_columns,
    to_contract,
    datetime_formats=("%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S"),
)
