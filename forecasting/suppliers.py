"""Each SKU's supplier and each supplier's purchase-order terms: settings defaults, catalog
overrides.

A catalog row without a supplier belongs to ``inventory.suppliers.default_supplier``. A
supplier's terms are ``inventory.suppliers.default``, then its ``by_name`` entry (the keys
it names), then the catalog's ``supplier_*`` columns where its SKUs give them: the largest
minimum given, the order days of its first SKU (by code) that gives any. A SKU's lead time
is its catalog row's, else its supplier's from those settings (by_name, then default).
"""

from __future__ import annotations

import polars as pl

from config.settings_suppliers import SupplierSettings

WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
TERMS_SCHEMA: dict[str, pl.DataType] = {
    "supplier": pl.String(),
    "min_order_value": pl.Float64(),
    "min_order_qty": pl.Int64(),
    "order_days": pl.List(pl.Int64()),
}


def with_supplier(catalog: pl.DataFrame, suppliers: SupplierSettings) -> pl.DataFrame:
    """The catalog with its supplier column filled, the default supplier where it is empty,
    and supplier_assumed saying where."""
    named = (
        pl.col("supplier").str.strip_chars()
        if "supplier" in catalog.columns
        else pl.lit(None, pl.String)
    )
    given = named.str.len_chars().fill_null(0) > 0
    return catalog.with_columns(
        pl.when(given).then(named).otherwise(pl.lit(suppliers.default_supplier)).alias("supplier"),
        (~given).alias("supplier_assumed"),
    )


def parse_order_days(text: str, sku: str) -> list[int]:
    """``Mon,Thu``, ``monday thursday`` or ``1,4`` (any case) as sorted ISO weekdays."""
    days = set()
    for word in text.replace(",", " ").split():
        token = word.strip().lower()
        if token.isdigit() and 1 <= int(token) <= 7:
            days.add(int(token))
        elif len(token) >= 3 and any(name.startswith(token) for name in WEEKDAY_NAMES):
            days.add(next(i for i, name in enumerate(WEEKDAY_NAMES, 1) if name.startswith(token)))
        else:
            raise ValueError(
                f"catalog: SKU {sku!r} has supplier_order_days {text!r}; write weekdays as "
                "Mon,Thu or ISO numbers 1,4 (1 = Monday)"
            )
    if not days:
        raise ValueError(f"catalog: SKU {sku!r} has empty supplier_order_days; leave it out")
    return sorted(days)


def _settings_terms(name: str, suppliers: SupplierSettings) -> dict:
    """The settings' terms of a supplier: the default, then its ``by_name`` entry's keys."""
    terms = suppliers.default.model_dump()
    if name in suppliers.by_name:
        terms |= suppliers.by_name[name].model_dump(exclude_unset=True)
    return terms


def supplier_lead_times(catalog: pl.DataFrame, suppliers: SupplierSettings) -> pl.DataFrame:
    """The catalog with each empty lead_time_days filled by its supplier's lead time
    (``inventory.suppliers.by_name``, then ``default``).

    Raises:
        ValueError: naming the SKUs whose row gives no lead time and whose supplier has
            none in the settings, and the two ways to fix it.
    """
    if catalog.is_empty() or catalog["lead_time_days"].null_count() == 0:
        return catalog
    supplier = with_supplier(catalog, suppliers)["supplier"]
    lead_times = {
        name: _settings_terms(name, suppliers)["lead_time_days"] for name in supplier.unique()
    }
    filled = catalog.with_columns(
        pl.col("lead_time_days").fill_null(
            supplier.replace_strict(lead_times, return_dtype=pl.Float64)
        )
    )
    missing = filled.filter(pl.col("lead_time_days").is_null()).sort("sku")
    if missing.height:
        skus = ", ".join(repr(sku) for sku in missing["sku"].head(5))
        more = f" and {missing.height - 5} more" if missing.height > 5 else ""
        names = ", ".join(sorted(set(supplier.filter(filled["lead_time_days"].is_null()))))
        raise ValueError(
            f"catalog: SKU {skus}{more}: no lead_time_days, and the supplier ({names}) has "
            "no lead time in the settings; give lead_time_days in the catalog row, or set "
            "inventory.suppliers.by_name.<supplier>.lead_time_days (or "
            "inventory.suppliers.default.lead_time_days)"
        )
    return filled


def supplier_terms(catalog: pl.DataFrame, suppliers: SupplierSettings) -> pl.DataFrame:
    """One row per supplier of the catalog with its purchase-order terms.

    Args:
        catalog: sku and supplier (filled, see :func:`with_supplier`); optional
            supplier_min_order_value, supplier_min_order_qty, supplier_order_days.
        suppliers: the settings inventory.suppliers.

    Returns:
        supplier, min_order_value, min_order_qty, order_days (ISO weekdays, sorted), by supplier.
    """
    rows = []
    for supplier, skus in catalog.sort("sku").group_by("supplier", maintain_order=True):
        name = supplier[0]
        terms = _settings_terms(name, suppliers)
        del terms["lead_time_days"]  # a SKU's, filled into the catalog (supplier_lead_times)
        terms["order_days"] = list(terms["order_days"])
        for column, key in (
            ("supplier_min_order_value", "min_order_value"),
            ("supplier_min_order_qty", "min_order_qty"),
        ):
            if column in skus.columns and skus[column].drop_nulls().len():
                terms[key] = skus[column].drop_nulls().max()
        if "supplier_order_days" in skus.columns:
            given = skus.filter(pl.col("supplier_order_days").str.strip_chars().str.len_chars() > 0)
            if given.height:
                terms["order_days"] = parse_order_days(
                    given["supplier_order_days"][0], given["sku"][0]
                )
        rows.append({"supplier": name, **terms})
    return pl.DataFrame(rows, schema=TERMS_SCHEMA).sort("supplier")
