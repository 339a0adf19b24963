"""Page weight and render time of a published dashboard site in headless Chromium.

    .venv/bin/python bench/site_render.py [SITE_DIR] [--repeats N] [--screenshots DIR]

Opens every page from disk (file://, offline) at 1366x900 in Debian's Chromium driven by
Playwright (bench/browser.py) and reads the browser's own
performance marks the page's chart script sets (reports/site/static/draw_charts.js): `first screen`,
when the text and every chart in the 1366x900 viewport are drawn, and `all charts`, when
the charts below have been drawn too, both from navigation start. Before each page a page
holding nothing but the plotly.js bundle is loaded too: on a busy machine parsing the
library alone swings widely. `main-thread CPU` is the renderer main thread's CPU time
from navigation to every chart drawn (DevTools' ThreadTime): the page's own cost, which
other processes on the machine barely move. Prints the median (and range of the first
screen) over the repeats; bytes exclude the bundle. With --screenshots, writes a full-page
desktop (1366x900) and phone (390x844) screenshot of every page there.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
from pathlib import Path

from playwright.sync_api import Browser, CDPSession

from bench.browser import DESKTOP, PHONE, charts_drawn, chromium, errors_seen, load_ms, open_page
from reports.site.layout import PLOTLY_JS

ROOT = Path(__file__).resolve().parents[1]


def _main_thread_cpu_s(devtools: CDPSession) -> float:
    metrics = devtools.send("Performance.getMetrics")["metrics"]
    return next(m["value"] for m in metrics if m["name"] == "ThreadTime")


def _open(browser: Browser, url: str) -> dict:
    with open_page(browser, DESKTOP) as page:
        # Playwright's DevTools session on the tab: its thread-time metric is the CPU figure.
        devtools = page.context.new_cdp_session(page)
        devtools.send("Performance.enable", {"timeDomain": "threadTicks"})
        cpu_before = _main_thread_cpu_s(devtools)
        page.goto(url)
        timings = charts_drawn(page)
        timings["cpu_ms"] = (_main_thread_cpu_s(devtools) - cpu_before) * 1000
        errors = errors_seen(page)
    if errors:
        raise RuntimeError(f"{url}: console errors {errors}")
    return timings


def _screenshots(browser: Browser, page: Path, out: Path) -> None:
    for label, size, mobile in (("desktop", DESKTOP, False), ("phone", PHONE, True)):
        with open_page(browser, size, mobile=mobile) as tab:
            tab.goto(page.as_uri())
            tab.screenshot(path=out / f"{page.stem}-{label}.png", full_page=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", type=Path, default=ROOT / "data" / "site")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--screenshots", type=Path, help="folder for desktop and phone screenshots")
    args = parser.parse_args()
    site = args.site.resolve()
    pages = sorted(site.glob("*.html"), key=lambda p: (p.name != "index.html", p.name))
    with tempfile.TemporaryDirectory() as scratch:
        baseline = Path(scratch) / "plotly-only.html"
        shutil.copyfile(site / PLOTLY_JS, Path(scratch) / PLOTLY_JS)
        baseline.write_text(
            f'<!DOCTYPE html><html><head><script src="{PLOTLY_JS}"></script></head></html>'
        )
        with chromium() as browser:
            print(
                f"{'page':<16}{'bytes':>10}{'first screen ms':>22}{'all charts ms':>15}"
                f"{'main-thread CPU ms':>20}{'plotly.js alone ms':>20}"
            )
            for page in pages:
                first, every, cpu, alone = [], [], [], []
                for _ in range(args.repeats):
                    alone.append(load_ms(browser, baseline.as_uri()))
                    timings = _open(browser, page.as_uri())
                    first.append(timings["first_screen_ms"])
                    every.append(timings["drawn_ms"])
                    cpu.append(timings["cpu_ms"])
                spread = f"{statistics.median(first):.0f} ({min(first):.0f}-{max(first):.0f})"
                print(
                    f"{page.name:<16}{page.stat().st_size:>10,}{spread:>22}"
                    f"{statistics.median(every):>15.0f}{statistics.median(cpu):>20.0f}"
                    f"{statistics.median(alone):>20.0f}"
                )
                if args.screenshots:
                    args.screenshots.mkdir(parents=True, exist_ok=True)
                    _screenshots(browser, page, args.screenshots)


if __name__ == "__main__":
    main()
