"""CSV files we write open in a spreadsheet as text, never as a formula, numbers as numbers."""

from __future__ import annotations

import csv

import polars as pl

from warehouse.safe_csv import write_safe_csv

INJECTIONS = ['=HYPERLINK("http://x.invalid","y")', "-2+3", "@SUM(1+1)", "+1", "\tTAB", "\rCR"]


def test_formula_like_text_gets_a_leading_quote_and_numbers_stay_numbers(tmp_path):
    """Bug caught: a SKU `=HYPERLINK(...)` or a description `-2+3` / `@SUM(1+1)` reached
    the reorder CSV verbatim and ran as a formula in the merchandiser's spreadsheet; the
    fix must not turn a negative quantity into text."""
    frame = pl.DataFrame(
        {
            "sku": [*INJECTIONS, "MUG", "a=b", None],
            "order_qty": [-2, 3, 0, -1, 5, 6, 7, 8, 9],
            "order_value": [-1.5, 2.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0, None],
            "abc_class": pl.Series(
                ["-", "A", "B", "C", "A", "A", "A", "A", "A"], dtype=pl.Categorical
            ),
        }
    )
    path = tmp_path / "reorder.csv"
    write_safe_csv(frame, path)

    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["sku"] for row in rows] == [
        *(f"'{text}" for text in INJECTIONS),
        "MUG",
        "a=b",
        "",
    ]
    assert rows[0]["order_qty"] == "-2" and rows[0]["order_value"] == "-1.5"
    assert rows[0]["abc_class"] == "'-"
    back = pl.read_csv(path)
    assert back.schema["order_qty"] == pl.Int64() and back["order_qty"][0] == -2
    assert back.schema["order_value"] == pl.Float64() and back["order_value"][0] == -1.5
