"""Page shell, navigation, KPI tiles, tables and value formatting shared by every page.

Plain f-strings; every value from the warehouse passes through `html.escape`. Pages
reference the one shared plotly.js bundle beside them (`reports.plotly_bundle`), so the
site works from disk with no network at all.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from datetime import date, datetime

import plotly.graph_objects as go
import polars as pl

from reports.chart_embed import DRAW_CHARTS_JS, chart_fragment, page_template
from reports.plotly_bundle import SITE_FILE as PLOTLY_JS

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

CSS = """
:root { --ink:#1f2933; --muted:#616e7c; --line:#e4e7eb; --bg:#f5f7fa; --accent:#2f6fde; }
* { box-sizing: border-box; }
body { margin:0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
       color:var(--ink); background:var(--bg); font-size:15px; line-height:1.45; }
nav { background:#1f2933; padding:0 24px; display:flex; align-items:center; gap:4px;
      overflow-x:auto; white-space:nowrap; }
nav .brand { color:#fff; font-weight:700; margin-right:20px; padding:12px 0; }
nav a { color:#cbd2d9; text-decoration:none; padding:12px 14px;
        border-bottom:3px solid transparent; }
nav a:hover { color:#fff; }
nav a.active { color:#fff; border-bottom-color:var(--accent); }
main { max-width:1280px; margin:0 auto; padding:20px 24px 40px; }
h1 { font-size:24px; margin:4px 0 2px; }
h2 { font-size:18px; margin:28px 0 10px; }
.meta { color:var(--muted); font-size:13px; margin-bottom:16px; }
.kpis { display:grid; grid-template-columns:repeat(auto-fill, minmax(170px, 1fr)); gap:12px; }
.kpi { background:#fff; border:1px solid var(--line); border-radius:8px; padding:12px 14px; }
.kpi .label { color:var(--muted); font-size:12px; text-transform:uppercase; letter-spacing:.04em; }
.kpi .value { font-size:24px; font-weight:650; margin-top:2px; font-variant-numeric:tabular-nums; }
.kpi .hint { color:var(--muted); font-size:12px; }
.card { background:#fff; border:1px solid var(--line); border-radius:8px; padding:8px 12px;
        margin-top:12px; }
/* auto-fill, not auto-fit: plotly sizes a chart while the page is still parsing, and the
   grid must already have its final columns then. */
.grid2 { display:grid; grid-template-columns:repeat(auto-fill, minmax(min(480px, 100%), 1fr));
         gap:12px; }
.grid2 > * { min-width:0; }
.table-wrap { overflow-x:auto; background:#fff; border:1px solid var(--line); border-radius:8px; }
table { border-collapse:collapse; width:100%; font-size:13px; }
th, td { padding:6px 10px; border-bottom:1px solid var(--line); text-align:left;
         vertical-align:top; }
th { background:#f0f4f8; position:sticky; top:0; white-space:nowrap; }
td.num { text-align:right; font-variant-numeric:tabular-nums; white-space:nowrap; }
tbody tr:nth-child(even) { background:#fafbfc; }
td.wide { min-width:260px; }
td.mid { min-width:180px; }
.empty { background:#fff; border:1px dashed #9aa5b1; border-radius:8px; padding:18px;
         color:var(--muted); text-align:center; margin-top:12px; }
footer { color:var(--muted); font-size:12px; margin-top:32px; }
.status { display:flex; flex-wrap:wrap; gap:6px 14px; font-size:12px; color:var(--muted);
          background:#fff; border:1px solid var(--line); border-radius:8px; padding:6px 12px;
          margin-bottom:14px; }
.status b { color:var(--ink); font-weight:600; }
.ok { color:#2b7a46; } .warn { color:#a35d00; } .bad { color:#b42318; font-weight:600; }
.caption { color:var(--muted); font-size:12px; margin:4px 0; }
.chart-title { font-size:15px; margin:6px 0 8px; }
.cohort-grid td { padding:4px 6px; text-align:center; }
.cohort-grid td.label { text-align:left; white-space:nowrap; }
.kpi .change { font-size:12px; font-variant-numeric:tabular-nums; }
.kpi svg { display:block; margin-top:4px; }
.tools { display:flex; flex-wrap:wrap; gap:8px 16px; align-items:center; margin:6px 0; }
.tools input { font:inherit; padding:5px 8px; border:1px solid #9aa5b1; border-radius:6px;
               min-width:240px; }
th.sortable { cursor:pointer; user-select:none; }
th[aria-sort="ascending"]::after { content:" ▲"; } th[aria-sort="descending"]::after { content:" ▼"; }
@media (max-width: 600px) { main { padding:12px; } .kpi .value { font-size:20px; } }
"""


def esc(value: object) -> str:
    """Escape any value for HTML text or a quoted attribute."""
    return html.escape(str(value), quote=True)


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def fmt_int(value: object) -> str:
    return "–" if _missing(value) else f"{round(float(value)):,}"


def fmt_number(value: object, decimals: int = 1) -> str:
    return "–" if _missing(value) else f"{float(value):,.{decimals}f}"


def fmt_money(value: object) -> str:
    return fmt_number(value, 2)


def fmt_pct(value: object) -> str:
    """A share 0..1 as a percentage with one decimal: 0.25 -> '25.0 %'."""
    return "–" if _missing(value) else f"{float(value) * 100:.1f} %"


def fmt_date(value: object) -> str:
    if _missing(value):
        return "–"
    return value.isoformat() if isinstance(value, date) else str(value)


def fmt_text(value: object) -> str:
    return "" if _missing(value) else str(value)


def coverage_text(label: str, first: date | None, last: date | None) -> str:
    """'orders 2011-01-04 to 2011-03-31', or 'orders: no data' for an empty table."""
    if first is None:
        return f"{label}: no data"
    return f"{label} {fmt_date(first)} to {fmt_date(last)}"


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
        table_id: id of the <table>; numeric cells then carry their raw value in
            `data-v` so the page's script can sort them (see reports/widgets.py).

    Returns:
        The HTML fragment.
    """
    if frame.is_empty():
        return empty_note(empty_message)
    head = "".join(f"<th>{esc(header)}</th>" for _, header, _, _ in columns)
    rows = []
    for record in frame.iter_rows(named=True):
        cells = "".join(
            f'<td class="{css}"{_sort_value(record.get(name)) if table_id and css == "num" else ""}>'
            f"{esc(formatter(record.get(name)))}</td>"
            for name, _, formatter, css in columns
        )
        rows.append(f"<tr>{cells}</tr>")
    id_attribute = f' id="{esc(table_id)}"' if table_id else ""
    return (
        f'{filter_caption(frame, filters)}<div class="table-wrap"><table{id_attribute}>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def _sort_value(value: object) -> str:
    if _missing(value):
        return ' data-v=""'
    if isinstance(value, (date, datetime)):
        return f' data-v="{value.isoformat()}"'
    return f' data-v="{esc(value)}"'


def chart(figure: go.Figure | None, div_id: str, empty_message: str) -> str:
    """A plotly figure as a page card drawn by the page's chart script
    (`reports.chart_embed`), or an empty-state note."""
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
<style>{CSS}</style>
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
<script>{DRAW_CHARTS_JS}</script>
<footer>{esc(site_title)} · static dashboard generated {esc(generated)} · works offline</footer>
</main>
</body>
</html>
"""
