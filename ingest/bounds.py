"""The contract's plausibility bounds (contract/bounds.py) with a shop's settings, as row checks.

`RowBounds` holds the settings' numbers and the day the load runs; `bound_problems` turns
each bounded column of a kind into a `rules.Problem` whose reason names the value, the
bound, the setting that moves it and the fix. `within_days` is also what routes a
multi-day file's rows to their own day (ingest/cast.py): a row dated outside the bounds
gives no day of its own and counts on the file's first day, quarantined.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from config.settings import HistorySettings, IngestSettings, ScheduleSettings
from contract.bounds import BOUNDS, PROMISE_DAYS, Bound
from ingest.rules import Problem, quoted

# The column holding a row's export day as its file gave it: null for a multi-day file.
FILE_DAY = "__file_day"


@dataclass(frozen=True)
class RowBounds:
    """The numbers of the bounds for one load (see the ingest and history settings)."""

    first_day: dt.date  # history.first_day
    today: dt.date  # the upper date bound of a multi-day file's rows
    max_days_ahead: int
    max_unit_price: float
    max_units: int
    max_lead_time_days: int
    # schedule.timezone: a date-time with a UTC offset is read as this zone's local time
    # (ingest/timestamps.py), so its day, and the bounds on it, are the shop's; None (unset)
    # keeps the wall-clock time written before the offset.
    shop_timezone: str | None = None

    @classmethod
    def from_settings(
        cls,
        ingest: IngestSettings | None = None,
        history: HistorySettings | None = None,
        today: dt.date | None = None,
        schedule: ScheduleSettings | None = None,
    ) -> RowBounds:
        """The bounds of the given settings sections (defaults when None), as of `today`
        (the UTC date when None, as the export-day check of config/partitions.py)."""
        ingest = ingest or IngestSettings()
        history = history or HistorySettings()
        schedule = schedule or ScheduleSettings()
        return cls(
            first_day=dt.date.fromisoformat(history.first_day),
            today=today or dt.datetime.now(dt.UTC).date(),
            max_days_ahead=ingest.max_days_ahead,
            max_unit_price=ingest.max_unit_price,
            max_units=ingest.max_units,
            max_lead_time_days=ingest.max_lead_time_days,
            shop_timezone=schedule.timezone,
        )

    def last_day(self, days_ahead: int) -> pl.Expr:
        """The latest plausible day of a row: its file's day (today for a multi-day file)
        plus `days_ahead`."""
        file_day = pl.col(FILE_DAY).fill_null(pl.lit(self.today, pl.Date()))
        return file_day + pl.duration(days=days_ahead)

    def within_days(self, day: pl.Expr) -> pl.Expr:
        """Whether a row's own day (a Date expression) lies in the days a "day" bound allows."""
        return (day >= pl.lit(self.first_day)) & (day <= self.last_day(self.max_days_ahead))


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


def _reason(column: str, *parts: str | pl.Expr) -> pl.Expr:
    return pl.concat_str(
        [
            pl.lit(f"{column} "),
            quoted(column),
            *(pl.lit(p) if isinstance(p, str) else p for p in parts),
        ]
    )


def _day_problems(column: str, value: pl.Expr, bound: Bound, bounds: RowBounds) -> list[Problem]:
    day = value.cast(pl.Date())
    if bound.measure == "day":
        ahead, limit = bounds.max_days_ahead, f"ingest.max_days_ahead ({bounds.max_days_ahead})"
        fix = "fix the date in the export or the file's name (or raise ingest.max_days_ahead)"
    else:
        ahead, limit = PROMISE_DAYS, str(PROMISE_DAYS)
        fix = "fix the date in the export"
    exported = pl.col(FILE_DAY).cast(pl.String()).fill_null(f"(today, {bounds.today})")
    return [
        Problem(
            column,
            day < pl.lit(bounds.first_day),
            _reason(
                column,
                f" is before history.first_day ({bounds.first_day}); fix the date in the "
                "export, or set history.first_day earlier if the shop's history starts before it",
            ),
        ),
        Problem(
            column,
            day > bounds.last_day(ahead),
            _reason(
                column,
                f" is more than {limit} days after its export day ",
                exported,
                f"; {fix}",
            ),
        ),
    ]


def _limit(bound: Bound, bounds: RowBounds) -> tuple[float, str]:
    """The largest magnitude a column's values may have, and the setting(s) it comes from."""
    return {
        "price": (bounds.max_unit_price, "ingest.max_unit_price"),
        "amount": (
            bounds.max_unit_price * bounds.max_units,
            "ingest.max_unit_price x ingest.max_units",
        ),
        "units": (bounds.max_units, "ingest.max_units"),
        "lead_time": (bounds.max_lead_time_days, "ingest.max_lead_time_days"),
    }[bound.measure]


def _value_problems(column: str, value: pl.Expr, bound: Bound, bounds: RowBounds) -> list[Problem]:
    problems = []
    if bound.non_negative:
        problems.append(Problem(column, value < 0, _reason(column, f" is negative; {bound.fix}")))
    if bound.measure == "scale":
        problems.append(
            Problem(
                column,
                (value < bound.low) | (value > bound.high),
                _reason(
                    column,
                    f" is not between {bound.low} and {bound.high}; "
                    f"export {column} on its {bound.low}-{bound.high} scale",
                ),
            )
        )
        return problems
    limit, setting = _limit(bound, bounds)
    problems.append(
        Problem(
            column,
            # Both sides, not abs(): abs of Int64's minimum wraps to itself and would pass.
            (value > limit) | (value < -limit),
            _reason(
                column,
                f" is out of range: beyond {setting} ({_number(limit)}) in magnitude; fix the "
                f"value in the export, or raise {setting.split(' x ')[0]} if the shop's "
                "values are that large",
            ),
        )
    )
    return problems


def bound_problems(kind: str, typed: Callable[[str], pl.Expr], bounds: RowBounds) -> list[Problem]:
    """The bound checks of one kind.

    Args:
        kind: export kind.
        typed: column name -> expression of its cast value (the raw text is `pl.col(name)`);
            the frame also holds `FILE_DAY`.
        bounds: the numbers of the bounds.

    Returns:
        The checks; a row fails one where `failed` is true (a null value passes).
    """
    problems: list[Problem] = []
    for column, bound in BOUNDS.get(kind, {}).items():
        if bound.measure in ("day", "promise"):
            problems += _day_problems(column, typed(column), bound, bounds)
        else:
            problems += _value_problems(column, typed(column), bound, bounds)
    return problems
