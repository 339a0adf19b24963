"""Overview figures: daily sales and orders, and the conversion trend.

Each function returns None when its frame has no rows, so the page shows an empty-state note.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

from reports.site.figure_style import BLUE, BOTTOM, GREEN, GREY, ORANGE, TOP, style


def sales_and_orders(daily: pl.DataFrame, currency: str) -> go.Figure | None:
    """Daily net sales (top, in `currency`) and orders (bottom) on a shared day axis."""
    if daily.is_empty():
        return None
    figure = make_subplots(
        rows=2, cols=1, shared_xaxes=True, row_heights=[0.65, 0.35], vertical_spacing=0.06
    )
    days = daily["day"].to_list()
    figure.add_trace(
        go.Bar(x=days, y=daily["net_sales"].to_list(), name="Net sales", marker_color=BLUE), **TOP
    )
    figure.add_trace(
        go.Bar(x=days, y=daily["orders"].to_list(), name="Orders", marker_color=ORANGE), **BOTTOM
    )
    figure.update_yaxes(title_text=f"Net sales ({currency})", **TOP)
    figure.update_yaxes(title_text="Orders", rangemode="tozero", **BOTTOM)
    figure.update_xaxes(title_text="Day", **BOTTOM)
    return style(figure, "Daily net sales and orders", height=420)


def conversion_trend(daily: pl.DataFrame, closed: Sequence[date] = ()) -> go.Figure | None:
    """Daily conversion rate and its trailing 7-day rate (weighted by sessions); the daily
    line leaves a gap on the `closed` days (reports/site/trading_calendar.py)."""
    if daily.is_empty():
        return None
    weekly = daily.sort("day").with_columns(
        (
            (pl.col("conversion_rate") * pl.col("sessions"))
            .fill_null(0)
            .rolling_sum_by("day", "7d")
            / pl.col("sessions").rolling_sum_by("day", "7d")
        ).alias("rate_7d")
    )
    days = weekly["day"].to_list()
    closed = set(closed)
    figure = go.Figure()
    figure.add_trace(
        go.Scatter(
            x=days,
            y=[
                None if day in closed else rate
                for day, rate in zip(days, weekly["conversion_rate"], strict=True)
            ],
            name="Daily",
            mode="lines+markers",
            line={"color": GREY, "width": 1},
            marker={"size": 4},
        )
    )
    figure.add_trace(
        go.Scatter(
            x=days,
            y=weekly["rate_7d"].to_list(),
            name="7-day",
            mode="lines",
            line={"color": GREEN, "width": 2.5},
        )
    )
    figure.update_yaxes(tickformat=".1%", rangemode="tozero", title_text="Sessions that bought")
    figure.update_xaxes(title_text="Day")
    return style(figure, "Conversion rate")
