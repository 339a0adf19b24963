"""Plotly figures of the Data quality page: rows loaded and quarantined per export kind.

Each function returns None when its frame has no rows, so the page shows an empty-state note.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from reports.site.figure_style import BLUE, RED, style

PALETTE = ("#d64545", "#f08c2e", "#2f6fde", "#3b9a5b", "#9aa5b1", "#8e5cc4", "#3e4c59")


def load_quality(summary: pl.DataFrame) -> go.Figure | None:
    """Rows loaded and rows quarantined per export kind."""
    if summary.is_empty():
        return None
    kinds = summary["kind"].to_list()
    figure = go.Figure()
    for column, label, colour in (
        ("rows_loaded", "Loaded", BLUE),
        ("rows_quarantined", "Quarantined", RED),
    ):
        values = summary[column].to_list()
        figure.add_trace(
            go.Bar(
                x=kinds,
                y=values,
                name=label,
                marker_color=colour,
                text=[f"{v:,}" for v in values],
                textposition="outside",
                cliponaxis=False,
            )
        )
    figure.update_layout(barmode="group", hovermode="closest")
    figure.update_yaxes(title_text="Rows")
    figure.update_xaxes(title_text="Export kind")
    return style(figure, "Rows loaded and quarantined per export kind", height=340)


def quarantine_by_column(frame: pl.DataFrame) -> go.Figure | None:
    """Quarantined rows per export kind, stacked by the column that failed."""
    if frame.is_empty():
        return None
    columns = (
        frame.group_by("column_name").agg(pl.col("rows").sum()).sort("rows", descending=True)
    )["column_name"].to_list()
    kinds = sorted(frame["kind"].unique().to_list())
    figure = go.Figure()
    for position, column in enumerate(columns):
        rows = frame.filter(pl.col("column_name") == column)
        by_kind = dict(zip(rows["kind"], rows["rows"], strict=True))
        figure.add_trace(
            go.Bar(
                x=kinds,
                y=[by_kind.get(kind, 0) for kind in kinds],
                name=column or "(whole row)",
                marker_color=PALETTE[position % len(PALETTE)],
            )
        )
    figure.update_layout(barmode="stack", hovermode="closest")
    figure.update_xaxes(title_text="Export kind", type="category")
    figure.update_yaxes(title_text="Rows quarantined", rangemode="tozero")
    return style(figure, "Quarantined rows per export kind, by failing column", height=340)
