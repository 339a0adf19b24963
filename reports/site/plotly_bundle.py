"""The plotly.js the dashboards ship: plotly.js's own "basic" bundle (bar, pie, scatter).

Why not the full `plotly.min.js` the plotly package carries: it is 4.8 MB, and headless
Chromium on this 2-core machine spends ~2 s parsing and running it before any chart
draws; the basic bundle is 1.2 MB and takes ~0.4 s (median of 6 loads of a page holding
only the library: 1,841 ms vs 388 ms; `make bench-site` measures the pages). The pages
draw only bar and scatter traces: the session funnel is a bar chart and the cohort
retention heatmap an HTML table, so the other trace types are weight nobody uses.
`check_traces` stops a figure with another trace type at publish time, before a page
ships a chart the bundle cannot draw.

The file is vendored in `reports/site/vendor/` (plotly.js is MIT licensed; the licence is
beside it), taken from the npm package `plotly.js-basic-dist-min` at exactly the
plotly.js version the installed plotly package bundles, so the figure JSON plotly writes
is the JSON this plotly.js reads. `tests/reports/test_plotly_bundle.py` fails when the two
versions drift apart (after a plotly upgrade); `scripts/vendor_plotly.py` refreshes the
file from the npm registry. Nothing is downloaded when the pipeline runs.
"""

from __future__ import annotations

import re
from pathlib import Path

import plotly.graph_objects as go

BUNDLE = Path(__file__).with_name("vendor") / "plotly-basic.min.js"
SITE_FILE = "plotly-basic.min.js"  # the name the pages load it by, beside them
NPM_PACKAGE = "plotly.js-basic-dist-min"
TRACE_TYPES = frozenset({"bar", "pie", "scatter"})


def bundle_version(bundle: Path = BUNDLE) -> str:
    """The plotly.js version in the bundle's licence header, e.g. '4.1.1'.

    Raises:
        ValueError: when the header does not name a version (not a plotly.js bundle).
    """
    with bundle.open(encoding="utf-8") as handle:
        header = handle.read(300)
    found = re.search(r"plotly\.js \(basic - minified\) v(\S+)", header)
    if found is None:
        raise ValueError(
            f"{bundle}: no 'plotly.js (basic - minified) vX' header; "
            "re-vendor it with scripts/vendor_plotly.py"
        )
    return found.group(1)


def check_traces(figure: go.Figure, div_id: str) -> None:
    """Fail when `figure` has a trace type the shipped bundle cannot draw.

    Raises:
        ValueError: naming the chart, the trace type and the two ways out.
    """
    for trace in figure.data:
        if trace.type not in TRACE_TYPES:
            raise ValueError(
                f"chart {div_id!r}: trace type {trace.type!r} is not in the plotly.js bundle the "
                f"dashboards ship ({', '.join(sorted(TRACE_TYPES))}); draw it with one of those "
                "or ship a bundle that has it (reports/site/plotly_bundle.py)"
            )
