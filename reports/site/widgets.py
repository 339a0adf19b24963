"""Small page widgets without plotly: KPI change and sparkline, and a sortable, filterable
table with download links.

Sparklines are inline SVG paths (a few hundred bytes each) rather than plotly figures:
seven tiny plotly charts would cost more script time than the rest of the overview.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import polars as pl

from reports.site.format import esc
from reports.site.layout import Column, table
from reports.site.static_files import static_text

SPARK_WIDTH, SPARK_HEIGHT = 150, 28

# Sorting on a header click and a text filter over every cell of a row. Numeric cells carry
# their raw value in data-v (layout.table), so 1,234.50 sorts as a number and '–' sorts last.
TABLE_SCRIPT = "interactive_table.js"  # in reports/site/static/


def change_text(current: float | None, previous: float | None, *, points: bool = False) -> str:
    """The change of a KPI against the previous period, as trusted HTML.

    Args:
        current: this period's value.
        previous: the previous period's value.
        points: True for rates and scores: the change is a difference (in percentage points
            for shares 0..1, in points for NPS), not a relative change.

    Returns:
        '<div class="change">▲ 12.5 % vs previous</div>', or '– no previous period' when
        either value is missing (or the previous one is 0 for a relative change).
    """
    if current is None or previous is None or (not points and previous == 0):
        return '<div class="change">– no previous period</div>'
    if any(isinstance(v, float) and math.isnan(v) for v in (current, previous)):
        return '<div class="change">– no previous period</div>'
    delta = current - previous if points else (current - previous) / abs(previous)
    arrow = "▲" if delta > 0 else "▼" if delta < 0 else "="
    amount = f"{abs(delta):.1f}" if points else f"{abs(delta) * 100:.1f} %"
    return f'<div class="change" data-change="{delta:.6g}">{arrow} {amount} vs previous</div>'


def sparkline(values: Sequence[float | None], label: str) -> str:
    """An inline SVG line of the values, labelled for screen readers. A missing value is a gap
    in the line, as in the pages' daily charts (a day without sessions or a closed day), and a
    value between two gaps a dot.

    The values, to 6 significant digits, stay on the SVG (data-values) so a reader's script
    or a test can tell what it plots; the page's filter script redraws it the same way
    (reports/site/static/sparklines.js draw)."""
    points = [(i, v) for i, v in enumerate(values) if v is not None and not math.isnan(v)]
    if len(points) < 2:
        return ""
    low, high = min(v for _, v in points), max(v for _, v in points)
    span, last = (high - low) or 1.0, max(len(values) - 1, 1)
    runs: list[list[str]] = []  # the points between two gaps
    previous = None
    for i, v in points:
        if previous != i - 1:
            runs.append([])
        previous = i
        x, y = i * SPARK_WIDTH / last, SPARK_HEIGHT - 2 - (v - low) * (SPARK_HEIGHT - 4) / span
        runs[-1].append(f"{x:.1f},{y:.1f}")
    shown = dict(points)
    plotted = ",".join(f"{shown[i]:.6g}" if i in shown else "null" for i in range(len(values)))
    return (
        f'<svg class="spark" width="{SPARK_WIDTH}" height="{SPARK_HEIGHT}" role="img" '
        f'aria-label="{esc(label)}" data-values="[{plotted}]"><path fill="none" '
        f'stroke="#2f6fde" stroke-width="1.5" stroke-linecap="round" stroke-linejoin="round" '
        f'd="{_path(runs)}"/></svg>'
    )


def _path(runs: list[list[str]]) -> str:
    """SVG path data of runs of points: each run a line, a lone point a zero-length line
    (its round caps draw a dot)."""
    return " ".join("M" + " L".join(run if len(run) > 1 else run * 2) for run in runs)


def interactive_table(
    frame: pl.DataFrame,
    columns: Sequence[Column],
    empty_message: str,
    *,
    table_id: str,
    filters: str | None,
    downloads: Sequence[tuple[str, str]] = (),
) -> str:
    """A table sortable by clicking a header and filtered by a text box, with download links.

    Args:
        frame: the rows, in their default order.
        columns: as for `layout.table`.
        empty_message: shown instead of an empty table.
        table_id: the table's id (the filter box and the row count refer to it).
        filters: the filters applied before the page was written (see `layout.table`).
        downloads: (relative file name, link text) of files beside the page.

    Returns:
        The HTML fragment, with the script that makes the table interactive.
    """
    if frame.is_empty():
        return table(frame, columns, empty_message, filters)
    links = " · ".join(
        f'<a href="{esc(path)}" download data-download>{esc(text)}</a>' for path, text in downloads
    )
    tools = (
        f'<div class="tools"><input type="search" data-filter-for="{esc(table_id)}" '
        f'placeholder="Filter rows: SKU, words of the description or reason…" '
        f'aria-label="Filter the table rows">'
        f'<span class="caption" data-count-for="{esc(table_id)}">all {frame.height} rows</span>'
        f"<span>{links}</span></div>"
    )
    html = table(frame, columns, empty_message, filters, table_id=table_id)
    html = html.replace(
        f'<table id="{esc(table_id)}">', f'<table id="{esc(table_id)}" data-interactive>', 1
    )
    return f"{tools}{html}\n<script>\n{static_text(TABLE_SCRIPT)}</script>"
