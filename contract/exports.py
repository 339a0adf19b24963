"""The export data contract: every export kind, its columns, types and meaning.

One place for these facts: the readers in ``ingest/`` cast to these types, the raw
tables in DuckDB are created from them, the simulator writes them, and
``docs/data-contract.md`` documents them (a test checks the doc names every column).

Canonical types are polars dtypes. ``required`` columns must be present and non-null in
every row; a row missing one goes to ``quality.quarantine`` with the reason. ``pii``
columns are customer personal data: staging hashes or drops them, and they never reach
marts, dashboards or logs.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

KINDS: tuple[str, ...] = ("orders", "traffic", "feedback", "inventory", "catalog", "shipments")

# Raw table per kind: `raw.<table>`; the asset key is ["raw", table].
RAW_TABLE: dict[str, str] = {
    "orders": "orders",
    "traffic": "traffic_events",
    "feedback": "feedback",
    "inventory": "inventory",
    "catalog": "catalog",
    "shipments": "shipments",
}

# Load metadata columns added to every raw row.
LOAD_COLUMNS: dict[str, pl.DataType] = {
    # the day in the file name (YYYY-MM-DD.ext); in a multi-day file, the row's own day (ROW_DAY)
    "_export_date": pl.Date(),
    "_file": pl.String(),  # file name relative to the exports folder
    "_line": pl.Int64(),  # 1-based physical line in the file (header is line 1 in CSV)
    "_format": pl.String(),  # reader that parsed it: generic, online-retail, ...
    # Schema drift: the file's columns its format does not read, as one JSON object per row
    # (null when the file has none), so a new export column is kept and reported, never lost.
    "_extra": pl.String(),
}

EVENT_NAMES: tuple[str, ...] = (
    "page_view",
    "view_item",
    "add_to_cart",
    "begin_checkout",
    "purchase",
)
FEEDBACK_TYPES: tuple[str, ...] = ("review", "nps")
ORDER_STATUSES: tuple[str, ...] = ("placed", "cancelled", "returned")
VISITOR_TYPES: tuple[str, ...] = ("new", "returning", "other")

# The columns that identify a row inside one export file. A later row with the same key in
# the same file is quarantined as a duplicate and the first one loads. A row whose optional
# id (line_id, event_id) is empty has no key and is not checked: the Online Retail layout
# has no line id, and its identical repeated lines are separate real lines. An empty
# location counts as `main` (its default).
UNIQUE_KEYS: dict[str, tuple[str, ...]] = {
    "orders": ("order_id", "line_id"),
    "traffic": ("event_id",),
    "feedback": ("feedback_id",),
    "inventory": ("snapshot_date", "sku", "location"),
    "catalog": ("sku",),
    "shipments": ("order_id", "shipment_id"),
}
KEY_DEFAULTS: dict[str, str] = {"location": "main"}

# The column whose date is a row's day. A file not named by its day (a full-history export,
# a monthly dump) is split by it: each row is loaded under its own day. The catalog is a
# snapshot with no date of its own, so its files are always named by their export day.
ROW_DAY: dict[str, str] = {
    "orders": "ordered_at",
    "traffic": "event_at",
    "feedback": "submitted_at",
    "inventory": "snapshot_date",
    "shipments": "shipped_at",
}


@dataclass(frozen=True)
class Column:
    name: str
    dtype: pl.DataType
    required: bool
    meaning: str
    pii: bool = False


def _c(name: str, dtype: pl.DataType, required: bool, meaning: str, pii: bool = False) -> Column:
    return Column(name, dtype, required, meaning, pii)


S, I, F, B = pl.String(), pl.Int64(), pl.Float64(), pl.Boolean()
TS, D = pl.Datetime("us"), pl.Date()

CONTRACT: dict[str, tuple[Column, ...]] = {
    "orders": (
        _c(
            "order_id",
            S,
            True,
            "Order (invoice) id. Ids starting with `C` in the Online Retail layout are cancellations.",
        ),
        _c(
            "ordered_at",
            TS,
            True,
            "When the order was placed, shop local time (a UTC offset is converted).",
        ),
        _c(
            "sku",
            S,
            True,
            "Product code (StockCode). Non-product codes such as `POST` or `M` are kept in raw and flagged in staging.",
        ),
        _c(
            "quantity",
            I,
            True,
            "Units on the line. Negative for cancellations and returns; zero is quarantined.",
        ),
        _c("unit_price", F, True, "Price per unit in `currency`, before discounts."),
        _c("description", S, False, "Product title as shown on the order."),
        _c("customer_id", S, False, "Shop's customer id; empty for guest checkouts."),
        _c("country", S, False, "Shipping country name or ISO code."),
        _c("currency", S, False, "ISO 4217 code; defaults to the `currency` setting (GBP)."),
        _c("discount", F, False, "Discount amount on the line in `currency` (>= 0); default 0."),
        _c(
            "order_status",
            S,
            False,
            "`placed`, `cancelled` or `returned`; derived from the `C` prefix in the Online Retail layout.",
        ),
        _c(
            "customer_email",
            S,
            False,
            "Customer e-mail. Hashed in staging, never stored in marts.",
            pii=True,
        ),
        _c("customer_name", S, False, "Customer name. Dropped in staging.", pii=True),
        _c("customer_phone", S, False, "Customer phone. Dropped in staging.", pii=True),
        _c("shipping_address", S, False, "Street address. Dropped in staging.", pii=True),
        _c(
            "line_id",
            S,
            False,
            "Line id inside the order, if exported; unique per order in one file.",
        ),
    ),
    "traffic": (
        _c("event_at", TS, True, "When the event happened, shop local time."),
        _c(
            "event_name",
            S,
            True,
            "One of page_view, view_item, add_to_cart, begin_checkout, purchase.",
        ),
        _c("user_id", S, True, "Pseudonymous visitor id (cookie / client id)."),
        _c(
            "session_id",
            S,
            False,
            "Session id from the analytics tool; sessionized from 30 min of inactivity when absent.",
        ),
        _c("event_id", S, False, "Unique event id; generated from file and line when absent."),
        _c("customer_id", S, False, "Shop customer id once the visitor is logged in."),
        _c("order_id", S, False, "Order id on purchase events; joins to orders."),
        _c("sku", S, False, "Product on view_item and add_to_cart events."),
        _c("quantity", I, False, "Units added on add_to_cart."),
        _c("value", F, False, "Monetary value of the event (cart line or order value)."),
        _c("device", S, False, "desktop, mobile or tablet."),
        _c("source", S, False, "Traffic source (google, newsletter, direct, ...)."),
        _c("medium", S, False, "Traffic medium (organic, cpc, email, referral, (none))."),
        _c("country", S, False, "Visitor country."),
        _c("page", S, False, "Page path of the event."),
        _c(
            "visitor_type",
            S,
            False,
            "`new`, `returning` or `other` (any case) as the analytics tool labels the visitor; when absent, a visitor with an earlier session in the warehouse is returning.",
        ),
    ),
    "feedback": (
        _c("feedback_id", S, True, "Unique id of the review or survey answer."),
        _c("submitted_at", TS, True, "When it was submitted."),
        _c(
            "feedback_type", S, True, "`review` (product review, rating 1-5) or `nps` (score 0-10)."
        ),
        _c("order_id", S, False, "Order the feedback is about."),
        _c("sku", S, False, "Product reviewed."),
        _c("customer_id", S, False, "Customer who answered."),
        _c("rating", I, False, "Star rating 1-5 (reviews)."),
        _c("nps_score", I, False, "Likelihood to recommend 0-10 (NPS answers)."),
        _c("title", S, False, "Review title."),
        _c("body", S, False, "Review or comment text."),
        _c("reviewer_name", S, False, "Name shown with the review. Dropped in staging.", pii=True),
        _c("reviewer_email", S, False, "Reviewer e-mail. Hashed in staging.", pii=True),
    ),
    "inventory": (
        _c("snapshot_date", D, True, "Day the stock level was counted (end of day)."),
        _c("sku", S, True, "Product code."),
        _c("on_hand", I, True, "Units on hand and sellable at end of day."),
        _c(
            "on_order", I, False, "Units ordered from the supplier and not yet received; default 0."
        ),
        _c("location", S, False, "Warehouse; default `main`."),
    ),
    "catalog": (
        _c("sku", S, True, "Product code."),
        _c("unit_cost", F, True, "Landed cost per unit."),
        _c(
            "lead_time_days",
            F,
            False,
            "Mean supplier lead time in days, order to receipt. Empty: the supplier's "
            "`inventory.suppliers` lead time; a row with neither stops the reorder list.",
        ),
        _c("description", S, False, "Product title."),
        _c("category", S, False, "Merchandise category."),
        _c("unit_price", F, False, "Current list price."),
        _c(
            "lead_time_std_days",
            F,
            False,
            "Standard deviation of the lead time in days; default 0.",
        ),
        _c("moq", I, False, "Supplier minimum order quantity in units; default 1."),
        _c("pack_size", I, False, "Units per case; orders are whole cases; default 1."),
        _c(
            "supplier",
            S,
            False,
            "Supplier name; purchase orders are drafted per supplier. Empty: the setting "
            "`inventory.suppliers.default_supplier`.",
        ),
        _c(
            "supplier_min_order_value",
            F,
            False,
            "The supplier's minimum purchase-order value at unit cost; overrides the setting "
            "`inventory.suppliers`. Rows of one supplier should agree (the largest applies).",
        ),
        _c(
            "supplier_min_order_qty",
            I,
            False,
            "The supplier's minimum purchase order in units over all lines; overrides the "
            "setting `inventory.suppliers`. Rows of one supplier should agree (the largest applies).",
        ),
        _c(
            "supplier_order_days",
            S,
            False,
            "Weekdays the supplier takes orders, e.g. `Mon,Thu` or `1,4` (ISO, 1 = Monday); "
            "overrides the setting `inventory.suppliers`. Rows of one supplier should agree "
            "(the first SKU's applies).",
        ),
        _c(
            "is_product",
            B,
            False,
            "False for non-product codes (postage, fees, manual adjustments); default true.",
        ),
    ),
    "shipments": (
        _c("order_id", S, True, "Order the parcel belongs to; joins to orders."),
        _c("shipped_at", TS, True, "When the parcel left the warehouse, shop local time."),
        _c("delivered_at", TS, False, "When the carrier delivered it; empty while in transit."),
        _c("promised_date", D, False, "Delivery date promised to the customer at checkout."),
        _c("carrier", S, False, "Carrier name (Royal Mail, DHL, ...)."),
        _c("region", S, False, "Delivery region or country."),
        _c("shipment_id", S, False, "Parcel id when an order ships in several parcels."),
    ),
}


def columns(kind: str) -> tuple[Column, ...]:
    """Columns of one export kind, in contract order."""
    return CONTRACT[kind]


def schema(kind: str) -> dict[str, pl.DataType]:
    """Canonical polars schema of one export kind (no load metadata)."""
    return {c.name: c.dtype for c in CONTRACT[kind]}


def required(kind: str) -> list[str]:
    return [c.name for c in CONTRACT[kind] if c.required]


def pii_columns(kind: str) -> list[str]:
    return [c.name for c in CONTRACT[kind] if c.pii]


def raw_schema(kind: str) -> dict[str, pl.DataType]:
    """Schema of `raw.<table>`: the contract columns plus load metadata."""
    return {**schema(kind), **LOAD_COLUMNS}
