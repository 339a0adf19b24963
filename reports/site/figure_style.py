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


# Percent ticks with up to two decimals, trailing zeros trimmed ("0.5%", "1%", "12.25%"):
# a whole-percent format over a narrow range (0.5 % to 1.5 %) printed "1%" three times.
PERCENT_TICKS = ".2~%"


def _percent_ticks(axis: go.layout.XAxis | go.layout.YAxis) -> None:
    if axis.tickformat and axis.tickformat.startswith(".") and axis.tickformat.endswith("%"):
        axis.tickformat = PERCENT_TICKS


MARGIN = {"l": 56, "r": 24, "t": 64, "b": 40}
TITLE_CHAR_PX = 7  # width of one character of a 12 px axis title, generously
EMPTY_PANEL = "No values to show for this period"


def _wrap(text: str, max_chars: int) -> str:
    """Break a title into lines of at most `max_chars` at spaces (plotly never wraps)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= max_chars:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def _fit_y_titles(figure: go.Figure, height: int) -> None:
    """Wrap a y-axis title longer than its axis: plotly draws it centred on the axis, so
    the overflow ran up into the chart title (and down into the x-axis labels)."""
    plot_px = height - MARGIN["t"] - MARGIN["b"]

    def fit(axis: go.layout.YAxis) -> None:
        text = axis.title.text
        if not text or "<br>" in text:
            return
        domain = axis.domain or (0, 1)
        # 0.6: a legend below the plot takes part of the height, most on a phone.
        room = int(plot_px * (domain[1] - domain[0]) * 0.6 / TITLE_CHAR_PX)
        if len(text) > room:
            axis.title.text = _wrap(text, max(room, 8))
            axis.automargin = True

    figure.for_each_yaxis(fit)


def _note_empty_panels(figure: go.Figure) -> None:
    """Say so in a plot area where no trace has a value, unless an annotation already does."""
    panels: dict[tuple[str, str], bool] = {}
    for trace in figure.data:
        key = (getattr(trace, "xaxis", None) or "x", getattr(trace, "yaxis", None) or "y")
        values = trace.x if getattr(trace, "orientation", None) == "h" else trace.y
        has_value = values is not None and any(v is not None for v in values)
        panels[key] = panels.get(key, False) or has_value
    noted = {a.xref for a in figure.layout.annotations if a.xref and "domain" in a.xref}
    for (x, y), has_value in panels.items():
        if not has_value and f"{x} domain" not in noted:
            figure.add_annotation(
                text=EMPTY_PANEL, showarrow=False, xref=f"{x} domain", yref=f"{y} domain",
                x=0.5, y=0.5,
            )  # fmt: skip


def style(figure: go.Figure, title: str, height: int = 380) -> go.Figure:
    """Give a figure the site's look: title, template, font, margins, legend below; percent
    axes whose ticks never repeat a label, y-axis titles that fit their axis, and a note in
    any plot area left without a value."""
    figure.for_each_xaxis(_percent_ticks)
    figure.for_each_yaxis(_percent_ticks)
    # x tick labels a little lower: the first date label ran into the y axis's "0" on a phone.
    figure.update_xaxes(ticklabelstandoff=8)
    _fit_y_titles(figure, height)
    _note_empty_panels(figure)
    figure.update_layout(
        title={"text": title, "x": 0.01, "font": {"size": 15}},
        template=TEMPLATE_NAME,
        font={"family": FONT, "size": 12},
        height=height,
        margin=MARGIN,
        # Below the plot, in the figure's own coordinates: plotly then makes room for it
        # under the axis title at any width, where a legend beside the title covers it on a
        # phone or a half-width chart.
        legend=LEGEND_BELOW,
        hovermode="x unified",
    )
    return figure
