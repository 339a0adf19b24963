"""The cohort retention heatmap as an HTML table: one row per monthly cohort, one cell per
month since the first order, each cell coloured by its retention on plotly's Blues scale.

A table, not a plotly heatmap: the numbers are the point (an analyst reads and copies
them), it draws with the page instead of waiting for a chart library, and the shipped
plotly.js bundle has no heatmap trace (reports/site/plotly_bundle.py).
"""

from __future__ import annotations

import polars as pl
from plotly.colors import get_colorscale, sample_colorscale

from reports.site.format import esc
from reports.site.layout import empty_note

SCALE = "Blues"
# Resolved once: looking the name up costs more than sampling the scale, once per cell.
SCALE_STOPS = get_colorscale(SCALE)
# Above this retention the cell is dark enough that its text turns white.
WHITE_TEXT_FROM = 0.55
# Shown by the page's range script when no cohort starts in the chosen days.
NONE_IN_RANGE = "No cohort starts in the chosen range."


def cell_colour(retention: float) -> str:
    """The Blues colour of a retention in [0, 1], as 'rgb(r, g, b)'."""
    return sample_colorscale(SCALE_STOPS, [min(max(retention, 0.0), 1.0)])[0]


def cohort_grid(cohorts: pl.DataFrame, empty_message: str) -> str:
    """Share of each monthly cohort ordering again N months after acquisition.

    Args:
        cohorts: marts.cohort_retention rows (cohort_month, cohort_customers,
            months_since_acquisition, retention_rate).
        empty_message: shown instead of the table when there are no cohorts.

    Returns:
        A titled table fragment; cells past the data's end are blank.
    """
    if cohorts.is_empty():
        return empty_note(empty_message)
    grid = cohorts.pivot(
        on="months_since_acquisition", index="cohort_month", values="retention_rate"
    ).sort("cohort_month")
    offsets = sorted(int(c) for c in grid.columns if c != "cohort_month")
    sizes = dict(cohorts.select("cohort_month", "cohort_customers").unique().iter_rows())
    head = "<th>Cohort (customers)</th>" + "".join(f'<th class="num">+{o}</th>' for o in offsets)
    rows = []
    for record in grid.iter_rows(named=True):
        month = record["cohort_month"]
        label = f"{month:%b %Y} ({sizes[month]:,})"
        cells = []
        for offset in offsets:
            value = record[str(offset)]
            if value is None:
                cells.append("<td></td>")
                continue
            ink = "#fff" if value >= WHITE_TEXT_FROM else "#1f2933"
            cells.append(
                f'<td class="num" style="background:{cell_colour(value)};color:{ink}" '
                f'title="cohort {esc(label)}, month +{offset}: {value:.1%}">{value:.0%}</td>'
            )
        # data-month lets the page's range show only the cohorts starting in it.
        rows.append(
            f'<tr data-month="{month.isoformat()}"><td class="label">{esc(label)}</td>'
            f"{''.join(cells)}</tr>"
        )
    return (
        '<div class="card"><div class="chart-title">Cohort retention: share of each monthly cohort '
        "ordering again, by months since its first order</div>"
        '<div class="table-wrap cohort-grid"><table>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
        f'<div class="empty" data-none-in-range hidden>{NONE_IN_RANGE}</div></div>'
    )
