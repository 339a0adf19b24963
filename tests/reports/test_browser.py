"""Real headless Chromium, offline, on the published pages opened from disk (file://).

Every page: no console error, every chart drawn by plotly, desktop (1366x900) and phone
(390x844) screenshots in test-artifacts/browser/, page weight and render time written to
test-artifacts/browser/page_metrics.json and printed (`pytest -s` shows them). The reorder
table's filter, sorting and download links work.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from PIL import Image

from bench.browser import DESKTOP, PHONE, charts_drawn, errors_seen, load_ms, open_page
from reports.site.layout import PAGES as NAV
from reports.site.layout import PLOTLY_JS

pytestmark = pytest.mark.browser

PAGES = tuple(name for name, _, _ in NAV)


def screenshot(path: Path) -> tuple[tuple[int, int], set[tuple[int, int, int]]]:
    """Width and height of a PNG screenshot and every colour in it."""
    with Image.open(path) as image:
        rgb = image.convert("RGB")
    return rgb.size, {colour for _, colour in rgb.getcolors(maxcolors=rgb.width * rgb.height)}


@pytest.fixture(scope="module")
def rendered(site: Path, browser, artifacts: Path, tmp_path_factory) -> dict[str, dict]:
    """Each page opened at desktop and phone size: charts, errors, timings, screenshots.

    Before each page, a page holding nothing but the shared plotly.js bundle is loaded: on a
    busy machine parsing the library swings widely, and the difference is what the page
    itself costs.
    """
    baseline = tmp_path_factory.mktemp("baseline") / "plotly-only.html"
    shutil.copyfile(site / PLOTLY_JS, baseline.with_name(PLOTLY_JS))
    baseline.write_text(
        '<!DOCTYPE html><html><head><script src="'
        + PLOTLY_JS
        + '"></script></head><body></body></html>'
    )
    results = {}
    for name in PAGES:
        plotly_only = load_ms(browser, baseline.as_uri())
        with open_page(browser, DESKTOP) as desktop:
            desktop.goto((site / name).as_uri())
            result = charts_drawn(desktop)
            result["errors"] = errors_seen(desktop)
            result["desktop_png"] = artifacts / f"{Path(name).stem}-desktop.png"
            desktop.screenshot(path=result["desktop_png"], full_page=True)
        with open_page(browser, PHONE, mobile=True) as phone:
            phone.goto((site / name).as_uri())
            charts_drawn(phone)
            result["errors"] += errors_seen(phone)
            result["phone_overflow_px"] = phone.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            result["phone_png"] = artifacts / f"{Path(name).stem}-phone.png"
            phone.screenshot(path=result["phone_png"], full_page=True)
        result["bytes"] = (site / name).stat().st_size
        result["plotly_only_ms"] = plotly_only
        results[name] = result
    metrics = {
        name: {
            "bytes": r["bytes"],
            "first_screen_ms": _ms(r["first_screen_ms"]),
            "load_ms": _ms(r["load_ms"]),
            "charts_drawn_ms": _ms(r["drawn_ms"]),
            "plotly_js_only_ms": _ms(r["plotly_only_ms"]),
            "charts": len(r["charts"]),
        }
        for name, r in results.items()
    }
    (artifacts / "page_metrics.json").write_text(json.dumps(metrics, indent=2))
    return results


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_from_disk_without_console_errors_and_draws_every_chart(
    rendered, name: str
) -> None:
    result = rendered[name]
    assert result["errors"] == [], f"{name}: console errors {result['errors']}"
    assert result["charts"], f"{name}: no chart at all"
    assert result["drawn"] == result["charts"], (
        f"{name}: not drawn {set(result['charts']) - set(result['drawn'])}"
    )


@pytest.mark.parametrize("name", PAGES)
def test_page_fits_a_phone_screen(rendered, name: str) -> None:
    # Wide tables scroll inside their box; the page itself must not scroll sideways.
    assert rendered[name]["phone_overflow_px"] <= 0, f"{name} is wider than a phone"
    (width, _), colours = screenshot(rendered[name]["phone_png"])
    assert width == PHONE[0]
    assert len(colours) > 20, f"{name}: phone screenshot has only {len(colours)} colours"


def _ms(value: float | None) -> int | None:
    return None if value is None else round(value)


def test_page_weight_and_render_time(rendered, capsys) -> None:
    # first screen: text and the charts in the 1366x900 viewport drawn; all: every chart.
    header = f"{'page':<16}{'bytes':>10}{'first screen ms':>17}{'load ms':>10}{'all charts ms':>15}"
    lines = [header + f"{'plotly.js alone ms':>20}{'charts':>8}"]
    for name, r in rendered.items():
        lines.append(
            f"{name:<16}{r['bytes']:>10,}{_ms(r['first_screen_ms'])!s:>17}{_ms(r['load_ms'])!s:>10}"
            f"{_ms(r['drawn_ms'])!s:>15}{_ms(r['plotly_only_ms'])!s:>20}{len(r['charts']):>8}"
        )
    with capsys.disabled():
        print("\n" + "\n".join(lines))
    for name, r in rendered.items():
        # Sanity bounds only (the figures are reported, not asserted as a benchmark).
        assert r["bytes"] < 2_000_000, f"{name}: {r['bytes']:,} bytes without plotly.js"
        assert r["load_ms"] < 15_000, f"{name}: {r['load_ms']:.0f} ms to load"


def test_index_screenshot_shows_the_sales_chart(rendered) -> None:
    (width, height), colours = screenshot(rendered["index.html"]["desktop_png"])
    assert width == DESKTOP[0] and height >= DESKTOP[1]
    # The orange of the daily-orders bars, a colour only plotly draws: the chart is on screen.
    assert (0xF0, 0x8C, 0x2E) in colours


def test_customers_screenshot_shows_the_cohort_heatmap(rendered) -> None:
    _, colours = screenshot(rendered["customers.html"]["desktop_png"])
    # The blue of new customers and the orange of returning ones: the weekly bars are drawn.
    assert (0x2F, 0x6F, 0xDE) in colours and (0xF0, 0x8C, 0x2E) in colours
    # The darkest cell of plotly's Blues scale: a cohort's month 0 (retention 100 %).
    assert (0x08, 0x30, 0x6B) in colours


@pytest.fixture
def reorder_page(site: Path, browser):
    with open_page(browser, DESKTOP) as page:
        page.goto((site / "reorder.html").as_uri())
        yield page


SKUS_SHOWN = """Array.prototype.filter.call(document.querySelectorAll("#reorder-table tbody tr"),
  function (r) { return !r.hidden; }).map(function (r) { return r.cells[0].textContent; })"""


def type_filter(page, text: str) -> None:
    page.evaluate(
        "(function () { var box = document.querySelector('[data-filter-for=\"reorder-table\"]');"
        f" box.value = {json.dumps(text)}; box.dispatchEvent(new Event('input')); }})()"
    )


def click_header(page, header: str) -> None:
    page.evaluate(
        "Array.prototype.find.call(document.querySelectorAll('#reorder-table th'),"
        f" function (th) {{ return th.textContent === {json.dumps(header)}; }}).click()"
    )


def test_reorder_filter_box_hides_rows_that_do_not_match(reorder_page) -> None:
    assert reorder_page.evaluate(SKUS_SHOWN) == ["22423", "84879", "85123A"]
    type_filter(reorder_page, "cakestand")  # a word of 22423's description, any case
    assert reorder_page.evaluate(SKUS_SHOWN) == ["22423"]
    count = reorder_page.evaluate(
        "document.querySelector('[data-count-for=\"reorder-table\"]').textContent"
    )
    assert count == "1 of 3 rows match “cakestand”"
    type_filter(reorder_page, "stock now")  # every word must match, anywhere in the row
    assert reorder_page.evaluate(SKUS_SHOWN) == ["84879"]
    type_filter(reorder_page, "")
    assert reorder_page.evaluate(SKUS_SHOWN) == ["22423", "84879", "85123A"]
    assert errors_seen(reorder_page) == []


def test_reorder_header_click_sorts_numbers_as_numbers(reorder_page) -> None:
    click_header(reorder_page, "Order qty")  # 16, 40, 96: as text "16" < "40" < "96" too
    assert reorder_page.evaluate(SKUS_SHOWN) == ["84879", "22423", "85123A"]
    click_header(reorder_page, "Order value")  # 27.04, 244.80, 438.00: text order would differ
    assert reorder_page.evaluate(SKUS_SHOWN) == ["84879", "85123A", "22423"]
    click_header(reorder_page, "Order value")
    assert reorder_page.evaluate(SKUS_SHOWN) == ["22423", "85123A", "84879"]
    click_header(reorder_page, "Description")
    assert reorder_page.evaluate(SKUS_SHOWN) == ["84879", "22423", "85123A"]  # A.., R.., W..


def test_reorder_download_links_point_to_files_equal_to_the_table(reorder_page) -> None:
    hrefs = reorder_page.evaluate(
        "Array.prototype.map.call(document.querySelectorAll('a[data-download]'), function (a) { return a.href; })"
    )
    files = [Path(unquote(urlparse(href).path)) for href in hrefs]
    assert [f.name for f in files] == [
        "reorder_recommendations.csv",
        "reorder_recommendations.xlsx",
    ]
    assert all(f.is_file() and f.stat().st_size > 0 for f in files)
    with files[0].open(newline="") as handle:
        records = list(csv.DictReader(handle))
    shown = reorder_page.evaluate(
        "Array.prototype.map.call(document.querySelectorAll('#reorder-table tbody tr'),"
        " function (r) { return [r.cells[0].textContent, r.cells[4].textContent]; })"
    )
    assert [[r["sku"], r["order_qty"]] for r in records] == shown  # same rows, same order
