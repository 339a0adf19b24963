"""The interface every export format adapter implements."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

from ingest.source_text import LINE

# (kind, header, the kind's section of exports.yaml) -> source columns the file lacks
MissingColumns = Callable[[str, list[str], Mapping[str, Any]], list[str]]
# (kind, frame in the file's own columns with `_line`, section) -> frame in contract names
ToContract = Callable[[str, pl.DataFrame, Mapping[str, Any]], pl.DataFrame]


@dataclass(frozen=True)
class ExportFormat:
    """One export layout.

    `to_contract` renames and derives columns only; it returns contract-named columns of
    any type (text or the file's own), keeps `_line`, and may leave out optional contract
    columns. Casting to contract types and quarantining bad values happen afterwards,
    the same way for every format.
    """

    name: str
    kinds: tuple[str, ...]
    missing_columns: MissingColumns
    to_contract: ToContract
    datetime_formats: tuple[str, ...] = ()  # extra strptime formats, tried after ISO 8601
    config_keys: tuple[str, ...] = ()  # keys besides `format` its exports.yaml section may hold
    detectable: bool = True  # False when a header alone cannot identify it (e.g. a mapping)


def probe_row(frame: pl.DataFrame, header: list[str]) -> pl.DataFrame:
    """One row in a file's own columns with a value in every column, to find out by trying
    what a format does with a column (which it reads, which it maps to personal data).

    Args:
        frame: rows in the file's own columns (any number, none included).
        header: the file's columns.

    Returns:
        The first non-null value of each column, "1" where a text column has none, plus
        `_line`, `_file` and `_export_date` as the readers add them.
    """
    sample = frame.select(pl.col(name).drop_nulls().first() for name in header)
    return sample.with_columns(
        pl.col(name).fill_null("1") if dtype == pl.String() else pl.lit("1").alias(name)
        for name, dtype in sample.schema.items()
        if dtype in (pl.String(), pl.Null())
    ).with_columns(
        pl.lit(2, pl.Int64()).alias(LINE),
        pl.lit("probe", pl.String()).alias("_file"),
        pl.lit(None, pl.Date()).alias("_export_date"),
    )
