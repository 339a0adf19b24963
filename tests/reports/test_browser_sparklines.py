"""The overview's sparklines in real headless Chromium: the published tiles and the
browser's redraw follow one rule (reports/site/spark_rule.py) beyond the default range too,
and the conversion sparkline leaves closed days as gaps, as its daily line does."""

from __future__ import annotations

from datetime import date, timedelta

import duckdb
import pytest

from bench.browser import errors_seen
from reports.pages.overview.page import FOLLOWING_CHARTS
from reports.pages.overview.queries import DAILY_KPIS, overview_kpis
from reports.pages.sales.queries import Periods
from reports.site.filters import gapped_metrics
from reports.site.trading_calendar import closed_days
from tests.reports.conftest import publish_from
from tests.reports.test_browser_filters import open_and_wait

pytestmark = pytest.mark.browser

# kpi -> [plotted values, path data] of every tile's sparkline
SPARKS = """Object.fromEntries(Array.from(document.querySelectorAll('[data-kpi] svg.spark')).map(
  function (s) { return [s.closest('[data-kpi]').dataset.kpi,
    [JSON.parse(s.dataset.values), s.querySelector('path').getAttribute('d')]]; }))"""


def _sparks(browser, page_url: str) -> dict:
    context, page = open_and_wait(browser, page_url)
    try:
        sparks = page.evaluate(SPARKS)
        assert errors_seen(page) == []
    finally:
        context.__exit__(None, None, None)
    return sparks


def test_the_page_and_the_browser_plot_a_quarter_by_the_same_rule(published, browser) -> None:
    """Catches: the published sparklines' Python and the browser's script plotting a range
    beyond 31 days differently (a point per day against per week, weeks counted from the
    first day instead of back from the last, a part week kept), which the default 28 days
    never shows."""
    con, site = published
    redrawn = _sparks(browser, (site / "index.html").as_uri() + "#range=90")
    (last,) = con.execute("select max(day) from marts.orders_daily").fetchall()[0]
    first = last - timedelta(days=89)
    quarter = Periods(first, last, first - timedelta(days=90), first - timedelta(days=1))
    kpis = overview_kpis(con, quarter, gapped_metrics(FOLLOWING_CHARTS), closed_days(con))
    for key in DAILY_KPIS:
        assert len(kpis[key].series) == 12, key  # whole weeks back from the last day
        # the page keeps 6 significant digits of each point (data-values)
        plotted = [None if v is None else float(f"{v:.6g}") for v in kpis[key].series]
        assert redrawn[key][0] == pytest.approx(plotted), key


def test_the_conversion_sparkline_leaves_closed_days_as_gaps(
    tiny_warehouse, tmp_path, browser
) -> None:
    """Catches: the conversion sparkline dropping to 0 % on a closed day (it had sessions,
    but nothing could be bought), in the published tile or the browser's redraw, or joining
    its neighbours over the gap, while the daily conversion line leaves the day out."""
    closed, last = date(2011, 1, 8), date(2011, 1, 10)  # the last day with orders
    with duckdb.connect(str(tiny_warehouse)) as con:
        con.execute(
            "update marts.sku_demand_daily set is_trading_day = false where day = ?", [closed]
        )
        # 2 sessions on each of the three days before the last, 1 buying but on the closed day
        for day, bought in ((date(2011, 1, 7), 1), (closed, 0), (date(2011, 1, 9), 1)):
            con.execute(
                "insert into marts.conversion_daily select * replace (cast(? as date) as day,"
                " ? as sessions_with_purchase) from marts.conversion_daily where day = ?",
                [day, bought, last],
            )
    publish_from(tiny_warehouse, tmp_path / "site")
    page = (tmp_path / "site" / "index.html").as_uri()
    published = _sparks(browser, page)
    week = _sparks(browser, page + "#range=7")
    redrawn = _sparks(browser, page + "#range=28")
    values, path = published["conversion_rate"]
    at = 27 - (last - closed).days  # the closed day's point of the 28 days
    assert published["sessions"][0][at] == 2  # it had sessions ...
    assert values[at - 1 : at + 2] == [0.5, None, 0.5]  # ... and is a gap, not 0
    # Its neighbours are not joined: the day before is a lone dot, the days after a line.
    x = [f"{i * 150 / 27:.1f}," for i in (at - 1, at + 1, at + 2)]
    assert f"M{x[0]}2.0 L{x[0]}2.0 M{x[1]}2.0 L{x[2]}2.0" in path
    assert redrawn["conversion_rate"] == published["conversion_rate"]
    assert week["conversion_rate"][0] == [None, None, None, 0.5, None, 0.5, 0.5]
    # Sums keep their zero: orders on the closed day are 0, not a gap.
    assert published["orders"][0][at] == 0
