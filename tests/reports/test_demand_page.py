"""The demand page: accuracy table by class, and the forecast explorer driven in real Chromium."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from bench.browser import CHROMIUM, HEADLESS_FLAGS


def test_accuracy_table_and_tiles(site: Path) -> None:
    text = (site / "demand.html").read_text()
    assert 'data-kpi="selected_wape"' in text and ">0.417<" in text
    assert 'data-kpi="best_single_wape"' in text and "Best single: ADIDA" in text
    assert "mean(ADIDA, TSB)" in text
    assert 'href="demand.html" class=active' in text


def test_the_page_leads_with_the_demand_whose_forecast_beats_the_benchmarks(site: Path) -> None:
    """Catches a demand page that shows the accuracy as if all were well: it opens with the
    share of revenue whose forecast beats naive, and names each SKU without a reliable
    forecast with its reason."""
    text = (site / "demand.html").read_text()
    lead = text.index('data-kpi="value_beats_naive"')
    assert lead < text.index('data-kpi="selected_wape"')
    # 85123A (6-8 units x 2.5 a day) beats both; 22423 (3-5 units) loses to zero
    revenue = {"85123A": sum(2.5 * (6 + d % 3) for d in range(14))}
    revenue["22423"] = sum(2.5 * (3 + d % 3) for d in range(14) if d != 12)
    share = revenue["85123A"] / (revenue["85123A"] + revenue["22423"])
    assert f">{share * 100:.1f} %<" in text
    assert "2 days with sales in the last 90 days" in text
    assert "beats zero and seasonal naive" in text
    assert ">75" in text and ">90" in text  # band coverage of the selected forecast


def test_explorer_embeds_every_forecast_sku_with_its_bands(site: Path) -> None:
    text = (site / "demand.html").read_text()
    payload = re.search(
        r'<script type="application/json" id="explorer-data">(.*?)</script>', text, re.DOTALL
    )
    data = json.loads(payload.group(1))
    # best revenue first: 85123A (6-8 units x 2.5) before 22423 (3-5 units x 2.5)
    assert [r["sku"] for r in data] == ["85123A", "22423"]
    record = data[1]
    assert record["days"][0] == "2011-01-15" and len(record["mean"]) == 7
    assert record["lo95"][0] == pytest.approx(0.2) and record["hi80"][0] == pytest.approx(5.2)
    assert record["stockout"] == [12]  # 2011-01-13 is day 12 after 2011-01-01
    assert record["wape"] == pytest.approx(3 / 4)


def _dom(page: Path, fragment: str, profile: Path) -> str:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found; install it with `bash scripts/ensure-chromium.sh`")
    command = [
        str(CHROMIUM),
        *HEADLESS_FLAGS,
        f"--user-data-dir={profile}",
        "--virtual-time-budget=5000",
        "--dump-dom",
        page.resolve().as_uri() + fragment,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=90, check=True).stdout


@pytest.mark.browser
def test_choosing_a_sku_redraws_the_chart(site: Path, tmp_path: Path) -> None:
    first = _dom(site / "demand.html", "", tmp_path / "a")
    assert re.search(r'id="chart-explorer"[^>]*class="[^"]*js-plotly-plot', first)
    assert 'data-sku="85123A"' in first and "85123A · smooth · AutoETS" in first
    assert re.search(r'id="chart-accuracy"[^>]*class="[^"]*js-plotly-plot', first)
    # the search box's change handler runs for a SKU named in the address
    chosen = _dom(site / "demand.html", "#sku=22423", tmp_path / "b")
    assert 'data-sku="22423"' in chosen and "22423 · smooth" in chosen
    assert "22423: holdout WAPE 0.750" in chosen
