"""Policy backtest figures: achieved vs target service, and stock value vs fill rate.

Both take the rows of inventory.policy_backtest (reports.pages.reorder.policy_queries) and return None
when there are none, so the page shows an empty-state note instead of empty axes.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from reports.site.figure_style import BLUE, GREY, ORANGE, style

POLICY_COLOURS = {"recommended": BLUE, "classic": ORANGE}
MEASURES = {  # column -> (label, line dash)
    "achieved_cycle_service_level": ("cycle service", "solid"),
    "fill_rate": ("fill rate", "dot"),
}


def _policies(backtest: pl.DataFrame) -> list[tuple[str, pl.DataFrame]]:
    return [
        (policy, backtest.filter(pl.col("policy") == policy).sort("target_service_level"))
        for policy in sorted(backtest["policy"].unique().to_list())
    ]


def achieved_vs_target(backtest: pl.DataFrame) -> go.Figure | None:
    """Achieved cycle service and fill rate per target, one line per policy and measure."""
    if backtest.is_empty():
        return None
    targets = sorted(backtest["target_service_level"].unique().to_list())
    figure = go.Figure(
        go.Scatter(
            x=targets,
            y=targets,
            name="target = achieved",
            mode="lines",
            line={"color": GREY, "dash": "dash", "width": 1},
        )
    )
    for policy, rows in _policies(backtest):
        for column, (label, dash) in MEASURES.items():
            figure.add_trace(
                go.Scatter(
                    x=rows["target_service_level"].to_list(),
                    y=rows[column].to_list(),
                    name=f"{policy}: {label}",
                    mode="lines+markers",
                    line={"color": POLICY_COLOURS.get(policy, GREY), "dash": dash},
                )
            )
    figure.update_layout(hovermode="closest")
    figure.update_xaxes(title_text="Target service level", tickformat=".0%")
    figure.update_yaxes(title_text="Achieved in the replay", tickformat=".0%")
    return style(figure, "Achieved vs target service level", height=440)


def stock_vs_fill_rate(backtest: pl.DataFrame) -> go.Figure | None:
    """The frontier: average stock value against fill rate, each point a target."""
    if backtest.is_empty():
        return None
    figure = go.Figure()
    for policy, rows in _policies(backtest):
        figure.add_trace(
            go.Scatter(
                x=rows["avg_inventory_value"].to_list(),
                y=rows["fill_rate"].to_list(),
                name=policy,
                mode="lines+markers+text",
                text=[f"{t:.0%}" for t in rows["target_service_level"]],
                textposition="top left",
                line={"color": POLICY_COLOURS.get(policy, GREY)},
                customdata=rows["achieved_cycle_service_level"].to_list(),
                hovertemplate="stock %{x:,.0f}<br>fill rate %{y:.1%}<br>cycle service "
                "%{customdata:.1%}<extra>%{fullData.name}</extra>",
            )
        )
    figure.update_layout(hovermode="closest")
    figure.update_xaxes(title_text="Average stock value (at unit cost)", rangemode="tozero")
    figure.update_yaxes(title_text="Fill rate (units served / demanded)", tickformat=".0%")
    return style(figure, "Stock value vs fill rate, labelled by target", height=400)
