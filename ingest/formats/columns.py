"""Header helpers shared by the format adapters: find a column by any of its names.

Exports written by hand or by other tools vary the case and spacing of the same header
(`Lineitem sku` / `Lineitem SKU`), so adapters look columns up by normalised name.
"""

from __future__ import annotations

import polars as pl


def _normal(name: str) -> str:
    return " ".join(name.strip().lower().split())


def find(header: list[str], *names: str) -> str | None:
    """The header's own spelling of the first of `names` it has (case and spaces ignored)."""
    present = {_normal(column): column for column in header}
    for name in names:
        if _normal(name) in present:
            return present[_normal(name)]
    return None


def missing(header: list[str], wanted: dict[str, tuple[str, ...]]) -> list[str]:
    """The wanted columns the header lacks, each named by its first (preferred) name."""
    return [names[0] for names in wanted.values() if find(header, *names) is None]


def text(frame: pl.DataFrame, *names: str) -> pl.Expr:
    """The first present column of `names` as text, or a null text column."""
    column = find(frame.columns, *names)
    return pl.col(column).cast(pl.String()) if column is not None else pl.lit(None, pl.String())


def export_day_start() -> pl.Expr:
    """Midnight of the export day from the file name: the moment of undated exports."""
    return pl.col("_export_date").cast(pl.Datetime("us"))
