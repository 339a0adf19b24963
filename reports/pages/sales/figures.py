"""Plotly figures of the Sales page."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

from reports.site.figure_style import BLUE, GREEN, GREY, ORANGE, style


def weekly_sales(weekly: pl.DataFrame, currency: str) -> go.Figure | None:
    """Net sales (in `currency`), orders and units per week, three panels on one week axis."""
    if weekly.is_empty():
        return None
    figure = make_subplots(
        rows=3, cols=1, shared_xaxes=True, vertical_spacing=0.05, row_heights=[0.44, 0.28, 0.28]
    )
    weeks = weekly["week"].to_list()
    for row, (column, label, colour) in enumerate(
        (("net_sales", "Net sales", BLUE), ("orders", "Orders", ORANGE), ("units", "Units", GREEN)),
        start=1,
    ):
        figure.add_trace(
            go.Bar(x=weeks, y=weekly[column].to_list(), name=label, marker_color=colour),
            row=row,
            col=1,
        )
        figure.update_yaxes(
            title_text=label if column != "net_sales" else f"Net sales ({currency})",
            rangemode="tozero",
            row=row,
            col=1,
        )
    figure.update_xaxes(title_text="Week starting (Monday)", row=3, col=1)
    return style(figure, "Net sales, orders and units per week", height=520)


def period_comparison(frame: pl.DataFrame, by: str, title: str, currency: str) -> go.Figure | None:
    """Net sales (in `currency`) of each row in the current and the previous period
    (horizontal bars)."""
    if frame.is_empty():
        return None
    ordered = frame.reverse()  # plotly draws the first bar at the bottom
    labels = ordered[by].cast(pl.String).to_list()
    figure = go.Figure()
    for column, name, colour in (
        ("previous_net_sales", "Previous 28 days", GREY),
        ("net_sales", "Last 28 days", BLUE),
    ):
        figure.add_trace(
            go.Bar(
                y=labels,
                x=ordered[column].to_list(),
                name=name,
                orientation="h",
                marker_color=colour,
            )
        )
    figure.update_layout(barmode="group", hovermode="closest")
    # At most 4 ticks: beside long category names a phone leaves the axis about 130 px, where
    # "0 100k 200k 300k 400k" ran together.
    figure.update_xaxes(title_text=f"Net sales ({currency})", nticks=4)
    figure.update_yaxes(
        type="category", automargin=True, title_text="SKU" if by == "sku" else by.capitalize()
    )
    return style(figure, title, height=max(320, 60 + 34 * frame.height))
