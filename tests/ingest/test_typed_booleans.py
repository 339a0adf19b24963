"""Which typed Parquet columns can give a boolean contract column (catalog is_product)."""

from __future__ import annotations

import polars as pl

from ingest.cast_text import as_text

FILE = "catalog/2024-01-05.parquet"


def _catalog(is_product: pl.Series) -> pl.DataFrame:
    return pl.DataFrame({"sku": ["S1", "S2"], "unit_cost": [1.0, 2.0], "is_product": is_product})


def test_booleans_and_integer_flags_give_a_boolean_column_and_decimals_do_not():
    """Bug caught: the test of what a boolean column can come from turned around, so a
    Parquet boolean is_product is loaded as empty while a column of decimals (1.5 is not
    true or false) is taken for flags. Booleans stay typed; 0/1 integers become text for the
    loader to read as flags; a Float64 column is loaded as empty, with a note saying so."""
    flags, notes = as_text("catalog", _catalog(pl.Series([True, False])), FILE)
    assert (notes, flags["is_product"].to_list()) == ([], [True, False])
    numbers, notes = as_text("catalog", _catalog(pl.Series([1, 0], dtype=pl.Int8)), FILE)
    assert (notes, numbers["is_product"].to_list()) == ([], ["1", "0"])
    decimals, notes = as_text("catalog", _catalog(pl.Series([1.5, 0.0])), FILE)
    assert notes == [
        f"{FILE}: column is_product holds Float64 values, not Boolean; loaded as empty"
    ]
    assert decimals["is_product"].to_list() == [None, None]
