"""The date-range bar of the customers, demand and data-quality pages in real headless
Chromium on the tiny site opened from disk: after a range (and a segment) is picked, the
tiles equal SQL written here over the tiny warehouse (tests/reports/tiny_warehouse.py),
what follows the range its own way does so (weeks, months, cohorts, a forecast kept
whole), the address keeps the choice, and the layout checks still pass at both sizes."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from bench.browser import DESKTOP, PHONE, charts_drawn, errors_seen, open_page
from reports.site.format import fmt_int, fmt_money, fmt_pct
from tests.reports.test_browser_filters import TILES, open_and_wait, sql

pytestmark = pytest.mark.browser

LAYOUT_CHECKS = (Path(__file__).with_name("layout_checks.js")).read_text()
X_RANGE = "(id) => document.getElementById(id).layout.xaxis.range.map(function (d) { return d.slice(0, 10); })"
SHOWN_COHORTS = """Array.from(document.querySelectorAll('tr[data-month]'))
  .filter(function (row) { return !row.hidden; }).map(function (row) { return row.dataset.month; })"""


def pick_custom(page, first: str, last: str) -> None:
    page.select_option("[data-range]", "custom")
    page.fill("[data-from]", first)
    page.fill("[data-to]", last)


def test_customers_tiles_follow_a_range_and_a_country_as_sql_over_the_marts(
    published, browser
) -> None:
    """Catches: the new-customer tiles left on every day; the repeat rate or revenue of new
    customers taken over all customers rather than those first buying in the range, or
    without the country; the as-of-the-end tiles changed by the range; cohorts outside the
    range left in the cohort table; the weekly chart cutting the range's first week."""
    con, site = published
    context, page = open_and_wait(browser, (site / "customers.html").as_uri())
    try:
        pick_custom(page, "2011-01-03", "2011-01-09")
        page.select_option('[data-segment="country"]', "United Kingdom")
        shown, cohorts = page.evaluate(TILES), page.evaluate(SHOWN_COHORTS)
        weeks = page.evaluate(X_RANGE, "chart-new-returning")
        assert errors_seen(page) == []
    finally:
        context.__exit__(None, None, None)
    first, last, uk = date(2011, 1, 3), date(2011, 1, 9), "country = 'United Kingdom'"
    acquired = (
        "from marts.customers where orders > 0 and country = 'United Kingdom'"
        " and first_order_date between ? and ?"
    )

    def of_acquired(select: str):
        return con.execute(f"{select} {acquired}", [first, last]).fetchone()[0]

    expected = {
        "new_customers": fmt_int(
            sql(con, "select sum(new_customers) from marts.orders_daily WHERE", first, last, uk)
        ),
        "new_customer_repeat_rate": fmt_pct(
            of_acquired("select avg(case when orders >= 2 then 1.0 else 0.0 end)")
        ),
        "revenue_per_new_customer": fmt_money(of_acquired("select sum(revenue) / count(*)")),
        "customers": "3",  # as of the data's end: every customer, whatever the range
        "returning_customers": "1",
    }
    assert {k: shown[k] for k in expected} == expected
    # Two British customers first bought on 2011-01-03: one came back; 70 + 50 between them.
    assert (expected["new_customer_repeat_rate"], expected["revenue_per_new_customer"]) == (
        "50.0 %",
        "60.00",
    )
    assert cohorts == ["2011-01-01"]  # the December cohort started before the range
    # Whole weeks: Monday 2011-01-03 and the week of 01-09 (from Monday 01-03), half a week
    # either side of the bars dated by their Mondays.
    assert weeks == ["2010-12-30", "2011-01-06"]


def test_demand_history_follows_the_range_and_the_forecast_stays_whole(published, browser) -> None:
    """Catches: demand units, net sales or orders left on every day after a range is picked;
    the forecast cut off at the range's end like the history (it is the future and does not
    follow); a range choice that drops the explorer's SKU from the address, or a SKU choice
    that drops the range."""
    con, site = published
    url = (site / "demand.html").as_uri() + "#sku=22423"
    context, page = open_and_wait(browser, url)
    try:
        page.select_option("[data-range]", "7")
        shown = page.evaluate(TILES)
        page.wait_for_function(
            "document.getElementById('chart-explorer').layout.xaxis.range !== undefined"
        )
        history = page.evaluate(X_RANGE, "chart-demand-history")
        explorer = page.evaluate(X_RANGE, "chart-explorer")
        address = page.url
        assert errors_seen(page) == []
    finally:
        context.__exit__(None, None, None)
    last = con.execute("select max(day) from marts.sku_demand_daily").fetchone()[0]
    first = last - timedelta(days=6)
    orders = "from marts.orders_daily WHERE"
    expected = {
        "demand_units": fmt_int(
            sql(con, "select sum(demand_units) from marts.sku_demand_daily WHERE", first, last)
        ),
        "net_sales": fmt_money(sql(con, f"select sum(net_sales) {orders}", first, last)),
        "orders": fmt_int(sql(con, f"select sum(orders) {orders}", first, last)),
    }
    assert {k: shown[k] for k in expected} == expected
    forecast_end = con.execute("select max(day) from forecasts.demand_forecast").fetchone()[0]
    assert forecast_end > last
    assert history == explorer == [first.isoformat(), forecast_end.isoformat()]
    assert "sku=22423" in address and "range=7" in address
    context, page = open_and_wait(browser, address)
    try:
        page.wait_for_selector("#chart-explorer[data-sku='22423']")
        assert page.evaluate(TILES) == shown
    finally:
        context.__exit__(None, None, None)


def test_quality_tiles_count_loads_and_checks_by_export_day_as_sql(published, browser) -> None:
    """Catches: rows read or quarantined left on every export day after a range is picked;
    check evaluations dated by the run's own day (the tiny checks ran on 2011-01-14 and
    15, after the newest export day, so a range of export days would never hold them)
    instead of the newest export day loaded when they ran."""
    con, site = published
    views = {}
    for first, last in (("2011-01-03", "2011-01-09"), ("2011-01-10", "2011-01-10")):
        context, page = open_and_wait(browser, (site / "quality.html").as_uri())
        try:
            assert page.is_disabled("[data-segment]")
            pick_custom(page, first, last)
            views[first, last] = page.evaluate(TILES)
            assert errors_seen(page) == []
        finally:
            context.__exit__(None, None, None)
    checked_on = (
        "from quality.check_results as c where (select max(l.export_date)"
        " from quality.load_log as l where l.loaded_at <= c.checked_at) between ? and ?"
    )
    for (first, last), shown in views.items():
        days = [date.fromisoformat(first), date.fromisoformat(last)]
        loads = con.execute(
            "select sum(rows_read), sum(rows_quarantined), sum(rows_quarantined) / sum(rows_read)"
            " from quality.load_log where export_date between ? and ?",
            days,
        ).fetchone()
        checks = con.execute(
            "select count(*), count(*) filter (where not passed and severity = 'ERROR'),"
            f" count(*) filter (where not passed and severity = 'WARN') {checked_on}",
            days,
        ).fetchone()
        expected = {
            "rows_read": fmt_int(loads[0]),
            "rows_quarantined": fmt_int(loads[1]),
            "quarantine_rate": fmt_pct(loads[2]),
            "check_evaluations": fmt_int(checks[0]),
            "check_evaluations_failed": fmt_int(checks[1]),
            "check_evaluations_warned": fmt_int(checks[2]),
            "checks_failed": "1",  # each check's newest evaluation: not following the range
        }
        assert {k: shown[k] for k in expected} == expected
    early, late = views.values()
    assert (early["rows_read"], early["check_evaluations"]) == ("620", "0")  # 120 + 500 rows
    # All five evaluations judged the newest export day, 2011-01-10; two of them failed.
    assert (late["rows_read"], late["check_evaluations"], late["check_evaluations_failed"]) == (
        "80",
        "5",
        "2",
    )


@pytest.mark.parametrize("name", ["customers.html", "demand.html", "quality.html"])
def test_the_browser_recomputes_the_published_tiles_for_the_default_range(
    published, browser, name: str
) -> None:
    """Catches: the browser's evaluation of a page's metrics drifting from the SQL the page
    was published with (another formula, a derived mart read differently)."""
    _, site = published
    context, page = open_and_wait(browser, (site / name).as_uri())
    try:
        published_tiles = page.evaluate(TILES)
        default = page.evaluate("document.querySelector('[data-range]').value")
        page.select_option("[data-range]", "7")
        page.select_option("[data-range]", default)
        assert page.evaluate(TILES) == published_tiles
    finally:
        context.__exit__(None, None, None)


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["laptop-1366x900", "phone-390x844"])
@pytest.mark.parametrize(
    ("name", "address"),
    [
        ("customers.html", "#range=custom&from=2011-01-03&to=2011-01-09"),
        ("demand.html", "#range=7&sku=85123A"),
        ("quality.html", "#range=custom&from=2011-01-10&to=2011-01-10"),
    ],
)
def test_a_page_opened_on_a_range_has_no_layout_fault(
    site: Path, browser, name: str, address: str, size: tuple[int, int]
) -> None:
    """Catches: a chart narrowed to a range whose tick labels run into the y axis or each
    other, or a range leaving a chart empty without a word why."""
    with open_page(browser, size, mobile=size == PHONE) as page:
        page.goto((site / name).as_uri() + address)
        charts_drawn(page)
        page.wait_for_selector("form[data-metric-filters][data-ready]", state="attached")
        page.wait_for_timeout(300)  # the range followers relayout once every chart is drawn
        faults = page.evaluate(LAYOUT_CHECKS)
        assert errors_seen(page) == []
    assert faults == [], f"{name}{address} at {size}: " + "; ".join(faults)
