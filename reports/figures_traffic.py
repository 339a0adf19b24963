"""Funnel-page figures beyond the session funnel: closed vs open, abandonment windows, pages.

Each function returns None when its frame has no rows, so the page shows an empty-state note.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

from reports.figures import BLUE, GREEN, GREY, ORANGE, RED, TOP, style

STEP_LABELS: dict[str, str] = {
    "visitors": "Visited",
    "viewed": "Viewed item",
    "carted": "Added to cart",
    "checked_out": "Began checkout",
    "purchased": "Purchased",
}
# (scope, funnel_type) -> (legend label, colour)
FUNNEL_SERIES: dict[tuple[str, str], tuple[str, str]] = {
    ("session", "closed"): ("Sessions · closed (steps in order)", BLUE),
    ("session", "open"): ("Sessions · open (any order)", "#8fb3f0"),
    ("user", "closed"): ("Visitors · closed", GREEN),
    ("user", "open"): ("Visitors · open", "#9fd3ae"),
}
# rate column -> (legend label, colour, dash)
ABANDONMENT: dict[str, tuple[str, str, str]] = {
    "cart_abandonment_rate": ("Carts · in session", ORANGE, "solid"),
    "cart_abandonment_rate_window": ("Carts · within window", ORANGE, "dot"),
    "checkout_abandonment_rate": ("Checkouts · in session", RED, "solid"),
    "checkout_abandonment_rate_window": ("Checkouts · within window", RED, "dot"),
}


def funnel_comparison(steps: pl.DataFrame) -> go.Figure | None:
    """Units reaching each step, closed vs open funnel, session vs user scope (grouped bars)."""
    if steps.is_empty():
        return None
    figure = go.Figure()
    for row in steps.iter_rows(named=True):
        label, colour = FUNNEL_SERIES.get(
            (row["scope"], row["funnel_type"]), (f"{row['scope']} · {row['funnel_type']}", GREY)
        )
        values = [row[step] for step in STEP_LABELS]
        first = values[0] or 0
        figure.add_trace(
            go.Bar(
                x=list(STEP_LABELS.values()),
                y=values,
                name=label,
                marker_color=colour,
                customdata=[v / first if first else None for v in values],
                hovertemplate="%{x}: %{y:,} (%{customdata:.1%} of visits)<extra>"
                + label
                + "</extra>",
            )
        )
    figure.update_layout(barmode="group", hovermode="closest")
    figure.update_yaxes(title_text="Sessions / visitor-days", rangemode="tozero")
    figure.update_xaxes(title_text="Funnel step")
    return style(figure, "Closed vs open funnel, per session and per visitor", height=400)


def abandonment_trend(weekly: pl.DataFrame) -> go.Figure | None:
    """Weekly cart and checkout abandonment in the session and within the recovery window
    (top), and the value left in carts abandoned in the session (bottom)."""
    if weekly.is_empty():
        return None
    weeks = weekly["week"].to_list()
    figure = make_subplots(
        rows=2, cols=1, shared_xaxes=True, row_heights=[0.66, 0.34], vertical_spacing=0.08
    )
    for rate, (label, colour, dash) in ABANDONMENT.items():
        figure.add_trace(
            go.Scatter(
                x=weeks,
                y=weekly[rate].to_list(),
                name=label,
                mode="lines+markers",
                line={"color": colour, "width": 2, "dash": dash},
            ),
            **TOP,
        )
    figure.add_trace(
        go.Bar(
            x=weeks,
            y=weekly["abandoned_cart_value"].to_list(),
            name="Value left in carts",
            marker_color=GREY,
        ),
        row=2,
        col=1,
    )
    figure.update_yaxes(tickformat=".0%", rangemode="tozero", title_text="Abandoned", **TOP)
    figure.update_yaxes(title_text="Cart value", rangemode="tozero", row=2, col=1)
    figure.update_xaxes(title_text="Week starting (Monday)", row=2, col=1)
    return style(figure, "Abandonment: in the session vs within the recovery window", height=460)


def conversion_bars(frame: pl.DataFrame, dimension: str, title: str) -> go.Figure | None:
    """Conversion rate per value of one dimension as horizontal bars, sessions in the label."""
    if frame.is_empty():
        return None
    ordered = frame.reverse()  # plotly draws the first category at the bottom
    labels = ordered[dimension].cast(pl.String).to_list()
    rates = ordered["conversion_rate"].to_list()
    sessions = ordered["sessions"].to_list()
    figure = go.Figure(
        go.Bar(
            y=labels,
            x=rates,
            orientation="h",
            marker_color=GREEN,
            text=[
                f"{'–' if r is None else f'{r:.1%}'} of {s:,} sessions"
                for r, s in zip(rates, sessions, strict=True)
            ],
            textposition="auto",
            hovertemplate="%{y}: %{x:.1%}<extra></extra>",
        )
    )
    figure.update_layout(hovermode="closest")
    figure.update_xaxes(tickformat=".1%", rangemode="tozero", title_text="Conversion rate")
    figure.update_yaxes(
        automargin=True, type="category", title_text=dimension.replace("_", " ").capitalize()
    )
    return style(figure, title, height=max(260, 80 + 34 * len(labels)))
