"""A file's contract columns as text, or typed where the file already gives the contract
type (a typed Parquet column): the first step of the cast (ingest/cast.py parses the text).

A column whose type cannot hold the contract type at all is refused or, if optional, left
empty; a typed date or date-time beyond years 1 to 9999 becomes text no format parses, so
its row is quarantined showing the raw number.
"""

from __future__ import annotations

import polars as pl

from contract.exports import columns
from ingest.source import ExportFileError

_NESTED = (pl.List, pl.Array, pl.Struct, pl.Object, pl.Binary)
# Years 1 to 9999, the dates exports write and polars can print (printing a date-time
# beyond them panics): as days since 1970, and as seconds since 1970.
CALENDAR_DAYS = (-719_162, 2_932_896)
CALENDAR_SECONDS = (-62_135_596_800, 253_402_300_799)


def calendar_span(dtype: pl.DataType) -> tuple[int, int]:
    """The physical values (days, or time units since 1970) of years 1 to 9999 in a Date or
    Datetime type."""
    if dtype == pl.Date():
        return CALENDAR_DAYS
    per_second = {"ms": 1_000, "us": 1_000_000, "ns": 1_000_000_000}[dtype.time_unit]
    first, last = CALENDAR_SECONDS
    return max(first * per_second, -(2**63)), min((last + 1) * per_second - 1, 2**63 - 1)


def _beyond_calendar(values: pl.Series) -> bool:
    low, high = calendar_span(values.dtype)
    physical = values.to_physical()
    return bool(((physical < low) | (physical > high)).any())


def _calendar_text(name: str, source: pl.DataType) -> pl.Expr:
    """A typed date or date-time column holding values beyond years 1 to 9999 (a corrupt or
    sentinel value) as text: those values as their raw number, which no date format parses,
    so the row is quarantined showing it; the others as their wall-clock time."""
    low, high = calendar_span(source)
    physical = pl.col(name).to_physical()
    inside = pl.when(physical.is_between(low, high)).then(pl.col(name))
    if isinstance(source, pl.Datetime) and source.time_zone is not None:
        inside = inside.dt.replace_time_zone(None)
    return pl.coalesce(inside.cast(pl.String()), physical.cast(pl.String())).alias(name)


def _holds(source: pl.DataType, target: pl.DataType) -> bool:
    """Whether values of a file's column type can mean values of the contract type."""
    if source == pl.String() or source == pl.Null():
        return True
    if isinstance(source, _NESTED):
        return False
    if target == pl.String():
        return True
    if target == pl.Int64() or target == pl.Float64():
        return source.is_numeric()
    if target == pl.Boolean():
        return source == pl.Boolean() or source.is_integer()
    return isinstance(source, pl.Datetime | pl.Date)


def as_text(kind: str, frame: pl.DataFrame, file_name: str) -> tuple[pl.DataFrame, list[str]]:
    """Every contract column of one file as text, or typed if already of the contract type.

    Absent optional columns are null text. A column already of its contract type (after
    dropping a time zone, or taking the date of a date-time for a Date column) stays
    typed: turning it into text only for `cast_to_contract` to parse it back costs a
    text copy and a parse per value, and gives the same values.

    Args:
        kind: export kind.
        frame: contract-named columns of any type (a format adapter's output), plus
            load columns (names starting with "_"), which pass through.
        file_name: for messages.

    Returns:
        The frame with each contract column as String or in its contract type, and notes
        about optional columns left empty because their type cannot hold contract values.

    Raises:
        ExportFileError: a required column's type cannot hold contract values.
    """
    notes: list[str] = []
    text: list[pl.Expr] = []
    for column in columns(kind):
        source = frame.schema.get(column.name)
        if source is None and column.required:
            raise ExportFileError(
                f"{file_name}: no column gives the required {kind} column {column.name}; "
                f"export it, or map the file's column to {column.name} in exports.yaml"
            )
        if source is not None and not _holds(source, column.dtype):
            problem = f"column {column.name} holds {source} values, not {column.dtype}"
            if column.required:
                raise ExportFileError(f"{file_name}: {problem}; export it as {column.dtype}")
            notes.append(f"{file_name}: {problem}; loaded as empty")
            source = None
        if source is None:
            text.append(pl.lit(None, pl.String()).alias(column.name))
            continue
        if isinstance(source, pl.Datetime | pl.Date) and _beyond_calendar(frame[column.name]):
            text.append(_calendar_text(column.name, source))
            continue
        value, dtype = pl.col(column.name), source
        if isinstance(source, pl.Datetime) and source.time_zone is not None:
            value = value.dt.replace_time_zone(None)  # keep the wall-clock time of the export
            dtype = pl.Datetime(source.time_unit)
        if isinstance(source, pl.Datetime) and column.dtype == pl.Date():
            value, dtype = value.dt.date(), pl.Date()
        text.append(value if dtype == column.dtype else value.cast(pl.String()))
    load_columns = [name for name in frame.columns if name.startswith("_")]
    return frame.select(*text, *load_columns), notes
