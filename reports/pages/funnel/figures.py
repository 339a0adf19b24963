"""Funnel-page figures: the session funnel, closed vs open funnels, rates by dimension,
abandonment and the weekly trend.

Each function returns None when its frame has no rows, so the page shows an empty-state note.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

from reports.site.figure_style import BLUE, BOTTOM, GREEN, GREY, ORANGE, RED, TOP, style

# Funnel rate column -> (legend label, colour).
RATES: dict[str, tuple[str, str]] = {
    "conversion_rate": ("Conversion", GREEN),
    "cart_abandonment_rate": ("Cart abandonment", ORANGE),
    "checkout_abandonment_rate": ("Checkout abandonment", RED),
}


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


def funnel(totals: dict[str, float | int | None]) -> go.Figure | None:
    """Sessions → carts → checkouts → purchases over the whole period, as horizontal bars:
    each bar labelled with its count and share of all sessions, each step with the share of
    the step before that reached it (the drop-off), short enough for a phone."""
    if not totals.get("sessions"):
        return None
    stages = ("sessions", "sessions_with_cart", "sessions_with_checkout", "sessions_with_purchase")
    names = ("Sessions", "Added to cart", "Began checkout", "Purchased")
    counts = [totals[s] or 0 for s in stages]
    steps = [names[0]] + [
        f"{name}<br><span style='font-size:11px'>{n / before:.1%} of the step before</span>"
        if before
        else name
        for name, n, before in zip(names[1:], counts[1:], counts[:-1], strict=True)
    ]
    figure = go.Figure(
        go.Bar(
            y=steps,
            x=counts,
            orientation="h",
            text=[f"{n:,} · {n / counts[0]:.1%}" for n in counts],
            textposition="auto",
            marker={"color": [BLUE, "#5a8de6", ORANGE, GREEN]},
            hovertemplate="%{x:,} sessions<extra></extra>",
        )
    )
    figure.update_layout(hovermode="closest", showlegend=False)
    figure.update_yaxes(autorange="reversed", automargin=True, title_text="Funnel step")
    figure.update_xaxes(title_text="Sessions", rangemode="tozero")
    return style(figure, "Session funnel", height=360)


def rates_by(frame: pl.DataFrame, dimension: str) -> go.Figure | None:
    """Conversion, cart and checkout abandonment per value of one dimension, as grouped
    horizontal bars: a long source name ('facebook gift') sits beside its bars, where
    under vertical bars it ran into its neighbour's."""
    if frame.is_empty():
        return None
    labels = frame[dimension].cast(pl.String).to_list()
    figure = go.Figure()
    for rate, (label, colour) in RATES.items():
        values = frame[rate].to_list()
        figure.add_trace(
            go.Bar(
                y=labels,
                x=values,
                orientation="h",
                name=label,
                marker_color=colour,
                text=[None if v is None else f"{v:.1%}" for v in values],
                textposition="outside",
                cliponaxis=False,
            )
        )
    # Reversed: the first value on top, and within it the bars in legend order.
    figure.update_layout(barmode="group", hovermode="closest", legend_traceorder="normal")
    highest = max((v for rate in RATES for v in frame[rate].to_list() if v is not None), default=0)
    # Room right of the longest bar for its label ("100.0%"), which the plot area clipped.
    figure.update_xaxes(
        tickformat=".0%", range=[0, max(highest, 0.01) * 1.3], title_text="Rate (%)"
    )
    figure.update_yaxes(
        title_text=dimension.replace("_", " ").capitalize(),
        type="category",
        autorange="reversed",
        automargin=True,
    )
    title = f"Rates by {dimension.replace('_', ' ')}"
    return style(figure, title, height=max(300, 150 + 54 * len(labels)))


def weekly_trend(weekly: pl.DataFrame) -> go.Figure | None:
    """The three funnel rates per week (top) and weekly sessions (bottom)."""
    if weekly.is_empty():
        return None
    weeks = weekly["week"].to_list()
    figure = make_subplots(
        rows=2, cols=1, shared_xaxes=True, row_heights=[0.68, 0.32], vertical_spacing=0.06
    )
    for rate, (label, colour) in RATES.items():
        figure.add_trace(
            go.Scatter(
                x=weeks,
                y=weekly[rate].to_list(),
                name=label,
                mode="lines+markers",
                line={"color": colour, "width": 2},
            ),
            **TOP,
        )
    figure.add_trace(
        go.Bar(x=weeks, y=weekly["sessions"].to_list(), name="Sessions", marker_color=GREY),
        **BOTTOM,
    )
    figure.update_yaxes(tickformat=".0%", rangemode="tozero", title_text="Rate (%)", **TOP)
    figure.update_yaxes(title_text="Sessions", rangemode="tozero", **BOTTOM)
    figure.update_xaxes(title_text="Week starting (Monday)", **BOTTOM)
    return style(figure, "Weekly trend", height=440)


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
                # One word a line: five steps side by side on a phone ran into each other.
                x=[label.replace(" ", "<br>") for label in STEP_LABELS.values()],
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
            textposition="inside",  # shrunk to fit its bar: outside, a phone cut it off
            hovertemplate="%{y}: %{x:.1%}<extra></extra>",
        )
    )
    figure.update_layout(hovermode="closest")
    figure.update_xaxes(tickformat=".1%", rangemode="tozero", title_text="Conversion rate")
    figure.update_yaxes(
        automargin=True, type="category", title_text=dimension.replace("_", " ").capitalize()
    )
    return style(figure, title, height=max(260, 80 + 34 * len(labels)))
