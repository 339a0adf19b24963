"""Value formatting shared by every page: HTML escaping, numbers, shares, dates.

A missing value (None or NaN) shows as '–' in numeric cells and as nothing in text cells.
"""

from __future__ import annotations

import html
import math
from datetime import date


def esc(value: object) -> str:
    """Escape any value for HTML text or a quoted attribute."""
    return html.escape(str(value), quote=True)


def is_missing(value: object) -> bool:
    """None or a float NaN."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def fmt_int(value: object) -> str:
    return "–" if is_missing(value) else f"{round(float(value)):,}"


def fmt_number(value: object, decimals: int = 1) -> str:
    return "–" if is_missing(value) else f"{float(value):,.{decimals}f}"


def fmt_money(value: object) -> str:
    return fmt_number(value, 2)


def fmt_pct(value: object) -> str:
    """A share 0..1 as a percentage with one decimal: 0.25 -> '25.0 %'."""
    return "–" if is_missing(value) else f"{float(value) * 100:.1f} %"


def fmt_date(value: object) -> str:
    if is_missing(value):
        return "–"
    return value.isoformat() if isinstance(value, date) else str(value)


def fmt_text(value: object) -> str:
    return "" if is_missing(value) else str(value)


def coverage_text(label: str, first: date | None, last: date | None) -> str:
    """'orders 2011-01-04 to 2011-03-31', or 'orders: no data' for an empty table."""
    if first is None:
        return f"{label}: no data"
    return f"{label} {fmt_date(first)} to {fmt_date(last)}"
