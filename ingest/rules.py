"""Row rules per export kind, applied after casting: defaults, then what makes a row unloadable.

Only rules that make a row meaningless belong here. Valid-but-odd export lines (negative
quantities, zero prices, cancellations) load into raw and staging interprets them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import polars as pl

from ingest.contract import EVENT_NAMES, FEEDBACK_TYPES


class Problem(NamedTuple):
    """A check on one column: where it fails (boolean, null counts as passing) and why."""

    column: str
    failed: pl.Expr
    reason: pl.Expr  # evaluated on the failing rows only


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
    kind: str, typed: Callable[[str], pl.Expr], accepted_currencies: tuple[str, ...]
) -> list[Problem]:
    """Rules of one kind.

    Args:
        kind: export kind.
        typed: column name -> expression of its cast value (the raw text is `pl.col(name)`).
        accepted_currencies: currencies an order row may have.

    Returns:
        The checks; a row fails one where `failed` is true.
    """
    if kind == "orders":
        return [
            _problem(
                "quantity",
                typed("quantity") == 0,
                "quantity is 0; an order line needs a non-zero quantity "
                "(negative for cancellations and returns) - drop the line from the export",
            ),
            _problem(
                "currency",
                ~typed("currency").is_in(list(accepted_currencies)),
                "currency ",
                quoted(typed("currency")),
                f" is not accepted ({', '.join(accepted_currencies)}); use an ISO 4217 code "
                "or add it to ingest.accepted_currencies in the settings",
            ),
        ]
    if kind == "traffic":
        return [
            _problem(
                "event_name",
                ~typed("event_name").is_in(list(EVENT_NAMES)),
                "event_name ",
                quoted("event_name"),
                f" is not one of {', '.join(EVENT_NAMES)}; map it to one of them in the export",
            )
        ]
    if kind == "feedback":
        return [
            _problem(
                "feedback_type",
                ~typed("feedback_type").is_in(list(FEEDBACK_TYPES)),
                "feedback_type ",
                quoted("feedback_type"),
                f" is not one of {', '.join(FEEDBACK_TYPES)}; export review or nps",
            )
        ]
    if kind == "inventory":
        return [
            _problem(
                "on_hand",
                typed("on_hand") < 0,
                "on_hand ",
                quoted("on_hand"),
                " is negative; export the sellable units on hand (0 or more)",
            )
        ]
    return []
