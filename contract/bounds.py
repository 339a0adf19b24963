"""Plausibility bounds: the values no shop's export can hold, per contract column.

A value can parse and still be impossible: an order placed in 1900, a unit price of 1e308,
a quantity of 2**63 - 1. Loaded, such a value stretches every daily mart's calendar
over a century, shows as net sales, or overflows a sum downstream. So every numeric and
date column of the contract has a bound here; ingest (ingest/bounds.py) quarantines a row
whose value lies outside it, with a reason naming the bound and the setting that moves it.

The magnitudes are settings (`ingest.max_unit_price`, `ingest.max_units`,
`ingest.max_days_ahead`, `ingest.max_lead_time_days`, `history.first_day`): a B2B shop
selling machines by the pallet is not a gift shop. Their defaults keep every downstream
sum in range: a year of lines at the bounds (10**6 units at 10**7 each) sums to far below
both 2**63 units and the 2**53 at which a double stops counting whole currency units.
Scales fixed by the contract itself (a 1-5 star rating) are not settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# What a bound measures against:
# - "day": on or after history.first_day, at most ingest.max_days_ahead days after the
#   day the row was exported (a multi-day file's rows: after today);
# - "promise": a delivery date promised at checkout, which may lie ahead of the export:
#   on or after history.first_day, at most PROMISE_DAYS after the export day;
# - "price": money per unit, |value| <= ingest.max_unit_price;
# - "amount": money per line (a discount, an event's cart or order value),
#   |value| <= ingest.max_unit_price * ingest.max_units;
# - "units": a count of units, |value| <= ingest.max_units;
# - "lead_time": days, value <= ingest.max_lead_time_days;
# - "scale": the contract's own scale, low <= value <= high.
Measure = Literal["day", "promise", "price", "amount", "units", "lead_time", "scale"]

# A delivery promised more than a year after the export is not a promise anyone tracks.
PROMISE_DAYS = 366


@dataclass(frozen=True)
class Bound:
    """The values one contract column may hold (null always passes: required is separate)."""

    measure: Measure
    non_negative: bool = False  # a value below 0 is quarantined
    low: int | None = None  # measure "scale" only
    high: int | None = None
    fix: str = ""  # what to do about a negative value, when non_negative


BOUNDS: dict[str, dict[str, Bound]] = {
    "orders": {
        "ordered_at": Bound("day"),
        # Negative for cancellations and returns: the sign rules by order status are in
        # ingest/rules.py.
        "quantity": Bound("units"),
        "unit_price": Bound("price"),
        "discount": Bound("amount", non_negative=True, fix="export the discount as 0 or more"),
    },
    "traffic": {
        "event_at": Bound("day"),
        "quantity": Bound("units"),
        "value": Bound("amount"),
    },
    "feedback": {
        "submitted_at": Bound("day"),
        "rating": Bound("scale", low=1, high=5),
        "nps_score": Bound("scale", low=0, high=10),
    },
    "inventory": {
        "snapshot_date": Bound("day"),
        "on_hand": Bound(
            "units", non_negative=True, fix="export the sellable units on hand (0 or more)"
        ),
        "on_order": Bound("units", non_negative=True, fix="export the units on order (0 or more)"),
    },
    "catalog": {
        "unit_cost": Bound("price", non_negative=True, fix="export the landed cost (0 or more)"),
        "unit_price": Bound("price", non_negative=True, fix="export the list price (0 or more)"),
        "lead_time_days": Bound(
            "lead_time", non_negative=True, fix="export the supplier lead time in days"
        ),
        "lead_time_std_days": Bound(
            "lead_time", non_negative=True, fix="export a standard deviation (0 or more)"
        ),
        "moq": Bound("units", non_negative=True, fix="export the minimum order quantity"),
        "pack_size": Bound("units", non_negative=True, fix="export the units per case"),
        "supplier_min_order_value": Bound(
            "amount", non_negative=True, fix="export the supplier's minimum order value (0 or more)"
        ),
        "supplier_min_order_qty": Bound(
            "units", non_negative=True, fix="export the supplier's minimum order units (0 or more)"
        ),
    },
    "shipments": {
        "shipped_at": Bound("day"),
        "delivered_at": Bound("day"),
        "promised_date": Bound("promise"),
    },
}

# Product codes that are not merchandise: postage, fees, manual and accounting adjustments
# (the Online Retail shop's `B` "Adjust bad debt" lines carry a negative unit price), and
# `gift_*` vouchers. Compared in upper case after trimming. Staging's is_product_code macro
# (assets/sql/macros.sql) holds the same list; a test keeps them equal.
NON_PRODUCT_CODES: tuple[str, ...] = (
    "POST",
    "D",
    "M",
    "DOT",
    "BANK CHARGES",
    "AMAZONFEE",
    "C2",
    "CRUK",
    "PADS",
    "S",
    "B",
)
NON_PRODUCT_PREFIX = "gift_"
