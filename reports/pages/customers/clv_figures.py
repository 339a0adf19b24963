"""Customer lifetime value figures: value by decile, holdout tracking, conditional expectation.

Each function returns None when its frame has no rows, so the page shows an empty-state note.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from reports.site.figure_style import BLUE, GREEN, GREY, ORANGE, style

MODEL_LABELS = {
    "bgnbd": "BG/NBD",
    "pareto_nbd": "Pareto/NBD",
    "gamma_gamma": "Gamma-Gamma",
    "naive": "Naive: calibration rate",
}
MODEL_COLOURS = {"bgnbd": BLUE, "pareto_nbd": ORANGE, "naive": GREY}
UNIT_NAMES = {"D": "days", "W": "weeks", "M": "months"}


def clv_deciles(deciles: pl.DataFrame, horizon_days: int | None, currency: str) -> go.Figure | None:
    """Mean CLV per customer (in `currency`) in each decile, labelled with the decile's
    share of all CLV."""
    if deciles.is_empty():
        return None
    horizon = f"next {horizon_days} days" if horizon_days else "the horizon"
    figure = go.Figure(
        go.Bar(
            x=deciles["clv_decile"].to_list(),
            y=deciles["mean_clv"].to_list(),
            marker_color=GREEN,
            customdata=list(
                zip(deciles["customers"].to_list(), deciles["max_clv"].to_list(), strict=True)
            ),
            text=[f"{s:.0%}" for s in deciles["share"].fill_null(0.0)],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="decile %{x}: mean CLV %{y:,.2f}, up to %{customdata[1]:,.2f},"
            " %{customdata[0]:,} customers<extra></extra>",
        )
    )
    figure.update_layout(hovermode="closest")
    # Categories, not numbers: a numeric axis over a few deciles ticked "-1" into "0".
    figure.update_xaxes(
        title_text="CLV decile (10 = most valuable; label: share of total CLV)", type="category"
    )
    figure.update_yaxes(
        title_text=f"Mean CLV per customer ({currency}, margin)", rangemode="tozero"
    )
    return style(figure, f"Customer lifetime value by decile, {horizon}", height=360)


def clv_tracking(tracking: pl.DataFrame, time_unit: str | None) -> go.Figure | None:
    """Cumulative repeat purchases of the calibration customers: actual vs each model,
    with the calibration end marked."""
    if tracking.is_empty():
        return None
    first_model = tracking["model"][0]
    actual = tracking.filter(pl.col("model") == first_model)
    figure = go.Figure(
        go.Scatter(
            x=actual["period_end"].to_list(),
            y=actual["actual_cumulative"].to_list(),
            name="Actual",
            mode="lines",
            line={"color": "#1f2933", "width": 3},
        )
    )
    for model in tracking["model"].unique(maintain_order=True):
        rows = tracking.filter(pl.col("model") == model)
        figure.add_trace(
            go.Scatter(
                x=rows["period_end"].to_list(),
                y=rows["predicted_cumulative"].to_list(),
                name=MODEL_LABELS.get(model, model),
                mode="lines",
                line={"color": MODEL_COLOURS.get(model, GREEN), "width": 2, "dash": "dash"},
            )
        )
    calibration = actual.filter(~pl.col("is_holdout"))
    if not calibration.is_empty():
        end = calibration["period_end"].max()
        figure.add_vline(x=end, line={"color": GREY, "dash": "dot"})
        figure.add_annotation(
            x=end,
            y=1,
            yref="paper",
            text="calibration end",
            showarrow=False,
            xanchor="right",
            yanchor="top",
        )
    unit = UNIT_NAMES.get(time_unit or "", "periods")
    figure.update_xaxes(title_text=f"End of period ({unit})")
    figure.update_yaxes(
        title_text="Cumulative repeat purchases (purchase days)", rangemode="tozero"
    )
    return style(figure, "Cumulative repeat purchases: actual vs models", height=420)


def clv_conditional(conditional: pl.DataFrame) -> go.Figure | None:
    """Mean holdout repeat purchases per customer by calibration frequency: actual vs models."""
    if conditional.is_empty():
        return None
    first_model = conditional["model"][0]
    actual = conditional.filter(pl.col("model") == first_model)
    labels = actual["frequency_label"].to_list()
    figure = go.Figure(
        go.Bar(
            x=labels,
            y=actual["actual_mean"].to_list(),
            name="Actual",
            marker_color="#cbd2d9",
            customdata=actual["customers"].to_list(),
            hovertemplate="%{x} in calibration: %{y:.2f} actual (%{customdata:,} customers)<extra></extra>",
        )
    )
    for model in conditional["model"].unique(maintain_order=True):
        rows = conditional.filter(pl.col("model") == model)
        figure.add_trace(
            go.Scatter(
                x=rows["frequency_label"].to_list(),
                y=rows["predicted_mean"].to_list(),
                name=MODEL_LABELS.get(model, model),
                mode="lines+markers",
                line={
                    "color": MODEL_COLOURS.get(model, GREEN),
                    "width": 2,
                    "dash": "dot" if model == "naive" else "solid",
                },
            )
        )
    figure.update_xaxes(title_text="Repeat purchases in the calibration period", type="category")
    figure.update_yaxes(
        title_text="Holdout repeat purchases per customer (mean)", rangemode="tozero"
    )
    return style(figure, "Holdout purchases by calibration frequency", height=420)
