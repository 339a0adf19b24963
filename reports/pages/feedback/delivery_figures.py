"""Fulfilment and delivery-feedback figures of the feedback page.

Each function returns None when its frame has no rows, so the page shows an empty-state note.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

from reports.site.figure_style import BLUE, GREEN, ORANGE, RED, style


def delivery_trend(weekly: pl.DataFrame) -> go.Figure | None:
    """Share delivered by the promised date (top) and days to delivery (bottom), per week."""
    if weekly.is_empty():
        return None
    weeks = weekly["week"].to_list()
    figure = make_subplots(
        rows=2, cols=1, shared_xaxes=True, row_heights=[0.5, 0.5], vertical_spacing=0.08
    )
    figure.add_trace(
        go.Scatter(x=weeks, y=weekly["on_time_share"].to_list(), name="Delivered by the promised date",
                   mode="lines+markers", line={"color": GREEN, "width": 2}),
        row=1, col=1,
    )  # fmt: skip
    for column, label, colour in (
        ("median_days_to_deliver", "Median days to delivery", BLUE),
        ("p90_days_to_deliver", "p90 days to delivery", ORANGE),
    ):
        figure.add_trace(
            go.Scatter(x=weeks, y=weekly[column].to_list(), name=label, mode="lines",
                       line={"color": colour, "width": 2}),
            row=2, col=1,
        )  # fmt: skip
    figure.update_yaxes(
        title_text="On-time share", tickformat=".0%", rangemode="tozero", row=1, col=1
    )
    figure.update_yaxes(title_text="Days from order", rangemode="tozero", row=2, col=1)
    figure.update_xaxes(title_text="Order week starting (Monday)", row=2, col=1)
    return style(
        figure, "Delivery promise kept, and days from order to delivery, per week", height=480
    )


def late_share_bars(frame: pl.DataFrame, dimension: str) -> go.Figure | None:
    """Late share of delivered orders per carrier or region, with the late order count."""
    if frame.is_empty():
        return None
    figure = go.Figure(
        go.Bar(
            x=frame[dimension].to_list(),
            y=frame["late_share"].to_list(),
            marker_color=RED,
            text=[f"{late:,} late" for late in frame["orders_late"].to_list()],
            textposition="outside",
            cliponaxis=False,
            name="Late share",
        )
    )
    figure.update_yaxes(
        title_text="Share of delivered orders late", tickformat=".0%", rangemode="tozero"
    )
    figure.update_xaxes(title_text=dimension.capitalize())
    figure.update_layout(hovermode="closest")
    return style(figure, f"Late deliveries by {dimension}", height=360)


def rating_after_delivery(frame: pl.DataFrame) -> go.Figure | None:
    """Mean star rating and NPS after on-time vs late delivery, side by side."""
    if frame.is_empty():
        return None
    labels = frame["delivery"].to_list()
    colours = [GREEN if label == "on time" else RED for label in labels]
    figure = make_subplots(rows=1, cols=2, horizontal_spacing=0.16)
    for col, (column, name, text_format) in enumerate(
        (("mean_rating", "Mean rating", "{:.2f}"), ("nps", "NPS", "{:.0f}")), start=1
    ):
        values = frame[column].to_list()
        figure.add_trace(
            go.Bar(x=labels, y=values, marker_color=colours, name=name,
                   text=[None if v is None else text_format.format(v) for v in values],
                   textposition="outside", cliponaxis=False),
            row=1, col=col,
        )  # fmt: skip
    figure.update_yaxes(title_text="Mean rating (stars, 1-5)", range=[0, 5.4], row=1, col=1)
    figure.update_yaxes(title_text="NPS (-100 to 100)", row=1, col=2)
    figure.update_xaxes(title_text="Delivery", row=1, col=1)
    figure.update_xaxes(title_text="Delivery", row=1, col=2)
    figure.update_layout(showlegend=False, hovermode="closest")
    return style(figure, "Ratings and NPS after on-time vs late delivery", height=360)
