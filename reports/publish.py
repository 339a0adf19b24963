"""Publish the static dashboard site: six HTML pages plus one shared plotly.min.js.

The site opens from disk with no network: pages load `plotly.min.js` by a relative path
and reference no URL, font or CDN outside the folder.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
from plotly.offline import get_plotlyjs

from reports import pages, pages_customers, pages_demand, pages_funnel, warehouse
from reports.layout import PLOTLY_JS


def publish_site(
    con: duckdb.DuckDBPyConnection,
    out_dir: Path,
    title: str = "orderpulse",
    *,
    generated_at: datetime | None = None,
) -> list[Path]:
    """Write the dashboard site from the warehouse into `out_dir`.

    Reads only marts, forecasts, inventory and quality tables (never raw or staging), so
    no customer personal data reaches a page.

    Args:
        con: open connection to the warehouse; only read from.
        out_dir: folder for the site; created if missing, existing pages are overwritten.
        title: site name shown in the nav bar and browser tabs.
        generated_at: publication time shown on the pages; default now, in local time.

    Returns:
        Paths of the written files: index.html, funnel.html, customers.html, feedback.html,
        demand.html, reorder.html, plotly.min.js.

    Raises:
        LookupError: when a warehouse table the pages read is missing.
    """
    warehouse.check_tables(con)
    generated_at = generated_at or datetime.now().astimezone()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rendered = {
        "index.html": pages.overview(con, title, generated_at),
        "funnel.html": pages_funnel.funnel(con, title, generated_at),
        "customers.html": pages_customers.customers(con, title, generated_at),
        "feedback.html": pages_customers.feedback(con, title, generated_at),
        "demand.html": pages_demand.demand(con, title, generated_at),
        "reorder.html": pages.reorder(con, title, generated_at),
    }
    written = []
    for name, text in rendered.items():
        path = out_dir / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    plotly_js = out_dir / PLOTLY_JS
    plotly_js.write_text(get_plotlyjs(), encoding="utf-8")
    written.append(plotly_js)
    return written
