"""Plotly figures of the dashboard, built from the small frames in `reports.warehouse`.

Each function returns None when its frame has no rows, so a page shows an empty-state
note instead of an empty set of axes.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

FONT = "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif"
BLUE, ORANGE, RED, GREY, GREEN = "#2f6fde", "#f08c2e", "#d64545", "#9aa5b1", "#3b9a5b"
# Funnel rate column -> (legend label, colour).
RATES: dict[str, tuple[str, str]] = {
    "conversion_rate": ("Conversion", GREEN),
    "cart_abandonment_rate": ("Cart abandonment", ORANGE),
    "checkout_abandonment_rate": ("Checkout abandonment", RED),
}
TOP, BOTTOM = {"row": 1, "col": 1}, {"row": 2, "col": 1}  # panels of the two-row figures


LEGEND_BELOW = {
    "orientation": "h",
    "yref": "container",
    "y": 0,
    "yanchor": "bottom",
    "x": 0,
    "xanchor": "left",
}


def style(figure: go.Figure, title: str, height: int = 380) -> go.Figure:
    figure.update_layout(
        title={"text": title, "x": 0.01, "font": {"size": 15}},
        template="plotly_white",
        font={"family": FONT, "size": 12},
        height=height,
        margin={"l": 56, "r": 24, "t": 64, "b": 40},
        # Below the plot, in the figure's own coordinates: plotly then makes room for it
        # under the axis title at any width, where a legend beside the title covers it on a
        # phone or a half-width chart.
        legend=LEGEND_BELOW,
        hovermode="x unified",
    )
    return figure


def sales_and_orders(daily: pl.DataFrame) -> go.Figure | None:
    """Daily net sales (top) and orders (bottom) on a shared day axis."""
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
    figure.update_yaxes(title_text="Net sales (currency)", **TOP)
    figure.update_yaxes(title_text="Orders", rangemode="tozero", **BOTTOM)
    figure.update_xaxes(title_text="Day", **BOTTOM)
    return style(figure, "Daily net sales and orders", height=420)


def conversion_trend(daily: pl.DataFrame) -> go.Figure | None:
    """Daily conversion rate and its trailing 7-day rate (weighted by sessions)."""
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
    figure = go.Figure()
    figure.add_trace(
        go.Scatter(
            x=days,
            y=weekly["conversion_rate"].to_list(),
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


def load_quality(summary: pl.DataFrame) -> go.Figure | None:
    """Rows loaded and rows quarantined per export kind."""
    if summary.is_empty():
        return None
    kinds = summary["kind"].to_list()
    figure = go.Figure()
    for column, label, colour in (
        ("rows_loaded", "Loaded", BLUE),
        ("rows_quarantined", "Quarantined", RED),
    ):
        values = summary[column].to_list()
        figure.add_trace(
            go.Bar(
                x=kinds,
                y=values,
                name=label,
                marker_color=colour,
                text=[f"{v:,}" for v in values],
                textposition="outside",
                cliponaxis=False,
            )
        )
    figure.update_layout(barmode="group", hovermode="closest")
    figure.update_yaxes(title_text="Rows")
    figure.update_xaxes(title_text="Export kind")
    return style(figure, "Rows loaded and quarantined per export kind", height=340)


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
    """Conversion, cart and checkout abandonment per value of one dimension (grouped bars)."""
    if frame.is_empty():
        return None
    labels = frame[dimension].cast(pl.String).to_list()
    figure = go.Figure()
    for rate, (label, colour) in RATES.items():
        values = frame[rate].to_list()
        figure.add_trace(
            go.Bar(
                x=labels,
                y=values,
                name=label,
                marker_color=colour,
                text=[None if v is None else f"{v:.1%}" for v in values],
                textposition="outside",
                cliponaxis=False,
            )
        )
    figure.update_layout(barmode="group", hovermode="closest")
    figure.update_yaxes(tickformat=".0%", rangemode="tozero", title_text="Rate (%)")
    figure.update_xaxes(title_text=dimension.replace("_", " ").capitalize(), type="category")
    return style(figure, f"Rates by {dimension.replace('_', ' ')}", height=360)


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
