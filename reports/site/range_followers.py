"""Charts and tables that follow a page's date range in their own way, beside the range
bar (reports/site/filters.py), which sets the range of every other date axis itself.

`static/range_followers.js` does the work in the browser: a monthly chart shows the months
the range touches, a chart with a forecast keeps the whole forecast to the right of the
range, and a cohort table keeps the rows of the months the range touches.
"""

from __future__ import annotations

from datetime import date

from reports.site.format import esc
from reports.site.static_files import static_text

FOLLOWERS_SCRIPT = "range_followers.js"  # in reports/site/static/
KINDS = ("days", "weeks", "months", "future", "cohorts")


def own_range(kind: str, html: str, future_end: date | None = None) -> str:
    """`html` (a chart card or a table) wrapped so it follows the range as `kind` says.

    Args:
        kind: 'days' (a daily chart published with its own axis range), 'weeks' or
            'months' (a chart of Monday-start weeks or of months, each dated
            by its first day), 'future' (a chart whose forecast runs past the data to
            `future_end`) or 'cohorts' (a table whose rows carry `data-month`).
        html: the fragment to wrap.
        future_end: the forecast's last day, for 'future'.

    Returns:
        The wrapped fragment.
    """
    if kind not in KINDS:
        raise ValueError(f"own_range: kind {kind!r} is not one of {', '.join(KINDS)}")
    end = f' data-future-end="{future_end.isoformat()}"' if future_end else ""
    return f'<div data-own-range="{esc(kind)}"{end}>{html}</div>'


def followers_script() -> str:
    """The script a page with `own_range` fragments carries once, after its range bar."""
    return f"<script>\n{static_text(FOLLOWERS_SCRIPT)}</script>"
