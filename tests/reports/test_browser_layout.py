"""Layout faults, table downloads and printing, in real headless Chromium on the published
tiny site (file://), every page at laptop (1366x900) and phone (390x844) size.

The layout checks (tests/reports/layout_checks.js) know no page or chart: they run on every
page at both sizes, so a new chart or page is checked without a new test.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from bench.browser import DESKTOP, PHONE, charts_drawn, errors_seen, open_page
from reports.site.layout import PAGES as NAV

pytestmark = pytest.mark.browser

PAGES = tuple(name for name, _, _ in NAV)
SIZES = {"laptop-1366x900": DESKTOP, "phone-390x844": PHONE}
LAYOUT_CHECKS = (Path(__file__).with_name("layout_checks.js")).read_text()
# A4 landscape less the 10 mm margins of site.css's @page, in CSS pixels (96 per inch).
PRINT_WIDTH_PX = round((297 - 2 * 10) / 25.4 * 96)


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
@pytest.mark.parametrize("name", PAGES)
def test_no_overlapping_text_repeated_ticks_covered_titles_empty_charts_or_hidden_nav(
    site: Path, browser, name: str, size: tuple[int, int]
) -> None:
    """Catches text boxes that overlap (funnel source labels running together, an axis
    title over a chart title), an axis repeating the tick "1%", the plotly toolbar over a
    chart title on a phone, an empty plot with no word why, and nav items past "Sales"
    cut off on a phone."""
    with open_page(browser, size, mobile=size == PHONE) as page:
        page.goto((site / name).as_uri())
        charts_drawn(page)
        faults = page.evaluate(LAYOUT_CHECKS)
        assert errors_seen(page) == []
    assert faults == [], f"{name} at {size}: " + "; ".join(faults)


def test_the_layout_checks_catch_what_they_look_for(site: Path, browser) -> None:
    """The checks above cannot pass by finding nothing: each fault, planted, is reported."""
    with open_page(browser, PHONE, mobile=True) as page:
        page.goto((site / "funnel.html").as_uri())
        charts_drawn(page)
        page.add_style_tag(content="nav { flex-wrap:nowrap !important; }")
        page.evaluate(
            """(function () {
              var gd = document.querySelector(".js-plotly-plot");
              return Plotly.relayout(gd, {"yaxis.title.standoff": 0, "title.y": 0.5,
                                          "title.yanchor": "middle"}).then(function () {
                return Plotly.relayout(document.querySelectorAll(".js-plotly-plot")[1],
                  {"yaxis.tickformat": ".0%", "yaxis.range": [0.005, 0.016], "yaxis.dtick": 0.0025});
              });
            })()"""
        )
        page.evaluate(
            "Plotly.newPlot(document.querySelectorAll('.js-plotly-plot')[2],"
            " [{type: 'bar', x: ['a'], y: [null]}], {title: {text: 'No data'}})"
        )
        faults = "\n".join(page.evaluate(LAYOUT_CHECKS))
    assert "overlaps" in faults
    assert "repeats" in faults
    assert "is empty, with no message" in faults
    assert "is off screen" in faults


def test_the_layout_checks_catch_tick_labels_that_touch(site: Path, browser) -> None:
    """Catches tick labels that run together without overlapping by more than a pixel: the
    Sales "Top categories" axis read "0100k200k300k400k" on a phone, and the overlap check
    let it pass."""
    with open_page(browser, PHONE, mobile=True) as page:
        page.goto((site / "sales.html").as_uri())
        charts_drawn(page)
        assert not any("touch" in fault for fault in page.evaluate(LAYOUT_CHECKS))
        # The demo's net sales, 0 to 400k by 100k, beside its long category names (the
        # left margin), which leave the axis about 130 px on a phone.
        page.evaluate(
            "Plotly.relayout(document.getElementById('chart-top-category'),"
            " {'xaxis.range': [0, 420000], 'xaxis.dtick': 100000, 'yaxis.automargin': false,"
            " 'margin.l': 200, 'xaxis.tickangle': 0})"
        )
        faults = page.evaluate(LAYOUT_CHECKS)
    assert any("chart-top-category: axis ticks" in f and "touch" in f for f in faults), faults


def _tables_and_buttons(page) -> tuple[int, int, list[str]]:
    return page.evaluate(
        """[document.querySelectorAll("main table:not([data-csv-file])").length,
            document.querySelectorAll("button[data-csv-for]").length,
            Array.prototype.map.call(document.querySelectorAll("button[data-csv-for]"),
              function (b) { return b.getAttribute("data-csv-for"); })]"""
    )


@pytest.mark.parametrize("name", PAGES)
def test_every_table_has_a_csv_download(site: Path, browser, name: str) -> None:
    """Catches a table without its "Download CSV" (the reorder list links its own file)."""
    with open_page(browser, DESKTOP) as page:
        page.goto((site / name).as_uri())
        tables, buttons, files = _tables_and_buttons(page)
    assert tables == buttons, f"{name}: {tables} tables, {buttons} CSV buttons"
    assert len(set(files)) == len(files), f"{name}: two downloads share a name: {files}"


def test_a_table_downloads_as_csv_with_raw_numbers(site: Path, browser) -> None:
    """Catches a CSV that differs from its table, or carries formatted numbers ("1,234.00",
    "50.0 %") that a spreadsheet reads as text."""
    with open_page(browser, DESKTOP) as page:
        page.goto((site / "feedback.html").as_uri())
        button = page.locator('button[data-csv-for="feedback-worst-rated-products.csv"]')
        with page.expect_download() as download:
            button.click()
        text = Path(download.value.path()).read_text()
        shown = page.evaluate(
            "Array.prototype.map.call(document.querySelector('button[data-csv-for="
            '"feedback-worst-rated-products.csv"]\').parentNode.nextElementSibling'
            ".querySelectorAll('tbody tr'), function (r) { return r.cells[0].textContent; })"
        )
    assert download.value.suggested_filename == "feedback-worst-rated-products.csv"
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["SKU", "Category", "Mean rating"]
    assert [r[0] for r in rows[1:]] == shown == ["22423", "85123A"]
    assert rows[1][1] == "Kitchen & <Dining>" and float(rows[1][2]) == 2.0


def _pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


@pytest.mark.parametrize("name", ["index.html", "feedback.html", "reorder.html"])
def test_print_to_pdf_lays_the_page_out_on_landscape_paper(
    site: Path, browser, artifacts: Path, name: str
) -> None:
    """Catches printing the screen layout: charts wider than the paper cut at its edge, the
    nav bar and buttons on paper, charts not yet drawn left blank."""
    with open_page(browser, DESKTOP) as page:
        page.goto((site / name).as_uri())
        charts_drawn(page)
        pdf = page.pdf(prefer_css_page_size=True, print_background=True)
        (artifacts / f"{Path(name).stem}.pdf").write_bytes(pdf)
        # The same page laid out as on paper: print media, the printable width of the sheet.
        page.set_viewport_size({"width": PRINT_WIDTH_PX, "height": 700})
        page.emulate_media(media="print")
        laid_out = page.evaluate(
            """(function () {
              var width = document.documentElement.clientWidth;
              function shown(s) { return Array.prototype.filter.call(document.querySelectorAll(s),
                function (e) { return e.getClientRects().length > 0; }).length; }
              var cut = Array.prototype.filter.call(document.querySelectorAll(".main-svg"),
                function (svg) { return svg.getBoundingClientRect().right > width + 1; });
              var drawn = document.querySelectorAll(".plotly-graph-div:not(.js-plotly-plot)");
              return {overflow: document.documentElement.scrollWidth - width, cut: cut.length,
                      nav: shown("nav"), buttons: shown("button.csv, .tools"),
                      undrawn: drawn.length};
            })()"""
        )
    assert pdf.startswith(b"%PDF")
    # A4 landscape: 842 x 595 points.
    assert re.search(rb"/MediaBox\s*\[0 0 84[12]\.\d+ 59[45]\.\d+\]", pdf), "not A4 landscape"
    assert 1 <= _pdf_pages(pdf) <= 40
    assert laid_out == {"overflow": 0, "cut": 0, "nav": 0, "buttons": 0, "undrawn": 0}, laid_out
