"""Feedback-page figures: ratings and NPS.

Each function returns None when its frame has no rows, so the page shows an empty-state note.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

from reports.site.figure_style import BLUE, GREEN, GREY, RED, style

STAR_COLOURS = (RED, "#ea7a52", GREY, "#7cc08f", GREEN)  # 1 to 5 stars


def rating_overview(distribution: pl.DataFrame, weekly: pl.DataFrame) -> go.Figure | None:
    """Reviews per star rating (top) and the weekly mean rating (below)."""
    if distribution.is_empty():
        return None
    figure = make_subplots(
        # Stacked, not side by side: two panels abreast left a phone no room for their titles.
        rows=2,
        cols=1,
        row_heights=[0.4, 0.6],
        vertical_spacing=0.22,
        subplot_titles=("Rating distribution", "Weekly mean rating"),
    )
    stars = [f"{r}★" for r in distribution["rating"]]
    figure.add_trace(
        go.Bar(
            x=stars,
            y=distribution["reviews"].to_list(),
            marker_color=list(STAR_COLOURS[: len(stars)]),
            name="Reviews",
            showlegend=False,
        ),
        row=1,
        col=1,
    )
    figure.add_trace(
        go.Scatter(
            x=weekly["week"].to_list(),
            y=weekly["mean_rating"].to_list(),
            customdata=weekly["reviews"].to_list(),
            mode="lines+markers",
            line={"color": BLUE, "width": 2},
            name="Mean rating",
            showlegend=False,
            hovertemplate="%{x}: %{y:.2f} from %{customdata} reviews<extra></extra>",
        ),
        row=2,
        col=1,
    )
    figure.update_layout(hovermode="closest")
    figure.update_xaxes(type="category", title_text="Stars", row=1, col=1)
    figure.update_xaxes(title_text="Week starting (Monday)", row=2, col=1)
    figure.update_yaxes(title_text="Reviews", rangemode="tozero", row=1, col=1)
    figure.update_yaxes(title_text="Mean stars", range=[1, 5.2], row=2, col=1)
    return style(figure, "Ratings", height=560)


def nps_by_month(monthly: pl.DataFrame) -> go.Figure | None:
    """NPS per month (bars coloured by sign), with the number of answers in the label."""
    if monthly.is_empty():
        return None
    values = monthly["nps"].to_list()
    figure = go.Figure(
        go.Bar(
            x=monthly["month"].to_list(),
            y=values,
            marker_color=[GREEN if v >= 0 else RED for v in values],
            customdata=monthly["nps_answers"].to_list(),
            text=[f"{v:+.0f}" for v in values],
            textposition="outside",
            textfont={"size": 12},
            cliponaxis=False,
            hovertemplate="%{x|%b %Y}: NPS %{y:+.0f} from %{customdata:,} answers<extra></extra>",
        )
    )
    figure.update_layout(hovermode="closest")
    figure.update_xaxes(title_text="Month", dtick="M1", tickformat="%b %Y")
    figure.update_yaxes(title_text="NPS", range=[-100, 100], zeroline=True)
    return style(figure, "Net Promoter Score per month", height=340)
