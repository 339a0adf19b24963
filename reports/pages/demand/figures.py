"""Demand-page figures: holdout accuracy by demand pattern.

Each function returns None when its frame has no rows, so the page shows an empty-state note.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from reports.pages.demand.queries import SELECTED
from reports.site.figure_style import BLUE, GREY, ORANGE, style

SEASONAL_NAIVE = "SeasonalNaive"


def accuracy_by_class(summary: pl.DataFrame, sums: str = "7-day sums") -> go.Figure | None:
    """WAPE on the choice's sums (``sums``: "7-day sums" of daily SKUs, "1-week sums" ...) of
    `selected`, the best single model and seasonal naive."""
    if summary.is_empty():
        return None
    singles = summary.filter(~pl.col("model").is_in([SELECTED, SEASONAL_NAIVE]))
    best = (
        singles.sort("wape", nulls_last=True)
        .group_by("demand_pattern", maintain_order=True)
        .first()
    )
    classes = summary["demand_pattern"].unique(maintain_order=True).to_list()
    figure = go.Figure()
    rows = (
        (
            "Selected (class mean or median of best models)",
            summary.filter(pl.col("model") == SELECTED),
            BLUE,
        ),
        ("Best single model", best, ORANGE),
        ("Seasonal naive", summary.filter(pl.col("model") == SEASONAL_NAIVE), GREY),
    )
    for name, frame, colour in rows:
        values = dict(frame.select("demand_pattern", "wape_7d").iter_rows())
        figure.add_trace(
            go.Bar(
                x=classes,
                y=[values.get(c) for c in classes],
                name=name,
                marker_color=colour,
                hovertemplate="%{x}: %{y:.3f}<extra>" + name + "</extra>",
            )
        )
    figure.update_layout(barmode="group")
    figure.update_yaxes(title_text=f"WAPE on {sums} (lower is better)", rangemode="tozero")
    figure.update_xaxes(title_text="Demand pattern")
    return style(figure, "Holdout error by demand pattern", height=340)
