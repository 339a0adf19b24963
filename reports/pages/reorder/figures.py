"""Reorder-page figures: where the order value goes (by ABC class and by order-by date) and
each large order's recent demand with its forecast.

Each function returns None when its frame has no rows, so the page shows an empty-state note.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from reports.site.figure_style import BLUE, ORANGE, RED, style


def order_value_by_abc(recommendations: pl.DataFrame) -> go.Figure | None:
    """Total order value to place per ABC class, labelled with the number of SKUs."""
    if recommendations.is_empty():
        return None
    by_class = (
        recommendations.group_by(pl.col("abc_class").fill_null("?"))
        .agg(pl.col("order_value").sum(), pl.len().alias("skus"))
        .sort("abc_class")
    )
    figure = go.Figure(
        go.Bar(
            x=by_class["abc_class"].to_list(),
            y=by_class["order_value"].to_list(),
            text=[
                f"{v:,.0f} · {n} SKU{'s' if n != 1 else ''}"
                for v, n in zip(by_class["order_value"], by_class["skus"], strict=True)
            ],
            textposition="outside",
            cliponaxis=False,
            marker_color=BLUE,
        )
    )
    figure.update_layout(hovermode="closest")
    figure.update_xaxes(title_text="ABC class", type="category")
    figure.update_yaxes(title_text="Order value", rangemode="tozero")
    return style(figure, "Order value by ABC class", height=340)


def order_value_by_day(recommendations: pl.DataFrame) -> go.Figure | None:
    """Order value to place per order-by date: when the money is needed."""
    if recommendations.is_empty():
        return None
    by_day = (
        recommendations.drop_nulls("order_by")
        .group_by("order_by")
        .agg(pl.col("order_value").sum(), pl.len().alias("skus"))
        .sort("order_by")
    )
    figure = go.Figure(
        go.Bar(
            x=[d.isoformat() for d in by_day["order_by"]],
            y=by_day["order_value"].to_list(),
            customdata=by_day["skus"].to_list(),
            marker_color=ORANGE,
            hovertemplate="%{x}: %{y:,.2f} over %{customdata} SKU(s)<extra></extra>",
        )
    )
    figure.update_layout(hovermode="closest")
    # Category axis: one bar per date, no hour ticks between order days.
    figure.update_xaxes(title_text="Order by", type="category")
    figure.update_yaxes(title_text="Order value", rangemode="tozero")
    return style(figure, "Order value by order-by date", height=340)


def demand_forecast(title: str, history: pl.DataFrame, forecast: pl.DataFrame) -> go.Figure | None:
    """Recent daily units, stockout days, and the forecast with its 80 % and 95 % bands."""
    if history.is_empty() and forecast.is_empty():
        return None
    figure = go.Figure()
    days = forecast["day"].to_list()
    for level, opacity in ((95, 0.15), (80, 0.3)):
        figure.add_trace(
            go.Scatter(
                x=days + days[::-1],
                y=forecast[f"hi_{level}"].to_list() + forecast[f"lo_{level}"].to_list()[::-1],
                fill="toself",
                fillcolor=f"rgba(47,111,222,{opacity})",
                line={"width": 0},
                mode="lines",
                name=f"{level} % interval",
                hoverinfo="skip",
            )
        )
    figure.add_trace(
        go.Scatter(
            x=history["day"].to_list(),
            y=history["units"].to_list(),
            name="Units sold",
            mode="lines+markers",
            line={"color": "#3e4c59", "width": 1.5},
            marker={"size": 4},
        )
    )
    stockouts = history.filter(pl.col("is_stockout").fill_null(False))
    if not stockouts.is_empty():
        figure.add_trace(
            go.Scatter(
                x=stockouts["day"].to_list(),
                y=stockouts["units"].to_list(),
                name="Stockout",
                mode="markers",
                marker={"color": RED, "symbol": "x", "size": 9},
            )
        )
    figure.add_trace(
        go.Scatter(
            x=days,
            y=forecast["forecast"].to_list(),
            name="Forecast",
            mode="lines",
            line={"color": BLUE, "width": 2.5},
        )
    )
    figure.update_yaxes(title_text="Units per day", rangemode="tozero")
    figure.update_xaxes(title_text="Day")
    return style(figure, title, height=360)
