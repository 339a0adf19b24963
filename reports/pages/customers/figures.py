"""Customers-page figures: new vs returning, repeat rates and RFM segments.

Each function returns None when its frame has no rows, so the page shows an empty-state note.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

from reports.site.figure_style import BLUE, GREEN, ORANGE, style


def new_vs_returning(weekly: pl.DataFrame) -> go.Figure | None:
    """New and returning customers per week, stacked."""
    if weekly.is_empty():
        return None
    weeks = weekly["week"].to_list()
    figure = go.Figure()
    for column, label, colour in (
        ("new_customers", "New", BLUE),
        ("returning_customers", "Returning", ORANGE),
    ):
        figure.add_trace(
            go.Bar(x=weeks, y=weekly[column].to_list(), name=label, marker_color=colour)
        )
    figure.update_layout(barmode="stack")
    figure.update_yaxes(title_text="Customers", rangemode="tozero")
    figure.update_xaxes(title_text="Week starting (Monday)")
    return style(figure, "New vs returning customers per week", height=360)


def customer_rates(monthly: pl.DataFrame) -> go.Figure | None:
    """Shopify's returning-customer rate vs the repeat-purchase rates, per month."""
    if monthly.is_empty():
        return None
    months = monthly["month"].to_list()
    figure = go.Figure()
    for column, label, colour, dash in (
        ("returning_customer_rate", "Returning-customer rate (Shopify)", ORANGE, "solid"),
        ("repeat_purchase_rate", "Repeat purchase within the month", BLUE, "solid"),
        ("cumulative_repeat_purchase_rate", "Repeat purchase, all customers to date", BLUE, "dot"),
    ):
        figure.add_trace(
            go.Scatter(
                x=months,
                y=monthly[column].to_list(),
                name=label,
                mode="lines+markers",
                line={"color": colour, "width": 2, "dash": dash},
            )
        )
    figure.update_yaxes(tickformat=".0%", rangemode="tozero", title_text="Share of customers")
    # At most about six month ticks: a tick a month ran 13 labels together at half width,
    # and plotly's own spacing ticks weeks, each labelled with its month.
    step = max(1, -(-len(months) // 6))
    figure.update_xaxes(dtick=f"M{step}", tickformat="%b %Y", title_text="Month")
    return style(figure, "Returning-customer rate vs repeat-purchase rate", height=380)


def rfm_segments(segments: pl.DataFrame) -> go.Figure | None:
    """Customers (left) and revenue (right) per RFM segment, horizontal bars."""
    if segments.is_empty():
        return None
    ordered = segments.reverse()
    labels = ordered["rfm_segment"].to_list()
    figure = make_subplots(
        rows=1,
        cols=2,
        shared_yaxes=True,
        horizontal_spacing=0.04,
    )
    for col, column, colour in ((1, "customers", BLUE), (2, "revenue", GREEN)):
        values = ordered[column].to_list()
        figure.add_trace(
            go.Bar(
                y=labels,
                x=values,
                orientation="h",
                marker_color=colour,
                name=column.title(),
                text=[f"{v:,.0f}" for v in values],
                textposition="inside",  # outside, a long amount ran past a phone's edge
                showlegend=False,
            ),
            row=1,
            col=col,
        )
    figure.update_layout(hovermode="closest")
    figure.update_yaxes(type="category", automargin=True)
    figure.update_yaxes(title_text="RFM segment", row=1, col=1)
    # Short axis titles: two long ones under narrow panels ran together on a phone.
    figure.update_xaxes(title_text="Customers", row=1, col=1)
    figure.update_xaxes(title_text="Revenue", row=1, col=2)
    return style(figure, "RFM segments", height=max(300, 110 + 30 * len(labels)))
