"""Page weight and render time of a published dashboard site in headless Chromium.

    .venv/bin/python bench/site_render.py [SITE_DIR] [--repeats N] [--screenshots DIR]

Opens every page from disk (file://, offline) at 1366x900 and reads the browser's own
navigation timing: `loadEventEnd` is when the shared plotly.min.js has run and every chart
of the page has been drawn by its inline script. Before each page a page holding nothing
but plotly.min.js is loaded too: on a busy machine parsing the 4.8 MB library alone swings
from half a second to several seconds, and `page - plotly.js` is what the page itself costs.
Prints the median over the repeats; bytes exclude plotly.min.js. With --screenshots, writes
a full-page desktop (1366x900) and phone (390x844) screenshot of every page there.
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import statistics
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")


def _cdp():
    # The DevTools client the browser tests use (tests/ is not a package).
    spec = importlib.util.spec_from_file_location("cdp", ROOT / "tests" / "reports" / "cdp.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _load_ms(browser, url: str) -> float:
    page = browser.open_page(1366, 900)
    page.navigate(url)
    loaded = page.evaluate('performance.getEntriesByType("navigation")[0].loadEventEnd')
    errors = page.errors()
    page.close()
    if errors:
        raise RuntimeError(f"{url}: console errors {errors}")
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
        shutil.copyfile(site / "plotly.min.js", Path(scratch) / "plotly.min.js")
        baseline.write_text('<!DOCTYPE html><html><head><script src="plotly.min.js"></script></head></html>')
        browser = _cdp().Browser(CHROMIUM, Path(scratch) / "profile")
        try:
            print(f"{'page':<16}{'bytes':>10}{'load ms':>10}{'plotly.js ms':>14}{'page - plotly.js':>18}")
            for page in pages:
                loads, alone = [], []
                for _ in range(args.repeats):
                    alone.append(_load_ms(browser, baseline.as_uri()))
                    loads.append(_load_ms(browser, page.as_uri()))
                load, js = statistics.median(loads), statistics.median(alone)
                print(f"{page.name:<16}{page.stat().st_size:>10,}{load:>10.0f}{js:>14.0f}{load - js:>18.0f}")
                if args.screenshots:
                    args.screenshots.mkdir(parents=True, exist_ok=True)
                    _screenshots(browser, page, args.screenshots)
        finally:
            browser.close()


if __name__ == "__main__":
    main()
