"""Supplier settings: the terms a purchase order must meet, per supplier and by default.

A catalog column given for a SKU (contract/exports.py: supplier_min_order_value,
supplier_min_order_qty, supplier_order_days) overrides these for the SKU's supplier, and a
SKU's own lead_time_days overrides its supplier's; the settings are the defaults a shop uses
when its catalog says nothing about its suppliers.
"""

from __future__ import annotations

from pydantic import Field, field_validator

from config.settings_section import Section
from config.settings_types import IsoWeekday, NonNegativeFloat, NonNegativeInt

EVERY_DAY = (1, 2, 3, 4, 5, 6, 7)


class SupplierTerms(Section):
    """One supplier's ordering terms (the catalog's supplier_* columns override each)."""

    min_order_value: NonNegativeFloat = Field(
        0.0,
        description="Smallest purchase order the supplier accepts, as the value of its lines "
        "at unit cost in the shop's currency; 0: no minimum.",
    )
    min_order_qty: NonNegativeInt = Field(
        0, description="Smallest purchase order in units over all its lines; 0: no minimum."
    )
    lead_time_days: NonNegativeFloat | None = Field(
        None,
        description="Mean lead time in days, order to receipt, of a SKU of this supplier "
        "whose catalog row leaves lead_time_days empty; null: every catalog row must give it.",
    )
    order_days: tuple[IsoWeekday, ...] = Field(
        EVERY_DAY,
        min_length=1,
        description="ISO weekdays (1 = Monday) the supplier takes orders; an order falls on "
        "the last of them on or before the day it is needed, else the first one after.",
    )

    @field_validator("order_days")
    @classmethod
    def _each_weekday_once(cls, days: tuple[int, ...]) -> tuple[int, ...]:
        if len(set(days)) != len(days):
            raise ValueError("names a weekday twice")
        return tuple(sorted(days))


class SupplierSettings(Section):
    """Suppliers: who supplies a SKU the catalog gives no supplier for, and each supplier's
    purchase-order terms (minimum order, order days, lead time)."""

    default_supplier: str = Field(
        "Default supplier",
        min_length=1,
        description="Supplier of every SKU whose catalog row names none (and of every SKU of "
        "a shop that sends no catalog); the reorder page says when it is used.",
    )
    default: SupplierTerms = Field(
        default_factory=SupplierTerms,
        description="Terms of every supplier `by_name` leaves out, and of each key a "
        "`by_name` entry leaves out.",
    )
    by_name: dict[str, SupplierTerms] = Field(
        default_factory=dict,
        description="Terms per supplier, keyed by the supplier's name as the catalog writes "
        "it, e.g. {Acme Ltd: {min_order_value: 250, order_days: [1, 4]}}.",
    )
