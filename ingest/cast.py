"""Cast contract-named columns to the contract types; rows that cannot load go to quarantine.

Two steps. `as_text` (ingest/cast_text.py) turns each contract column of one file into text, except a column the
file already gives in the contract type (a typed Parquet column), which stays typed (a
column whose type cannot hold the contract type at all is refused or, if optional, left
empty). `cast_to_contract` parses the text of many files at once (typed columns need no
parsing; their text is made for the quarantined rows only; text is stripped only in the
columns where a cheap look cannot rule out a blank value or a padded number, see
`_ready_values`) and splits the rows: a row
with an unparsable value, a missing required value or a broken rule becomes one
quarantine row (all its reasons joined); a row that would load but repeats the unique key
of an earlier row in the same file (`contract.UNIQUE_KEYS`) is quarantined as a duplicate.
So rows_read = rows_loaded + rows_quarantined.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from config.settings import IngestSettings
from contract.exports import ROW_DAY, Column, columns
from ingest import rules
from ingest.blank_text import columns_without_blanks
from ingest.bounds import FILE_DAY, RowBounds, bound_problems
from ingest.source import RAW_VALUE_CHARS
from ingest.timestamps import ISO_DATETIME_FORMATS, local_moments

TRUE_WORDS = ("true", "t", "yes", "y", "1")
FALSE_WORDS = ("false", "f", "no", "n", "0")
QUARANTINE_SCHEMA = {
    "_file": pl.String(),
    "_export_date": pl.Date(),
    "line": pl.Int64(),
    "column_name": pl.String(),
    "raw_value": pl.String(),
    "reason": pl.String(),
}


def _parse(column: Column, text: pl.Expr) -> pl.Expr:
    """The contract value of a number or boolean column from its stripped text (null when
    blank); other columns' text as it is."""
    dtype = column.dtype
    if dtype == pl.Int64():
        number = text.cast(pl.Float64(), strict=False)
        whole = number.is_finite() & (number == number.round(0)) & (number.abs() < 2.0**63)
        return pl.coalesce(
            text.cast(pl.Int64(), strict=False), pl.when(whole).then(number.cast(pl.Int64()))
        )
    if dtype == pl.Float64():
        number = text.cast(pl.Float64(), strict=False)
        return pl.when(number.is_finite()).then(number)
    if dtype == pl.Boolean():
        word = text.str.to_lowercase()
        return pl.when(word.is_in(TRUE_WORDS)).then(True).when(word.is_in(FALSE_WORDS)).then(False)
    return text


def _typed_value(
    column: Column, text: pl.Series, formats: tuple[str, ...], shop_timezone: str | None
) -> pl.Expr:
    """A contract column's value from `text` (its stripped text, or its typed values); a
    date-time with a UTC offset in the shop's time (ingest/timestamps.py)."""
    if text.dtype == column.dtype and column.dtype != pl.String():
        value = pl.col(column.name)  # a typed column (see as_text): no text to parse
        # NaN and infinity are not numbers, as their text "NaN" and "inf" would not be
        return pl.when(value.is_finite()).then(value) if column.dtype == pl.Float64() else value
    if column.dtype == pl.String():
        # text columns keep their raw value, surrounding spaces included; blank is null
        return pl.when(pl.col(f"__text_{column.name}").is_not_null()).then(pl.col(column.name))
    if column.dtype.is_temporal():
        moments = local_moments(text, formats, shop_timezone)
        return pl.lit(moments.dt.date() if column.dtype == pl.Date() else moments)
    if column.dtype == pl.Int64():
        whole = text.cast(pl.Int64(), strict=False)
        if whole.null_count() == text.null_count():
            return pl.lit(whole)  # every value written as a whole number: no other reading
    return _parse(column, pl.col(f"__text_{column.name}"))


_UNPARSABLE = {
    "Int64": "is not a whole number; export digits only, e.g. 6",
    "Float64": "is not a number; export digits with a dot for decimals, e.g. 2.55",
    "Boolean": "is not true or false",
    "Datetime": "is not a date-time; export shop local time as YYYY-MM-DD HH:MM:SS, or ISO 8601 "
    "with its UTC offset (e.g. 2024-03-05T14:22:01+01:00)",
    "Date": "is not a date; export it as YYYY-MM-DD",
}


_OUT_OF_RANGE = {
    "Int64": "is a whole number out of range (beyond 9,223,372,036,854,775,807); "
    "fix the value in the export",
    "Float64": "is a number out of range (beyond 1.8e308); fix the value in the export",
}


def _out_of_range(column: Column, text: pl.Expr) -> pl.Expr:
    """Text that is a number, too large for the column's type (not a word like "inf")."""
    if type(column.dtype).__name__ not in _OUT_OF_RANGE:
        return pl.lit(False)
    number = text.cast(pl.Float64(), strict=False)
    too_large = number.is_infinite() & ~text.str.to_lowercase().str.contains("inf")
    if column.dtype == pl.Int64():
        # Every float of magnitude 2**53 or more is a whole number, so a finite one beyond
        # Int64 is a whole number too large (a fraction that large cannot be written).
        too_large = too_large | (number.is_finite() & (number.abs() >= 2.0**63))
    return too_large


def _parse_problem(column: Column, text: pl.Expr, value: pl.Expr) -> rules.Problem | None:
    kind_of_type = type(column.dtype).__name__
    message = _UNPARSABLE.get(kind_of_type)
    if message is None:
        return None
    # A whole number too large for Int64 parses as no number at all; say it is too large.
    explained = pl.when(_out_of_range(column, text)).then(
        pl.lit(f" {_OUT_OF_RANGE.get(kind_of_type, message)}")
    )
    return rules.Problem(
        column.name,
        text.is_not_null() & value.is_null(),
        pl.concat_str(
            [
                pl.lit(f"{column.name} "),
                rules.quoted(column.name),
                explained.otherwise(pl.lit(f" {message}")),
            ]
        ),
    )


def cast_to_contract(
    kind: str,
    text: pl.DataFrame,
    datetime_formats: tuple[str, ...] = (),
    default_currency: str = IngestSettings().currency,
    accepted_currencies: tuple[str, ...] | None = None,
    bounds: RowBounds | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Parse text rows into contract types and split off the rows that cannot load.

    Args:
        kind: export kind.
        text: `as_text` output (of one or more files) with `_line`, `_file`, `_export_date`;
            a contract column may already be of its contract type instead of text.
        datetime_formats: extra strptime formats of the export layout.
        default_currency: currency of order rows that name none.
        accepted_currencies: currencies an order row may have; None: any ISO 4217 code.
        bounds: the plausibility bounds (contract/bounds.py); None: the settings' defaults.

    Returns:
        (rows, quarantine): rows in contract types plus the load columns, in contract
        order; quarantine with _file, _export_date, line, column_name, raw_value, reason
        (one row per quarantined line; several problems are joined with "; ").
    """
    contract = columns(kind)
    # Columns already of their contract type: their text (made for quarantined rows only)
    # never has surrounding spaces and is never blank, so the value stands for it.
    already_typed = {
        c.name for c in contract if c.dtype != pl.String() and text.schema[c.name] == c.dtype
    }
    ready = _ready_values(kind, text, already_typed)

    def stripped(name: str) -> pl.Expr:
        if name in already_typed or (name in ready and ready[name].dtype != pl.String()):
            return pl.col(name)  # numbers read from their text as it is: no spaces in it
        if name in ready:
            return pl.col(name).str.strip_chars()  # never blank; for reasons only
        return pl.col(f"__text_{name}")

    def blank(name: str) -> pl.Expr:
        return pl.col(name).is_null() if name in ready else stripped(name).is_null()

    bounds = bounds or RowBounds.from_settings()
    frame = _parsed(kind, text, already_typed, ready, datetime_formats, default_currency, bounds)
    checks = _value_checks(kind, stripped, blank, accepted_currencies, bounds)
    frame = _flagged(frame, checks)
    # Duplicates are judged among the rows that load otherwise: the first of them loads.
    loadable = ~pl.col("__quarantined")
    if rules.has_key(kind, text) and frame.select(rules.key_repeats(kind, _typed, loadable)).item():
        frame = frame.with_columns(
            rules.duplicate_of(kind, _typed, loadable).alias(rules.DUPLICATE_OF)
        )
        checks.append(rules.duplicate(kind, stripped))
        frame = _flagged(frame, checks, first=len(checks) - 1)

    load_columns = [name for name in text.columns if name.startswith("_")]
    loads = frame.filter(~pl.col("__quarantined")) if frame["__quarantined"].any() else frame
    rows = loads.select(*(_typed(c.name).alias(c.name) for c in contract), *load_columns)
    return rows, _quarantine(frame, checks, already_typed)


def _typed(name: str) -> pl.Expr:
    """A contract column's value in its contract type (see `_parsed`)."""
    return pl.col(f"__typed_{name}")


def _ready_values(kind: str, text: pl.DataFrame, already_typed: set[str]) -> dict[str, pl.Series]:
    """Contract values that need no stripped text: text columns with no blank value, as
    they are, and whole-number and number columns whose every value reads as one without
    stripping (such text has no spaces: polars reads none).

    Stripping copies every value and is most of what reading text costs, so it is done
    only for the columns this cheap look cannot clear; their values are the same either way.
    """
    given_as_text = [
        c
        for c in columns(kind)
        if c.name not in already_typed and text[c.name].dtype == pl.String()
    ]
    texts = [c.name for c in given_as_text if c.dtype == pl.String()]
    ready = {name: text[name] for name in columns_without_blanks(text, texts)}
    for c in given_as_text:
        if c.dtype in (pl.Int64(), pl.Float64()):
            number = text[c.name].cast(c.dtype, strict=False)
            if number.null_count() == text[c.name].null_count() and (
                c.dtype == pl.Int64() or number.is_finite().all()
            ):
                ready[c.name] = number
    return ready


def _parsed(
    kind: str,
    text: pl.DataFrame,
    already_typed: set[str],
    ready: dict[str, pl.Series],
    datetime_formats: tuple[str, ...],
    default_currency: str,
    bounds: RowBounds,
) -> pl.DataFrame:
    """``text`` plus, per contract column, its stripped text (``__text_<name>``, blank is
    null; not for already typed columns nor `ready` ones) and its contract value
    (``__typed_<name>``, defaults of the kind filled in), and the export day its file gave
    (``FILE_DAY``)."""
    contract = columns(kind)
    frame = text.with_columns(
        pl.col(c.name).str.strip_chars().replace("", None).alias(f"__text_{c.name}")
        for c in contract
        if c.name not in already_typed and c.name not in ready
    )
    formats = ISO_DATETIME_FORMATS + datetime_formats
    given = {c.name: c.name if c.name in already_typed else f"__text_{c.name}" for c in contract}
    frame = frame.with_columns(
        (
            pl.lit(ready[c.name])
            if c.name in ready
            else _typed_value(c, frame[given[c.name]], formats, bounds.shop_timezone)
        ).alias(f"__typed_{c.name}")
        for c in contract
    )
    filled = rules.defaults(kind, _typed, default_currency)
    frame = frame.with_columns(value.alias(f"__typed_{name}") for name, value in filled.items())
    frame = frame.with_columns(pl.col("_export_date").alias(FILE_DAY))
    if kind not in ROW_DAY:
        return frame
    # A multi-day file's rows have no export day until their own date gives it; a date
    # outside the bounds gives none (the row is quarantined on the file's first day).
    own_day = _typed(ROW_DAY[kind]).cast(pl.Date())
    own_day = pl.when(bounds.within_days(own_day)).then(own_day)
    return frame.with_columns(pl.coalesce(pl.col("_export_date"), own_day).alias("_export_date"))


def _value_checks(
    kind: str,
    stripped: Callable[[str], pl.Expr],
    blank: Callable[[str], pl.Expr],
    accepted_currencies: tuple[str, ...] | None,
    bounds: RowBounds,
) -> list[rules.Problem]:
    """Every check a row's values must pass: parsable, required present (not `blank`),
    within the plausibility bounds, the kind's rules."""
    checks: list[rules.Problem] = []
    for c in columns(kind):
        unparsable = _parse_problem(c, stripped(c.name), _typed(c.name))
        checks += [unparsable] if unparsable is not None else []
        if c.required:
            checks.append(
                rules.Problem(
                    c.name,
                    blank(c.name),
                    pl.lit(
                        f"{c.name} is missing; every {kind} row needs {c.name}, "
                        "fill it in the export"
                    ),
                )
            )
    return (
        checks
        + bound_problems(kind, _typed, bounds)
        + rules.problems(kind, _typed, accepted_currencies)
    )


def _flagged(frame: pl.DataFrame, checks: list[rules.Problem], first: int = 0) -> pl.DataFrame:
    """``frame`` with ``__failed_<i>`` for the checks from index ``first`` on (the earlier
    ones are flagged already) and ``__quarantined`` (any check failed)."""
    return frame.with_columns(
        checks[i].failed.fill_null(False).alias(f"__failed_{i}") for i in range(first, len(checks))
    ).with_columns(
        pl.any_horizontal(pl.col(f"__failed_{i}") for i in range(len(checks))).alias(
            "__quarantined"
        )
    )


def _quarantine(
    frame: pl.DataFrame, checks: list[rules.Problem], already_typed: set[str]
) -> pl.DataFrame:
    """One row per quarantined line: its columns, raw values and reasons, joined."""
    failed = [pl.col(f"__failed_{i}") for i in range(len(checks))]

    def joined(parts: list[pl.Expr], separator: str) -> pl.Expr:
        flagged = [pl.when(flag).then(part) for flag, part in zip(failed, parts, strict=True)]
        return pl.concat_str(flagged, separator=separator, ignore_nulls=True).replace("", None)

    # Reasons are built on the quarantined rows only: string work on every row is the cost.
    # There typed columns become the text as_text would have made, for raw values and quotes.
    quarantine = (
        frame.filter(pl.col("__quarantined"))
        .with_columns(pl.col(name).cast(pl.String()) for name in already_typed)
        .select(
            pl.col("_file"),
            pl.col("_export_date"),
            pl.col("_line").alias("line"),
            joined([pl.lit(check.column) for check in checks], ", ").alias("column_name"),
            joined(
                [
                    (
                        pl.col(check.column) if check.raw_value is None else check.raw_value
                    ).str.slice(0, RAW_VALUE_CHARS)
                    for check in checks
                ],
                " | ",
            ).alias("raw_value"),
            joined([check.reason for check in checks], "; ").alias("reason"),
        )
    )
    return quarantine.cast(QUARANTINE_SCHEMA)
