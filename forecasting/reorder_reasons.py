"""The one short sentence each reorder row says: what, how much, by when, and the one main
why. The numbers behind it are the row's own columns (cover days, lead-time demand, reorder
point, stockout chance, rounding), so the sentence never repeats, or contradicts, them.

Each sentence is built by one plain function from the row's facts (a dict of its columns),
so a new reason (another why, another note) is one more branch there.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import polars as pl

ASSUMED_TERMS = " Lead time, cost, MOQ and pack size are assumed (no catalog; inventory.assumed_*)."
# The feedback guard's flag; what got worse, with its numbers, is in feedback_evidence.
REVIEW_FIRST = " Review before reordering: its ratings or returns got worse."


def _known(value: Any) -> bool:
    """False for a missing value: None or NaN (a float column's "unknown")."""
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def _units(value: float | None) -> str:
    return f"{round(value):,}" if _known(value) else "unknown"


def _day(value: dt.date | None) -> str:
    return value.isoformat() if value else "an unknown day"


def _possessive(name: str | None) -> str:
    """ "ACME's", "Harbourside Imports'"; "the supplier's" when no name is known."""
    if not name:
        return "the supplier's"
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def main_why(row: dict[str, Any]) -> str:
    """The one reason this SKU is on the list, in order of what decides it."""
    if row["pulled_forward"]:
        needed = f", otherwise due {_day(row['needed_by'])}" if row["needed_by"] else ""
        minimum = row.get("supplier_minimum")
        minimum = f" of {minimum}" if minimum else ""
        return (
            f"pulled forward to reach {_possessive(row['supplier'])} minimum order{minimum}{needed}"
        )
    position, point = row["inventory_position"], row["reorder_point"]
    if row.get("reliability_reason"):  # planned by min/max on its own history
        return (
            f"no reliable forecast ({row['reliability_reason']}), so min/max on its own "
            f"history: stock {_units(position)} is at or below its min {_units(point)}"
        )
    if not (_known(position) and _known(point)) or position <= point:
        where = "at" if position == point else "below"
        return f"stock {_units(position)} (on hand + on order) is {where} its reorder point {_units(point)}"
    return (
        f"stock {_units(position)} (on hand + on order) falls to its reorder point "
        f"{_units(point)} by {_day(row['needed_by'])}"
    )


def _notes(row: dict[str, Any]) -> str:
    """What the merchandiser should know besides the why: a feedback flag, assumed terms."""
    review = REVIEW_FIRST if row.get("review_before_reordering") else ""
    return review + (ASSUMED_TERMS if row["catalog_assumed"] else "")


def order_sentence(row: dict[str, Any]) -> str:
    """e.g. "Order 120 by 2024-07-01: stock 30 (on hand + on order) is below its reorder
    point 70." A line placed after its needed-by day, because the supplier takes
    no order before, says so; a SKU the feedback guard flags says to review it first."""
    late = ""
    needed_by, order_by = row["needed_by"], row["order_by"]
    if needed_by and order_by and order_by > needed_by and not row["pulled_forward"]:
        late = f" ({_possessive(row['supplier'])} first order day after {_day(row['needed_by'])})"
    sentence = (
        f"Order {_units(row['order_qty'])} by {_day(row['order_by'])}{late}: {main_why(row)}."
    )
    return sentence + _notes(row)


def levels_sentence(row: dict[str, Any]) -> str:
    """The levels of a SKU whose stock is unknown (no inventory feed); a SKU that sold
    nothing lately has no level to order at (its order-up-to level is 0)."""
    point, up_to = row["reorder_point"], row["order_up_to"]
    if _known(up_to) and up_to <= 0:
        sentence = "Stock unknown (no inventory feed): no recent sales, so nothing to order."
    else:
        sentence = (
            f"Stock unknown (no inventory feed): order when on hand + on order is at or "
            f"below {_units(point)}, up to {_units(up_to)}."
        )
    return sentence + _notes(row)


def reasons(frame: pl.DataFrame, sentence) -> pl.Series:
    """``sentence`` applied to every row of ``frame`` (its columns as a dict), as "reason"."""
    return pl.Series("reason", [sentence(row) for row in frame.iter_rows(named=True)], pl.String)
