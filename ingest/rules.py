"""Row rules per export kind, applied after casting: defaults, then what makes a row unloadable.

Only rules that make a row meaningless belong here. Valid-but-odd export lines (negative
quantities on returns and cancellations, zero prices, stock write-offs as zero-priced
negative lines) load into raw and staging interprets them. The plausibility bounds of
single columns (dates, magnitudes, scales) are in contract/bounds.py and ingest/bounds.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import polars as pl

from config.currencies import ISO_4217
from contract.bounds import NON_PRODUCT_CODES, NON_PRODUCT_PREFIX
from contract.exports import (
    EVENT_NAMES,
    FEEDBACK_TYPES,
    KEY_DEFAULTS,
    ORDER_STATUSES,
    UNIQUE_KEYS,
    VISITOR_TYPES,
)

DUPLICATE_OF = "__duplicate_of"


class Problem(NamedTuple):
    """A check on one column: where it fails (boolean, null counts as passing) and why."""

    column: str
    failed: pl.Expr
    reason: pl.Expr  # evaluated on the failing rows only
    raw_value: pl.Expr | None = None  # the raw text of `column` when None


def quoted(value: str | pl.Expr) -> pl.Expr:
    """A value (a column's raw text by default) in double quotes, for reasons."""
    text = pl.col(value) if isinstance(value, str) else value
    return pl.concat_str([pl.lit('"'), text.str.slice(0, 60), pl.lit('"')])


def _problem(column: str, failed: pl.Expr, *parts: str | pl.Expr) -> Problem:
    pieces = [pl.lit(part) if isinstance(part, str) else part for part in parts]
    return Problem(column, failed, pl.concat_str(pieces))


def defaults(
    kind: str, typed: Callable[[str], pl.Expr], default_currency: str
) -> dict[str, pl.Expr]:
    """Values filled before the rules run: {column: expression replacing its cast value}."""
    if kind == "orders":
        # An order row without a currency is in the shop's currency (the `currency` setting).
        currency = typed("currency").str.strip_chars().str.to_uppercase()
        return {"currency": currency.fill_null(pl.lit(default_currency))}
    return {}


def problems(
    kind: str, typed: Callable[[str], pl.Expr], accepted_currencies: tuple[str, ...] | None
) -> list[Problem]:
    """Rules of one kind.

    Args:
        kind: export kind.
        typed: column name -> expression of its cast value (the raw text is `pl.col(name)`).
        accepted_currencies: currencies an order row may have; None: any ISO 4217 code.

    Returns:
        The checks; a row fails one where `failed` is true.
    """
    if kind == "orders":
        return _order_problems(typed, accepted_currencies)
    rules_of_kind = {
        "traffic": _traffic_problems,
        "feedback": _feedback_problems,
        "shipments": _shipment_problems,
    }
    return rules_of_kind[kind](typed) if kind in rules_of_kind else []


def _order_problems(
    typed: Callable[[str], pl.Expr], accepted_currencies: tuple[str, ...] | None
) -> list[Problem]:
    return [
        _problem(
            "quantity",
            typed("quantity") == 0,
            "quantity is 0; an order line needs a non-zero quantity "
            "(negative for cancellations and returns) - drop the line from the export",
        ),
        *_order_sign_problems(typed),
        _currency_problem(typed("currency"), accepted_currencies),
        # A status the marts do not know (a marketplace's "shipped", one missing from a
        # mapping file's status_map) would otherwise stop the run at the staging checks.
        _problem(
            "order_status",
            ~typed("order_status").is_in(list(ORDER_STATUSES)),
            "order_status ",
            quoted("order_status"),
            f" is not one of {', '.join(ORDER_STATUSES)}; map it with status_map in the "
            "mapping file, or export one of them",
        ),
    ]


def is_merchandise(sku: pl.Expr) -> pl.Expr:
    """Whether a product code is merchandise, not a fee or adjustment (contract/bounds.py)."""
    code = sku.str.strip_chars().str.to_uppercase()
    return ~(
        code.is_in(list(NON_PRODUCT_CODES))
        | sku.str.to_lowercase().str.starts_with(NON_PRODUCT_PREFIX)
    )


def _order_sign_problems(typed: Callable[[str], pl.Expr]) -> list[Problem]:
    """Signs a line of merchandise may have. Returns and cancellations take units back
    (negative quantity); a price is never negative. A placed line with negative units at a
    price would be a refund booked as a sale; zero-priced negative placed lines are stock
    write-offs of the Online Retail layout and load. Fee and adjustment codes take either
    sign (the Online Retail shop books bad debt as code B at a negative price): the marts
    count them as adjustments."""
    price, quantity = typed("unit_price"), typed("quantity")
    merchandise = is_merchandise(typed("sku"))
    return [
        _problem(
            "unit_price",
            (price < 0) & merchandise,
            "unit_price ",
            quoted("unit_price"),
            " is negative on product ",
            quoted("sku"),
            f"; only fee and adjustment codes ({', '.join(NON_PRODUCT_CODES[:4])}, ...) take a "
            "negative price - export a refund as a returned line with a negative quantity",
        ),
        Problem(
            "quantity",
            (typed("order_status") == "placed") & (quantity < 0) & (price > 0) & merchandise,
            pl.concat_str(
                [
                    pl.lit("quantity "),
                    quoted("quantity"),
                    pl.lit(" is negative on a placed line of "),
                    quoted("sku"),
                    pl.lit(" priced "),
                    quoted("unit_price"),
                    pl.lit(
                        "; units come back on returns and cancellations - export the line "
                        "with order_status returned or cancelled"
                    ),
                ]
            ),
            pl.concat_str([pl.col("quantity"), pl.col("unit_price")], separator=" | "),
        ),
    ]


def _currency_problem(currency: pl.Expr, accepted_currencies: tuple[str, ...] | None) -> Problem:
    """Any ISO 4217 code loads, unless the settings name the accepted ones."""
    if accepted_currencies is None:
        return _problem(
            "currency",
            ~currency.is_in(sorted(ISO_4217)),
            "currency ",
            quoted(currency),
            " is not an ISO 4217 currency code; export the three-letter code, e.g. EUR",
        )
    return _problem(
        "currency",
        ~currency.is_in(list(accepted_currencies)),
        "currency ",
        quoted(currency),
        f" is not accepted ({', '.join(accepted_currencies)}); use an ISO 4217 code "
        "or add it to ingest.accepted_currencies in the settings",
    )


def _traffic_problems(typed: Callable[[str], pl.Expr]) -> list[Problem]:
    return [
        _problem(
            "event_name",
            ~typed("event_name").is_in(list(EVENT_NAMES)),
            "event_name ",
            quoted("event_name"),
            f" is not one of {', '.join(EVENT_NAMES)}; map it to one of them in the export",
        ),
        _problem(
            "visitor_type",
            ~typed("visitor_type").str.to_lowercase().is_in(list(VISITOR_TYPES)),
            "visitor_type ",
            quoted("visitor_type"),
            f" is not one of {', '.join(VISITOR_TYPES)}; map it or leave it empty "
            "(then earlier sessions decide)",
        ),
    ]


def _feedback_problems(typed: Callable[[str], pl.Expr]) -> list[Problem]:
    return [
        _problem(
            "feedback_type",
            ~typed("feedback_type").is_in(list(FEEDBACK_TYPES)),
            "feedback_type ",
            quoted("feedback_type"),
            f" is not one of {', '.join(FEEDBACK_TYPES)}; export review or nps",
        )
    ]


def _shipment_problems(typed: Callable[[str], pl.Expr]) -> list[Problem]:
    # An empty delivered_at is a parcel in transit: null never fails a comparison here.
    return [
        Problem(
            "delivered_at",
            typed("delivered_at") < typed("shipped_at"),
            pl.concat_str(
                [
                    pl.lit("delivered_at "),
                    quoted("delivered_at"),
                    pl.lit(" is before shipped_at "),
                    quoted("shipped_at"),
                    pl.lit(
                        "; a parcel is delivered after it ships - fix either time in the export"
                    ),
                ]
            ),
            pl.concat_str([pl.col("delivered_at"), pl.col("shipped_at")], separator=" | "),
        )
    ]


def has_key(kind: str, text: pl.DataFrame) -> bool:
    """Whether rows of `kind` in this text frame can have a unique key (see UNIQUE_KEYS).

    Args:
        kind: export kind.
        text: contract columns as text.

    Returns:
        False when a key column without a default is empty on every row (an Online Retail
        export has no line_id): then no row is checked and the check costs nothing.
    """
    return all(
        name in KEY_DEFAULTS or text[name].null_count() < text.height for name in UNIQUE_KEYS[kind]
    )


def _key_values(kind: str, typed: Callable[[str], pl.Expr]) -> list[pl.Expr]:
    """The unique key's values of a row, defaults filled in (see KEY_DEFAULTS)."""
    return [
        typed(name).fill_null(KEY_DEFAULTS[name]) if name in KEY_DEFAULTS else typed(name)
        for name in UNIQUE_KEYS[kind]
    ]


def key_repeats(kind: str, typed: Callable[[str], pl.Expr], loadable: pl.Expr) -> pl.Expr:
    """Whether a loadable row may repeat the unique key of an earlier row of its file.

    One hashing pass over the key alone, a fraction of what the exact `duplicate_of`
    costs (a window over file and key): most exports repeat no key, and for them that
    window is skipped. It errs only towards true (a key repeated in another file, by a
    row that does not load, or within one line), which sends the rows to the exact check.

    Args:
        kind: export kind.
        typed: column name -> its cast value.
        loadable: rows that pass every other check.

    Returns:
        A boolean scalar expression.
    """
    values = _key_values(kind, typed)
    checked = loadable & pl.all_horizontal(value.is_not_null() for value in values)
    # A key of several columns as one hash: a collision only errs towards true.
    key = values[0] if len(values) == 1 else pl.struct(values).hash()
    return (checked & ~key.is_first_distinct()).any()


def duplicate_of(kind: str, typed: Callable[[str], pl.Expr], loadable: pl.Expr) -> pl.Expr:
    """For a later row of one file repeating the unique key of an earlier row, that row's line.

    Args:
        kind: export kind.
        typed: column name -> its cast value.
        loadable: rows that pass every other check; only they take part, so the first
            loadable row of a key loads and later ones name its line.

    Returns:
        An Int64 expression, null on rows that are not duplicates; store it as
        `DUPLICATE_OF` before `duplicate` is used.
    """
    values = _key_values(kind, typed)
    checked = loadable & pl.all_horizontal(value.is_not_null() for value in values)
    first_line = pl.when(checked).then(pl.col("_line")).min().over(pl.col("_file"), *values)
    return pl.when(checked & (pl.col("_line") > first_line)).then(first_line)


def duplicate(kind: str, stripped: Callable[[str], pl.Expr]) -> Problem:
    """The duplicate-key check, once `DUPLICATE_OF` holds `duplicate_of`.

    Args:
        kind: export kind.
        stripped: column name -> its stripped text (null when blank).

    Returns:
        The check; its reason reads `duplicate <key> "<value>" also on line <N>; ...`.
    """
    key = UNIQUE_KEYS[kind]
    shown = [stripped(name).fill_null(KEY_DEFAULTS.get(name, "")) for name in key]
    label = key[0] if len(key) == 1 else f"({', '.join(key)})"
    return Problem(
        ", ".join(key),
        pl.col(DUPLICATE_OF).is_not_null(),
        pl.concat_str(
            [
                pl.lit(f"duplicate {label} "),
                quoted(pl.concat_str(shown, separator=", ")),
                pl.lit(" also on line "),
                pl.col(DUPLICATE_OF).cast(pl.String()),
                pl.lit(f"; that line is loaded, export each {label} once per file"),
            ]
        ),
        pl.concat_str([pl.col(name) for name in key], separator=" | ", ignore_nulls=True),
    )
