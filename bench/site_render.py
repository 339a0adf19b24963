"""Page weight and render time of a published dashboard site in headless Chromium.

    .venv/bin/python bench/site_render.py [SITE_DIR] [--repeats N] [--screenshots DIR]

Opens every page from disk (file://, offline) at 1366x900 and reads the browser's own
performance marks the page's chart script sets (reports/site/static/draw_charts.js): `first screen`,
when the text and every chart in the 1366x900 viewport are drawn, and `all charts`, when
the charts below have been drawn too, both from navigation start. Before each page a page
holding nothing but the plotly.js bundle is loaded too: on a busy machine parsing the
library alone swings widely. `main-thread CPU` is the renderer main thread's CPU time
from navigation to every chart drawn (DevTools' ThreadTime): the page's own cost, which
other processes on the machine barely move. Prints the median (and range of the first screen) over the
repeats; bytes exclude the bundle. With --screenshots, writes
a full-page desktop (1366x900) and phone (390x844) screenshot of every page there.
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import statistics
import tempfile
from pathlib import Path

from reports.site.layout import PLOTLY_JS

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")


def _cdp():
    # The DevTools client the browser tests use (tests/ is not a package).
    spec = importlib.util.spec_from_file_location("cdp", ROOT / "tests" / "reports" / "cdp.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _main_thread_cpu_s(browser, page) -> float:
    metrics = browser.send("Performance.getMetrics", session=page.session)["metrics"]
    return next(m["value"] for m in metrics if m["name"] == "ThreadTime")


def _open(browser, url: str) -> dict:
    page = browser.open_page(1366, 900)
    browser.send("Performance.enable", {"timeDomain": "threadTicks"}, session=page.session)
    cpu_before = _main_thread_cpu_s(browser, page)
    page.navigate(url)
    timings = page.charts_drawn()
    timings["cpu_ms"] = (_main_thread_cpu_s(browser, page) - cpu_before) * 1000
    errors = page.errors()
    page.close()
    if errors:
        raise RuntimeError(f"{url}: console errors {errors}")
    return timings


def _plotly_alone_ms(browser, url: str) -> float:
    page = browser.open_page(1366, 900)
    page.navigate(url)
    loaded = page.evaluate('performance.getEntriesByType("navigation")[0].loadEventEnd')
    page.close()
    return loaded


def _screenshots(browser, page: Path, out: Path) -> None:
    for label, width, height, mobile in (("desktop", 1366, 900, False), ("phone", 390, 844, True)):
        tab = browser.open_page(width, height, mobile=mobile)
        tab.navigate(page.as_uri())
        tab.screenshot(out / f"{page.stem}-{label}.png")
        tab.close()


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
        browser = _cdp().Browser(CHROMIUM, Path(scratch) / "profile")
        try:
            print(
                f"{'page':<16}{'bytes':>10}{'first screen ms':>22}{'all charts ms':>15}"
                f"{'main-thread CPU ms':>20}{'plotly.js alone ms':>20}"
            )
            for page in pages:
                first, every, cpu, alone = [], [], [], []
                for _ in range(args.repeats):
                    alone.append(_plotly_alone_ms(browser, baseline.as_uri()))
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
        finally:
            browser.close()


if __name__ == "__main__":
    main()
