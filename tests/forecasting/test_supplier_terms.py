"""Supplier terms read from the settings and the catalog: lead times filled from the
supplier's then the default, order days given as weekday names or ISO numbers, and the
first SKU's terms setting its supplier's; every refusal names the SKU and the fix."""

import polars as pl
import pytest

from config.settings_suppliers import SupplierSettings
from forecasting.suppliers import (
    parse_order_days,
    supplier_lead_times,
    supplier_terms,
    with_supplier,
)


def test_catalog_columns_override_the_settings_and_an_empty_supplier_is_the_default():
    # Bug caught: a catalog's supplier terms ignored, or SKUs without a supplier dropped.
    catalog = pl.DataFrame(
        {
            "sku": ["A1", "A2", "B1", "N1"],
            "supplier": ["ACME", "ACME", "BETA", None],
            "supplier_min_order_value": [100.0, 150.0, None, None],
            "supplier_min_order_qty": [None, None, 24, None],
            "supplier_order_days": [None, "Tue, friday", None, None],
        }
    )
    settings = SupplierSettings(
        default={"order_days": [1, 2, 3, 4, 5]},
        by_name={"ACME": {"min_order_value": 50, "order_days": [1]}, "BETA": {"min_order_qty": 6}},
    )
    terms = supplier_terms(with_supplier(catalog, settings), settings)
    assert terms.rows() == [
        ("ACME", 150.0, 0, [2, 5]),  # the largest minimum given; the catalog's order days
        ("BETA", 0.0, 24, [1, 2, 3, 4, 5]),  # default order days, catalog minimum
        ("Default supplier", 0.0, 0, [1, 2, 3, 4, 5]),
    ]


@pytest.mark.parametrize("text", ["Mon Thu", "mon,thursday", "1,4", " 4 , 1 "])
def test_order_days_are_read_as_names_or_iso_numbers(text):
    assert parse_order_days(text, "A1") == [1, 4]


def test_unreadable_order_days_name_the_sku_and_the_fix():
    with pytest.raises(ValueError, match="SKU 'A1' has supplier_order_days 'Mo/Th'; write"):
        parse_order_days("Mo/Th", "A1")


LEAD_TIME_CATALOG = pl.DataFrame(
    {
        "sku": ["A1", "A2", "B1", "N1"],
        "supplier": ["ACME", "ACME", "BETA", None],
        "lead_time_days": [5.0, None, None, None],
    }
)


def test_an_empty_lead_time_is_the_suppliers_then_the_default():
    # Bug caught: a catalog row without a lead time dropped, or given the default where its
    # supplier has a lead time of its own, or a row's own lead time overridden.
    settings = SupplierSettings(
        default={"lead_time_days": 20}, by_name={"ACME": {"lead_time_days": 12}, "BETA": {}}
    )
    filled = supplier_lead_times(LEAD_TIME_CATALOG, settings)
    assert filled.columns == LEAD_TIME_CATALOG.columns
    assert filled["lead_time_days"].to_list() == [5.0, 12.0, 20.0, 20.0]
    assert supplier_terms(with_supplier(filled, settings), settings).columns == [
        "supplier",
        "min_order_value",
        "min_order_qty",
        "order_days",
    ]


def test_a_sku_with_no_lead_time_anywhere_stops_the_list_naming_it_and_the_fix():
    # Bug caught: a SKU with no lead time in its row nor its supplier's settings silently
    # dropped from the reorder list, or planned with a lead time of 0.
    settings = SupplierSettings(by_name={"ACME": {"lead_time_days": 12}})
    with pytest.raises(ValueError) as error:
        supplier_lead_times(LEAD_TIME_CATALOG, settings)
    message = str(error.value)
    assert "SKU 'B1', 'N1': no lead_time_days" in message
    assert "(BETA, Default supplier)" in message
    assert "give lead_time_days in the catalog row" in message
    assert "inventory.suppliers.by_name.<supplier>.lead_time_days" in message


def test_a_long_list_of_skus_without_a_lead_time_names_five_and_counts_the_rest():
    # Bug caught: "and 12 more" for seven SKUs (the five named added instead of taken off),
    # which sends a merchandiser looking for SKUs that are not there.
    catalog = pl.DataFrame(
        {
            "sku": [f"S{n}" for n in range(7)],
            "supplier": ["BETA"] * 7,
            "lead_time_days": [None] * 7,
        },
        schema_overrides={"lead_time_days": pl.Float64},
    )
    with pytest.raises(ValueError, match=r"SKU 'S0', 'S1', 'S2', 'S3', 'S4' and 2 more: no"):
        supplier_lead_times(catalog, SupplierSettings())


def test_order_days_need_three_letters_of_a_weekday():
    # Bug caught: a two-letter token taken for a weekday, where the rule (and its error
    # message) asks for three letters at least, so a typo is refused rather than guessed.
    assert parse_order_days("tue thu", "A1") == [2, 4]
    with pytest.raises(ValueError, match="SKU 'A1' has supplier_order_days 'Tu'"):
        parse_order_days("Tu", "A1")


@pytest.mark.parametrize(("text", "days"), [("7", [7]), ("1 7", [1, 7]), ("3", [3])])
def test_order_days_as_iso_numbers_one_to_seven(text, days):
    """Bug caught: Sunday (ISO 7) refused as a weekday number."""
    assert parse_order_days(text, "A1") == days


@pytest.mark.parametrize("text", ["0", "8"])
def test_order_day_numbers_outside_one_to_seven_are_refused(text):
    """Bug caught: 0 or 8 taken for a weekday (there is no ISO weekday 0 or 8)."""
    with pytest.raises(ValueError, match=f"supplier_order_days '{text}'; write weekdays"):
        parse_order_days(text, "A1")


def test_the_first_sku_giving_order_days_sets_its_suppliers():
    """Bugs caught: a blank order-days cell taken as given (and refused as empty), a
    one-character cell ("3") skipped, and the last SKU's order days used (or named in the
    error) instead of the first's. A supplier named with one letter is still named."""
    catalog = pl.DataFrame(
        {
            "sku": ["A0", "A1", "A2", "B1", "B2"],
            "supplier": ["ACME", "ACME", "ACME", "B", "B"],
            "supplier_order_days": ["  ", "3", "Fri", "Mo/Th", "Tue"],
        }
    )
    settings = SupplierSettings()
    acme = catalog.filter(pl.col("supplier") == "ACME")
    assert supplier_terms(with_supplier(acme, settings), settings)["order_days"].to_list() == [[3]]
    assert with_supplier(catalog, settings)["supplier"].to_list()[3:] == ["B", "B"]
    with pytest.raises(ValueError, match="SKU 'B1' has supplier_order_days 'Mo/Th'"):
        supplier_terms(with_supplier(catalog, settings), settings)


@pytest.mark.parametrize(
    ("missing", "named"), [(5, "'S0', 'S1', 'S2', 'S3', 'S4': no"), (6, "'S4' and 1 more: no")]
)
def test_five_skus_without_a_lead_time_are_all_named(missing, named):
    """Bugs caught: five SKUs without a lead time followed by "and 0 more", or the sixth
    not counted ("and 1 more" left out)."""
    catalog = pl.DataFrame(
        {
            "sku": [f"S{n}" for n in range(missing)],
            "supplier": ["BETA"] * missing,
            "lead_time_days": [None] * missing,
        },
        schema_overrides={"lead_time_days": pl.Float64},
    )
    with pytest.raises(ValueError, match=named):
        supplier_lead_times(catalog, SupplierSettings())


def test_a_single_empty_lead_time_is_filled():
    """Bug caught: a catalog with exactly one row without a lead time returned as it is (the
    early return for a catalog without empty lead times taken), leaving it empty."""
    catalog = LEAD_TIME_CATALOG.head(2)  # A1 gives 5 days, A2 none
    settings = SupplierSettings(by_name={"ACME": {"lead_time_days": 12}})
    assert supplier_lead_times(catalog, settings)["lead_time_days"].to_list() == [5.0, 12.0]
