"""Write a frame as a CSV file a spreadsheet can open without running anything in it.

Excel, LibreOffice and Google Sheets treat a cell that starts with `=`, `+`, `-` or `@`
(and, in some versions, a tab or carriage return) as a formula, so a SKU exported as
`=HYPERLINK("http://x.invalid","y")` would become a live link in the merchandiser's
spreadsheet. Following OWASP's CSV-injection guidance, every text cell starting with one
of those characters gets a leading `'`, which spreadsheets show as text and hide.
Numeric columns stay numbers: a negative quantity is a number, not a formula.

Every CSV file orderpulse writes for people goes through `write_safe_csv`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

# The first characters that make a spreadsheet read a cell as a formula (OWASP).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_STARTS_A_FORMULA = "^[" + "".join(FORMULA_START).replace("-", r"\-") + "]"


def neutralised(text: pl.Expr) -> pl.Expr:
    """A text column with a `'` before every value a spreadsheet would run as a formula."""
    return (
        pl.when(text.str.contains(_STARTS_A_FORMULA))
        .then(pl.concat_str([pl.lit("'"), text]))
        .otherwise(text)
    )


def restored(text: pl.Expr) -> pl.Expr:
    """A text column read back from a file `write_safe_csv` wrote, its `'` removed again.

    The one value this cannot tell apart is text that itself began with `'` followed by a
    formula character; no SKU or description of the shops we know does.
    """
    return text.str.replace(r"^'(" + _STARTS_A_FORMULA[1:] + ")", "$1")


def spreadsheet_safe(frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` with its text (and categorical) columns neutralised; other columns untouched."""
    text_columns = [
        name
        for name, dtype in frame.schema.items()
        if dtype == pl.String() or isinstance(dtype, pl.Categorical | pl.Enum)
    ]
    return frame.with_columns(
        neutralised(pl.col(name).cast(pl.String())).alias(name) for name in text_columns
    )


def write_safe_csv(frame: pl.DataFrame, path: str | Path, **options: Any) -> None:
    """Write `frame` to `path` as CSV, its formula-like text cells neutralised.

    Args:
        frame: the rows to write; numeric, date and boolean columns are written as they are.
        path: the CSV file to create or replace.
        **options: passed on to `polars.DataFrame.write_csv` (e.g. `datetime_format`).
    """
    spreadsheet_safe(frame).write_csv(path, **options)
