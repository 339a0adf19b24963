"""Page shell, navigation, KPI tiles, tables and chart cards shared by every page.

Plain f-strings; every value from the warehouse passes through `esc`. Pages reference the
one shared plotly.js bundle beside them (`reports.site.plotly_bundle`) and inline the
stylesheet and the chart script (`reports/site/static/`), so the site works from disk
with no network at all.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime

import plotly.graph_objects as go
import polars as pl

from reports.site.chart_embed import DRAW_CHARTS_SCRIPT, chart_fragment, page_template
from reports.site.format import esc, is_missing
from reports.site.plotly_bundle import SITE_FILE as PLOTLY_JS
from reports.site.static_files import static_text

# (file, nav label, page heading); the order is the order of the nav bar.
PAGES: tuple[tuple[str, str, str], ...] = (
    ("index.html", "Overview", "Overview"),
    ("funnel.html", "Funnel", "Conversion funnel"),
    ("sales.html", "Sales", "Sales"),
    ("customers.html", "Customers", "Customers"),
    ("feedback.html", "Feedback", "Customer feedback"),
    ("demand.html", "Demand", "Demand forecasts"),
    ("reorder.html", "Reorder", "Reorder recommendations"),
    ("quality.html", "Data quality", "Data quality"),
)
# Where publish_site puts the run-wide status (run date, freshness, checks) on every page:
# rendered once per site, not once per page.
STATUS_SLOT = "<!-- orderpulse:status -->"
STYLESHEET = "site.css"  # in reports/site/static/
TABLE_CSV_SCRIPT = "table_csv.js"  # in reports/site/static/: a CSV download on every table


def kpi_tiles(tiles: Sequence[tuple[str, ...]]) -> str:
    """KPI cards from (key, label, formatted value, hint[, extra HTML]); `data-kpi` lets tests
    find them. The optional fifth item is trusted HTML (a change and a sparkline)."""
    cards = "".join(
        f'<div class="kpi" data-kpi="{esc(key)}"><div class="label">{esc(label)}</div>'
        f'<div class="value">{esc(value)}</div><div class="hint">{esc(hint)}</div>'
        f"{extra[0] if extra else ''}</div>"
        for key, label, value, hint, *extra in tiles
    )
    return f'<div class="kpis">{cards}</div>'


def empty_note(message: str) -> str:
    return f'<div class="empty">{esc(message)}</div>'


# A table column: (frame column, header, formatter, css class of the cells).
Column = tuple[str, str, Callable[[object], str], str]


def filter_caption(frame: pl.DataFrame, filters: str | None) -> str:
    """What a table shows: 'Filter: top 10 by rows · 10 rows' or 'No filter · all 3 rows'."""
    rows = f"{frame.height:,} row{'s' if frame.height != 1 else ''}"
    text = f"Filter: {filters} · {rows}" if filters else f"No filter · all {rows}"
    return f'<p class="caption" data-filters>{esc(text)}</p>'


def table(
    frame: pl.DataFrame,
    columns: Sequence[Column],
    empty_message: str,
    filters: str | None = None,
    table_id: str | None = None,
) -> str:
    """An HTML table of the given columns with a caption naming its filters, or
    `empty_message` when the frame has no rows.

    Args:
        frame: the rows, already filtered and sorted.
        columns: (frame column, header, formatter, css class) per column.
        empty_message: shown instead of an empty table.
        filters: the filters and limits applied to the rows, e.g. 'top 10 by rows';
            None when the table shows every row of its source.
        table_id: id of the <table> (the page's script sorts a table with an id; see
            reports/site/widgets.py). Numeric cells carry their raw value in `data-v`, for
            sorting and for the table's CSV download (static/table_csv.js).

    Returns:
        The HTML fragment.
    """
    if frame.is_empty():
        return empty_note(empty_message)
    head = "".join(f"<th>{esc(header)}</th>" for _, header, _, _ in columns)
    rows = []
    for record in frame.iter_rows(named=True):
        cells = "".join(
            f'<td class="{css}"{_raw_value(record.get(name)) if css == "num" else ""}>'
            f"{esc(formatter(record.get(name)))}</td>"
            for name, _, formatter, css in columns
        )
        rows.append(f"<tr>{cells}</tr>")
    id_attribute = f' id="{esc(table_id)}"' if table_id else ""
    return (
        f'{filter_caption(frame, filters)}<div class="table-wrap"><table{id_attribute}>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def _raw_value(value: object) -> str:
    if is_missing(value):
        return ' data-v=""'
    if isinstance(value, (date, datetime)):
        return f' data-v="{value.isoformat()}"'
    return f' data-v="{esc(value)}"'


def chart(figure: go.Figure | None, div_id: str, empty_message: str) -> str:
    """A plotly figure as a page card drawn by the page's chart script
    (`reports.site.chart_embed`), or an empty-state note."""
    if figure is None:
        return empty_note(empty_message)
    return f'<div class="card">{chart_fragment(figure, div_id)}</div>'


def page(
    site_title: str, file_name: str, coverage: Sequence[str], generated_at: datetime, body: str
) -> str:
    """A complete HTML page: nav bar, heading, data coverage, generation time, body.

    Args:
        site_title: name shown in the nav bar and the browser tab.
        file_name: this page's file in `PAGES`; its nav link is marked active.
        coverage: one text per table, e.g. 'orders 2011-01-04 to 2011-03-31'.
        generated_at: when the site was published.
        body: the page's own HTML.

    Returns:
        The page as one HTML string.
    """
    heading = next(h for f, _, h in PAGES if f == file_name)
    links = "".join(
        f'<a href="{esc(f)}"{" class=active" if f == file_name else ""}>{esc(label)}</a>'
        for f, label, _ in PAGES
    )
    generated = generated_at.strftime("%Y-%m-%d %H:%M %Z").strip()
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(heading)} · {esc(site_title)}</title>
<style>
{static_text(STYLESHEET)}</style>
<script src="{PLOTLY_JS}" defer></script>
</head>
<body>
<nav><span class="brand">{esc(site_title)}</span>{links}</nav>
<main>
<h1>{esc(heading)}</h1>
<div class="meta">Data covers {esc("; ".join(coverage))} · generated {esc(generated)}</div>
{STATUS_SLOT}
{body}
{page_template()}
<script>
{static_text(DRAW_CHARTS_SCRIPT)}</script>
<script>
{static_text(TABLE_CSV_SCRIPT)}</script>
<footer>{esc(site_title)} · static dashboard generated {esc(generated)} · works offline</footer>
</main>
</body>
</html>
"""
