"""The interface every export format adapter implements."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

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
