"""Which days each point of a KPI tile's daily sparkline covers: the one rule of the
published tile (reports/pages/overview/queries.py) and of the browser's redraw for a chosen
range (reports/site/static/sparklines.js, which reads `browser_rule` from the page's spec).

A point per day when the days shown are up to `DAILY_UP_TO`, else a point per `STEP_DAYS`
days counted back from the last day, so each point sums a whole week (older days that fill
none are left out). A tile whose daily line leaves closed days out (conversion: nothing
could be bought, reports/site/trading_calendar.py) leaves a gap, not a 0, at a point whose
days are all closed.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date, timedelta

DAILY_UP_TO = 31  # days shown: up to a month is plotted day by day
STEP_DAYS = 7  # beyond that, a point per week


def spark_windows(first: date, last: date) -> list[tuple[date, date]]:
    """(first day, last day) of each point over days first..last, oldest first."""
    days = (last - first).days + 1
    step = 1 if days <= DAILY_UP_TO else STEP_DAYS
    return [
        (last - timedelta(days=back * step + step - 1), last - timedelta(days=back * step))
        for back in reversed(range(days // step))
    ]


def is_gap(window: tuple[date, date], closed: Collection[date]) -> bool:
    """True when every day of the window is closed."""
    first, last = window
    return all(first + timedelta(days=i) in closed for i in range((last - first).days + 1))


def browser_rule(gapped: Iterable[str]) -> dict[str, object]:
    """The rule's parameters for the page's spec, with the tiles (metric names) whose
    sparkline leaves closed days as gaps."""
    return {"daily_up_to": DAILY_UP_TO, "step": STEP_DAYS, "gaps": sorted(gapped)}
