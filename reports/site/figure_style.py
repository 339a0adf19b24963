"""The look every plotly figure of the site shares: colours, font, margins, legend, template.

A figure function of a page builds its traces, then passes the figure through `style`.
"""

from __future__ import annotations

import plotly.graph_objects as go

from reports.site.chart_embed import TEMPLATE_NAME

FONT = "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif"
BLUE, ORANGE, RED, GREY, GREEN = "#2f6fde", "#f08c2e", "#d64545", "#9aa5b1", "#3b9a5b"


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
        template=TEMPLATE_NAME,
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
