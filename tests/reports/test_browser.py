"""Real headless Chromium, offline, on the published pages: plotly draws every chart."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

# Chart divs each page must have, and how many of them hold drawn figures.
EXPECTED_CHARTS = {
    "index.html": ("chart-sales", "chart-conversion", "chart-quality"),
    "funnel.html": (
        "chart-funnel",
        "chart-funnel-types",
        "chart-visitor-type",
        "chart-device",
        "chart-source",
        "chart-medium",
        "chart-landing-page",
        "chart-abandonment",
        "chart-weekly",
    ),
    "customers.html": (
        "chart-new-returning",
        "chart-customer-rates",
        "chart-cohorts",
        "chart-rfm",
        "chart-clv-deciles",
        "chart-clv-tracking",
        "chart-clv-conditional",
    ),
    "feedback.html": ("chart-ratings", "chart-nps"),
    "reorder.html": ("chart-abc", "chart-order-by", "chart-forecast-0", "chart-forecast-1"),
}


@pytest.mark.parametrize("name", sorted(EXPECTED_CHARTS))
def test_plotly_renders_every_chart_offline(site: Path, chromium, name: str) -> None:
    dom = chromium(site / name, "--dump-dom").stdout
    for div_id in EXPECTED_CHARTS[name]:
        # newPlot adds js-plotly-plot to the div and an svg.main-svg inside it.
        assert re.search(rf'id="{div_id}"[^>]*class="[^"]*js-plotly-plot', dom), (
            f"{name}: {div_id} not drawn"
        )
    assert dom.count('class="main-svg"') >= len(EXPECTED_CHARTS[name]), name
    assert 'class="plot-container' in dom


def test_index_screenshot_is_not_blank(site: Path, chromium, png_decoder, tmp_path: Path) -> None:
    shot = tmp_path / "index.png"
    chromium(site / "index.html", "--window-size=1000,1000", f"--screenshot={shot}")
    width, height, bpp, rows = png_decoder(shot)
    assert (width, height) == (1000, 1000)
    pixels = {row[x : x + 3] for row in rows[::7] for x in range(0, len(row), bpp * 5)}
    assert len(pixels) > 20, f"screenshot has only {len(pixels)} colours: blank page?"
    # The orange of the daily-orders bars, a colour only plotly draws: the chart is on screen.
    assert bytes((0xF0, 0x8C, 0x2E)) in pixels


def test_customers_screenshot_shows_the_cohort_heatmap(
    site: Path, chromium, png_decoder, tmp_path: Path
) -> None:
    shot = tmp_path / "customers.png"
    chromium(site / "customers.html", "--window-size=1200,1400", f"--screenshot={shot}")
    width, height, bpp, rows = png_decoder(shot)
    assert (width, height) == (1200, 1400)
    pixels = {row[x : x + 3] for row in rows[::5] for x in range(0, len(row), bpp * 3)}
    # The blue of new customers and the orange of returning ones: the weekly bars are drawn.
    assert bytes((0x2F, 0x6F, 0xDE)) in pixels and bytes((0xF0, 0x8C, 0x2E)) in pixels
    # The darkest cell of plotly's Blues scale: a cohort's month 0 (retention 100 %).
    assert bytes((0x08, 0x30, 0x6B)) in pixels
