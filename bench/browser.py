"""Headless, offline Chromium driven by Playwright, shared by bench/site_render.py and the
browser tests (tests/reports/).

Playwright drives Debian's own Chromium (/usr/bin/chromium, installed by
scripts/ensure-chromium.sh); it never downloads a browser of its own. Each page opens in a
fresh browser context of the size asked for, so pages share no cache or storage.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
DESKTOP = (1366, 900)
PHONE = (390, 844)

# Headless, offline Chromium: no GPU, no background downloads, no first-run pages. Also used
# to run the binary directly (`chromium --dump-dom`), so "--headless" is spelled out.
HEADLESS_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)

# Resolves when the page's chart script marks every chart drawn (or after 10 s), with the
# times since navigation start of the first screen drawn, every chart drawn and the load.
# The marks are set by the pages' chart script (reports/chart_embed.py).
CHARTS_DRAWN = """new Promise(function (resolve) {
  var started = performance.now();
  function mark(name) {
    var entry = performance.getEntriesByName(name)[0];
    return entry ? entry.startTime : null;
  }
  (function poll() {
    var charts = Array.prototype.slice.call(document.querySelectorAll(".plotly-graph-div"));
    var drawn = charts.filter(function (c) {
      return c.classList.contains("js-plotly-plot") && c.querySelector(".plot-container svg.main-svg");
    });
    var all = mark("orderpulse:all-charts-drawn");
    if ((all !== null && drawn.length === charts.length) || performance.now() - started > 10000) {
      resolve({charts: charts.map(function (c) { return c.id; }),
               drawn: drawn.map(function (c) { return c.id; }),
               first_screen_ms: mark("orderpulse:first-screen-drawn"),
               drawn_ms: all,
               load_ms: performance.getEntriesByType("navigation")[0].loadEventEnd});
    } else { setTimeout(poll, 10); }
  })();
})"""

LOAD_MS = 'performance.getEntriesByType("navigation")[0].loadEventEnd'


@contextmanager
def chromium() -> Iterator[Browser]:
    """One headless Chromium (Debian's binary) for as long as the block runs."""
    if not CHROMIUM.exists():
        raise FileNotFoundError(
            f"{CHROMIUM} not found: run `bash scripts/ensure-chromium.sh` (Debian's chromium)"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=[*HEADLESS_FLAGS, "--hide-scrollbars"]
        )
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def open_page(
    browser: Browser, size: tuple[int, int] = DESKTOP, *, mobile: bool = False
) -> Iterator[Page]:
    """A tab of `size` (width, height) at scale 1, in a browser context of its own."""
    width, height = size
    context = browser.new_context(
        viewport={"width": width, "height": height}, device_scale_factor=1, is_mobile=mobile
    )
    try:
        yield context.new_page()
    finally:
        context.close()


def errors_seen(page: Page) -> list[str]:
    """Console errors and assertions (resources that failed to load among them) and uncaught
    exceptions the page has reported so far."""
    logged = [
        f"{message.text} {message.location.get('url', '')}".strip()
        for message in page.console_messages()
        if message.type in ("error", "assert")
    ]
    return logged + [f"uncaught {error}" for error in page.page_errors()]


def charts_drawn(page: Page) -> dict:
    """Wait for the page's charts (`CHARTS_DRAWN`): ids, drawn ids and the timings."""
    return page.evaluate(CHARTS_DRAWN)


def load_ms(browser: Browser, url: str) -> float:
    """Milliseconds from navigation start to the end of the load event of `url`."""
    with open_page(browser) as page:
        page.goto(url)
        return page.evaluate(LOAD_MS)
