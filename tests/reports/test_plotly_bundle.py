"""The vendored plotly.js bundle matches the plotly package and refuses traces it lacks."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest
from plotly.offline import get_plotlyjs_version

from reports.site.plotly_bundle import BUNDLE, bundle_version, check_traces


def test_bundle_is_the_plotly_js_version_the_plotly_package_writes_figures_for() -> None:
    # Fails after a plotly upgrade until scripts/vendor_plotly.py is run.
    assert bundle_version() == get_plotlyjs_version()


def test_bundle_is_the_minified_basic_build() -> None:
    assert 1_000_000 < BUNDLE.stat().st_size < 1_500_000
    assert BUNDLE.with_name("plotly.js-LICENSE").read_text().startswith("MIT License")


def test_bar_and_scatter_charts_pass() -> None:
    check_traces(go.Figure([go.Bar(x=[1], y=[2]), go.Scatter(x=[1], y=[2])]), "chart-ok")


def test_a_heatmap_is_refused_naming_the_chart_and_the_trace() -> None:
    with pytest.raises(ValueError, match=r"chart 'chart-cells': trace type 'heatmap' is not in"):
        check_traces(go.Figure(go.Heatmap(z=[[1, 2]])), "chart-cells")
