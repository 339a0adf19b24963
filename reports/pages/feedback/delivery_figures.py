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
            # Markers too: a week between two weeks without a value is a lone point, which
            # a line alone does not draw.
            go.Scatter(x=weeks, y=weekly[column].to_list(), name=label, mode="lines+markers",
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


# More bars than this make a phone chart unreadable; the rest are named in the title.
MOST_LATE_SHOWN = 12


def late_share_bars(frame: pl.DataFrame, dimension: str) -> go.Figure | None:
    """Late share of delivered orders per carrier or region as horizontal bars (long names
    such as 'United Arab Emirates' fit beside their bar, never squashing the plot), the
    `MOST_LATE_SHOWN` with the most late orders, each labelled with its late order count."""
    if frame.is_empty():
        return None
    shown = frame.head(MOST_LATE_SHOWN)
    title = f"Late deliveries by {dimension}"
    if frame.height > shown.height:
        title += f" ({shown.height} of {frame.height}, most late orders)"
    figure = go.Figure(
        go.Bar(
            y=shown[dimension].to_list(),
            x=shown["late_share"].to_list(),
            orientation="h",
            marker_color=RED,
            text=[f"{late:,} late" for late in shown["orders_late"].to_list()],
            textposition="outside",
            cliponaxis=False,
            name="Late share",
        )
    )
    highest = max((v for v in shown["late_share"].to_list() if v is not None), default=0)
    # Room right of the longest bar for its label ("2,386 late"), which the plot area clipped.
    figure.update_xaxes(
        title_text="Share of delivered orders late",
        tickformat=".0%",
        range=[0, max(highest, 0.01) * 1.45],
    )
    figure.update_yaxes(
        title_text=dimension.capitalize(), autorange="reversed", automargin=True, type="category"
    )
    figure.update_layout(hovermode="closest")
    return style(figure, title, height=max(360, 130 + 26 * shown.height))


def rating_after_delivery(frame: pl.DataFrame) -> go.Figure | None:
    """Mean star rating (top) and NPS (below) after on-time vs late delivery; a panel with
    no value (no NPS answer on a delivered order, say) says so instead of staying blank."""
    if frame.is_empty():
        return None
    labels = frame["delivery"].to_list()
    colours = [GREEN if label == "on time" else RED for label in labels]
    # Stacked, not side by side: abreast, a phone ran the bar labels into the NPS axis title.
    figure = make_subplots(rows=2, cols=1, vertical_spacing=0.25)
    panels = (
        ("mean_rating", "Mean rating", "{:.2f}", "No rated review on a delivered order yet"),
        ("nps", "NPS", "{:.0f}", "No NPS answer on a delivered order yet"),
    )
    for row, (column, name, text_format, missing) in enumerate(panels, start=1):
        values = frame[column].to_list()
        figure.add_trace(
            go.Bar(x=labels, y=values, marker_color=colours, name=name,
                   text=[None if v is None else text_format.format(v) for v in values],
                   textposition="outside", cliponaxis=False),
            row=row, col=1,
        )  # fmt: skip
        if all(v is None for v in values):
            figure.add_annotation(
                text=missing, showarrow=False, xref="x domain" if row == 1 else "x2 domain",
                yref="y domain" if row == 1 else "y2 domain", x=0.5, y=0.5,
            )  # fmt: skip
    figure.update_yaxes(title_text="Mean rating (stars, 1-5)", range=[0, 5.4], row=1, col=1)
    figure.update_yaxes(title_text="NPS (-100 to 100)", row=2, col=1)
    figure.update_xaxes(title_text="Delivery", row=1, col=1)
    figure.update_xaxes(title_text="Delivery", row=2, col=1)
    figure.update_layout(showlegend=False, hovermode="closest")
    return style(figure, "Ratings and NPS after on-time vs late delivery", height=560)
