"""Plotly figures of the Data quality page."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from reports.figures import style

PALETTE = ("#d64545", "#f08c2e", "#2f6fde", "#3b9a5b", "#9aa5b1", "#8e5cc4", "#3e4c59")


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
