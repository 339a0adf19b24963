"""How a page carries and draws its plotly charts: the first screen at once, the rest after.

Each chart is an empty `<div>` of its final height plus its figure as JSON in a
`<script type="application/json">` beside it; nothing is drawn while the page parses.
The plotly.js bundle loads with `defer`, so the text, KPI tiles and tables paint while
the library is parsed off the main thread. Then the page's chart script
(`reports/site/static/draw_charts.js`, inlined by `layout.page`; run on DOMContentLoaded,
after the bundle):

1. draws every chart that is on the first screen, at once, in page order;
2. draws the others one per idle moment of the browser (`requestIdleCallback`), nearest
   first, or at once when one scrolls into view before its turn;
3. draws whatever is left before the page prints.

So a page is usable when its first screen is drawn, whatever its number of charts below,
and every chart is drawn a moment later without the reader doing anything. The two
moments are marked for the browser tests and `make bench-site` as the performance marks
`orderpulse:first-screen-drawn` and `orderpulse:all-charts-drawn`. Charts are
drawn once their grid has its final width, so none needs a second, resizing draw.

The script draws with the config `window.orderpulsePlotConfig` it defines (no plotly logo,
which links to plotly.com; a two-button mode bar clear of the title, none on a phone) and
reads the page's one copy of the figure template from the element `TEMPLATE_ID`.
"""

from __future__ import annotations

import functools
import html

import plotly.graph_objects as go
import plotly.io as pio

from reports.site.plotly_bundle import TRACE_TYPES, check_traces

DRAW_CHARTS_SCRIPT = "draw_charts.js"  # in reports/site/static/
DEFAULT_HEIGHT = 420
TEMPLATE_NAME = "plotly_white"  # every figure's look (reports.site.figure_style.style)
# The id of the template element; draw_charts.js and the demand page's explorer.js read it.
TEMPLATE_ID = "plotly-template"


@functools.cache
def _template_json() -> dict:
    return pio.templates[TEMPLATE_NAME].to_plotly_json()


@functools.cache
def page_template() -> str:
    """The figures' template as a JSON script element, once per page: its layout part and
    the trace defaults of the trace types the bundle draws. Inline in every chart it was
    7 KB each, most of the funnel page's weight."""
    template = dict(_template_json())
    template["data"] = {kind: v for kind, v in template["data"].items() if kind in TRACE_TYPES}
    return f'<script type="application/json" id="{TEMPLATE_ID}">{_script_json(template)}</script>'


def script_safe(json_text: str) -> str:
    """JSON text safe inside a <script> element: "</" cannot end the element early once
    escaped, and JSON reads the escaped form back as "</"."""
    return json_text.replace("</", "<\\/")


def _script_json(value: object) -> str:
    return script_safe(pio.json.to_json_plotly(value))


def chart_fragment(figure: go.Figure, div_id: str) -> str:
    """The chart's placeholder `<div>` and its figure JSON, drawn by the chart script.

    Raises:
        ValueError: when the figure has a trace type the shipped plotly.js cannot draw.
    """
    check_traces(figure, div_id)
    height = figure.layout.height or DEFAULT_HEIGHT
    spec = figure.to_plotly_json()
    # The page's one copy of the template applies instead (draw_charts.js).
    uses_page_template = spec["layout"].get("template") == _template_json()
    if uses_page_template:
        del spec["layout"]["template"]
    spec_id = f"{div_id}-spec"
    return (
        f'<div id="{html.escape(div_id)}" class="plotly-graph-div" data-plotly-spec="{html.escape(spec_id)}"'
        f'{" data-page-template" if uses_page_template else ""} style="height:{int(height)}px;width:100%"></div>'
        f'<script type="application/json" id="{html.escape(spec_id)}">{_script_json(spec)}</script>'
    )
