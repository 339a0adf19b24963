"""Figures of the feedback page's text section. Every bar and flagged point carries its
value as text, so the charts read without hovering. Each function returns None when its
frame has no rows, so the page shows an empty-state note."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from reports.site.figure_style import GREEN, GREY, RED, style

LINE_COLOURS = ("#2f6fde", "#f08c2e", "#7b61c9", "#3b9a5b", "#c2185b", "#00838f")


def themes_by_volume(themes: pl.DataFrame) -> go.Figure | None:
    """Texts and negative texts per theme, as horizontal bars (most negative on top)."""
    if themes.is_empty():
        return None
    ordered = themes.reverse()  # plotly draws the first category at the bottom
    names = ordered["theme"].to_list()
    figure = go.Figure()
    for column, label, colour in (
        ("texts", "Texts", GREY),
        ("negative_texts", "Negative texts", RED),
    ):
        values = ordered[column].to_list()
        figure.add_trace(
            go.Bar(y=names, x=values, name=label, orientation="h", marker_color=colour,
                   text=[f"{v:,}" for v in values], textposition="outside", cliponaxis=False)
        )  # fmt: skip
    figure.update_layout(barmode="group", hovermode="closest")
    figure.update_xaxes(title_text="Texts")
    return style(figure, "Themes by volume and negative texts", height=120 + 44 * len(names))


def negative_trend(weekly: pl.DataFrame) -> go.Figure | None:
    """Each theme's weekly negative share (its negative texts / the week's texts); flagged
    weeks marked and labelled."""
    if weekly.is_empty():
        return None
    figure = go.Figure()
    for i, (_, rows) in enumerate(weekly.group_by("theme_id", maintain_order=True)):
        colour = LINE_COLOURS[i % len(LINE_COLOURS)]
        figure.add_trace(
            go.Scatter(x=rows["week"].to_list(), y=rows["negative_share"].to_list(),
                       name=rows["theme"][0], mode="lines", line={"color": colour, "width": 2})
        )  # fmt: skip
        flagged = rows.filter(pl.col("flagged"))
        if flagged.height:
            figure.add_trace(
                go.Scatter(
                    x=flagged["week"].to_list(), y=flagged["negative_share"].to_list(),
                    mode="markers+text", marker={"color": RED, "size": 11, "symbol": "x"},
                    text=[f"{rows['theme'][0]}: {s:.0%}" for s in flagged["negative_share"]],
                    textposition="top center", showlegend=False, name="flagged",
                )
            )  # fmt: skip
    figure.update_yaxes(title_text="Negative share of the week's texts", tickformat=".0%")
    # At most 4 date ticks: on a phone a year of quarters ("Jan 2011 Apr 2011 ...") ran together.
    figure.update_xaxes(title_text="Week starting (Monday)", nticks=4)
    return style(
        figure, "Negative share per theme and week (x: flagged above its usual range)", 420
    )


def negative_after_delivery(after: pl.DataFrame) -> go.Figure | None:
    """Per theme, its negative share of the texts after late vs on-time deliveries, as grouped
    horizontal bars: theme names ('delivery / late / date') sit beside their bars, where
    under vertical bars they squashed the plot on a phone."""
    if after.is_empty():
        return None
    figure = go.Figure()
    for delivery, colour in (("late", RED), ("on time", GREEN)):
        rows = after.filter(pl.col("delivery") == delivery)
        figure.add_trace(
            go.Bar(y=rows["theme"].to_list(), x=rows["negative_share"].to_list(), orientation="h",
                   name=f"After {delivery} delivery", marker_color=colour,
                   text=[f"{s:.1%}" for s in rows["negative_share"]], textposition="outside",
                   cliponaxis=False)
        )  # fmt: skip
    highest = max((v for v in after["negative_share"].to_list() if v is not None), default=0)
    themes = after["theme"].n_unique()
    figure.update_layout(barmode="group", hovermode="closest")
    # Room right of the longest bar for its label.
    figure.update_xaxes(
        title_text="Negative share of texts", tickformat=".0%", range=[0, max(highest, 0.01) * 1.3]
    )
    figure.update_yaxes(title_text="Theme", autorange="reversed", automargin=True, type="category")
    title = "Negative share per theme after late vs on-time deliveries"
    return style(figure, title, max(320, 150 + 44 * themes))
