"""The date-range and segment bar in real headless Chromium, on pages opened from disk: the
tiles a reader gets after picking a range and a segment equal SQL written here over the
tiny warehouse's marts (tests/reports/tiny_warehouse.py), the comparison period follows the
range, the charts show it, and the address keeps the choice."""

from __future__ import annotations

from datetime import date, timedelta

import duckdb
import pytest

from bench.browser import charts_drawn, errors_seen, open_page
from reports.site.format import fmt_int, fmt_money, fmt_number, fmt_pct

pytestmark = pytest.mark.browser

TILES = """Object.fromEntries(Array.from(document.querySelectorAll('[data-kpi]')).map(
  function (t) { return [t.dataset.kpi, t.querySelector('.value').textContent]; }))"""
NOTES = """Object.fromEntries(Array.from(document.querySelectorAll('[data-kpi]')).map(
  function (t) { var n = t.querySelector('[data-scope]'); return [t.dataset.kpi, n ? n.textContent : '']; }))"""
CHANGE = "(key) => document.querySelector('[data-kpi=\"' + key + '\"] .change').textContent"


def sql(con: duckdb.DuckDBPyConnection, text: str, first: date, last: date, segment: str = ""):
    """One value of `text` (a select over a mart) for days first..last (and a segment)."""
    where = f" and {segment}" if segment else ""
    return con.execute(
        text.replace("WHERE", f"where day between ? and ?{where}"), [first, last]
    ).fetchone()[0]


def open_and_wait(browser, url: str):
    page_context = open_page(browser)
    page = page_context.__enter__()
    page.goto(url)
    charts_drawn(page)
    page.wait_for_selector("form[data-metric-filters][data-ready]", state="attached")
    return page_context, page


def test_overview_tiles_follow_a_range_and_a_segment_as_sql_over_the_marts(
    published, browser
) -> None:
    """Catches: tiles that keep the fixed 28 days after a range is picked; a segment applied to
    a mart that does not carry it (orders have no device) or not applied where it is; the
    browser computing a rate as a mean of daily rates or AOV from net sales; a comparison
    period that does not follow the range."""
    con, site = published
    context, page = open_and_wait(browser, (site / "index.html").as_uri())
    try:
        page.select_option("[data-range]", "7")
        page.select_option('[data-segment="device"]', "desktop")
        shown, notes = page.evaluate(TILES), page.evaluate(NOTES)
        sessions_change = page.evaluate(CHANGE, "sessions")
        assert errors_seen(page) == []
    finally:
        context.__exit__(None, None, None)
    last = con.execute("select max(day) from marts.orders_daily").fetchone()[0]
    first = last - timedelta(days=6)
    traffic = "from marts.conversion_daily WHERE"
    desktop = "device = 'desktop'"
    orders = "from marts.orders_daily WHERE"
    expected = {
        "sessions": fmt_int(sql(con, f"select sum(sessions) {traffic}", first, last, desktop)),
        "conversion_rate": fmt_pct(
            sql(con, f"select sum(sessions_with_purchase) / sum(sessions) {traffic}",
                first, last, desktop)
        ),
        "orders": fmt_int(sql(con, f"select sum(orders) {orders}", first, last)),
        "net_sales": fmt_money(sql(con, f"select sum(net_sales) {orders}", first, last)),
        "aov": fmt_money(
            sql(con, f"select sum(gross_sales - discounts) / sum(orders) {orders}", first, last)
        ),
        "nps": fmt_number(
            sql(con, "select 100.0 * (sum(promoters) - sum(detractors)) / sum(nps_answers)"
                " from marts.feedback_daily WHERE", first, last), 0
        ),
    }  # fmt: skip
    assert {k: shown[k] for k in expected} == expected
    assert expected["sessions"] == "2" and expected["orders"] == "1"  # the fixture is not empty
    # The 7 days before: 2010-12-28..2011-01-03 (4 desktop sessions on 01-03): 2 vs 4.
    previous = sql(con, f"select sum(sessions) {traffic}", first - timedelta(7), first - timedelta(1), desktop)  # fmt: skip
    assert previous == 4 and sessions_change == "▼ 50.0 % vs previous"
    assert notes["sessions"] == "" and notes["orders"] == "all visitors: not split by device"


def test_overview_country_segment_filters_orders_and_sessions_alike(published, browser) -> None:
    """Catches: a country segment applied to the traffic tiles but not to the orders' (both
    marts carry the country)."""
    con, site = published
    context, page = open_and_wait(browser, (site / "index.html").as_uri())
    try:
        page.select_option('[data-segment="country"]', "United Kingdom")
        shown, notes = page.evaluate(TILES), page.evaluate(NOTES)
    finally:
        context.__exit__(None, None, None)
    last = con.execute("select max(day) from marts.orders_daily").fetchone()[0]
    first, uk = last - timedelta(days=27), "country = 'United Kingdom'"
    orders = "from marts.orders_daily WHERE"
    assert shown["orders"] == fmt_int(sql(con, f"select sum(orders) {orders}", first, last, uk))
    assert shown["aov"] == fmt_money(
        sql(con, f"select sum(gross_sales - discounts) / sum(orders) {orders}", first, last, uk)
    )
    assert shown["aov"] == "45.00"  # (115 + 20) / 3, not the all-countries 41.25
    assert shown["sessions"] == fmt_int(
        sql(con, "select sum(sessions) from marts.conversion_daily WHERE", first, last, uk)
    )
    assert notes["orders"] == "" and notes["nps"] == "all visitors: not split by country"


def test_funnel_tiles_follow_a_custom_range_and_a_source_as_sql_over_the_marts(
    published, browser
) -> None:
    """Catches: the custom dates ignored; the source segment not applied to the session tiles;
    the user conversion rate (funnel_daily, not split by source) filtered by a segment its
    mart does not carry, or not limited to the range."""
    con, site = published
    context, page = open_and_wait(browser, (site / "funnel.html").as_uri())
    try:
        page.select_option("[data-range]", "custom")
        page.fill("[data-from]", "2011-01-03")
        page.fill("[data-to]", "2011-01-04")
        page.select_option('[data-segment="source"]', "google")
        shown, notes = page.evaluate(TILES), page.evaluate(NOTES)
    finally:
        context.__exit__(None, None, None)
    first, last, google = date(2011, 1, 3), date(2011, 1, 4), "source = 'google'"
    traffic = "from marts.conversion_daily WHERE"
    carts = "from marts.cart_abandonment_daily WHERE"
    expected = {
        "sessions": fmt_int(sql(con, f"select sum(sessions) {traffic}", first, last, google)),
        "conversion_rate": fmt_pct(sql(con, f"select sum(sessions_with_purchase) / sum(sessions) {traffic}", first, last, google)),
        "cart_abandonment_rate": fmt_pct(sql(con, f"select sum(carts_abandoned) / sum(sessions_with_cart) {traffic}", first, last, google)),
        "user_conversion_rate": fmt_pct(sql(con, "select sum(purchased) / sum(visitors) from marts.funnel_daily WHERE", first, last, "scope = 'user' and funnel_type = 'open'")),
        "cart_abandonment_rate_window": fmt_pct(sql(con, f"select sum(carts_abandoned_in_window) / sum(carts) {carts}", first, last)),
        "abandoned_cart_value": fmt_money(sql(con, f"select sum(abandoned_cart_value) {carts}", first, last)),
    }  # fmt: skip
    assert {k: shown[k] for k in expected} == expected
    assert expected["sessions"] == "4"  # google on 2011-01-03 only, not the 8 of every day
    assert notes["user_conversion_rate"] == "all visitors: not split by source"


def test_a_copied_link_reopens_the_same_range_segment_and_tiles(published, browser) -> None:
    """Catches: a choice not written to the address, or an address not read back on opening
    (a shared link would show the default 28 days to its reader)."""
    _, site = published
    context, page = open_and_wait(browser, (site / "funnel.html").as_uri())
    try:
        page.select_option("[data-range]", "7")
        page.select_option('[data-segment="visitor_type"]', "new")
        url, shown = page.url, page.evaluate(TILES)
    finally:
        context.__exit__(None, None, None)
    assert "range=7" in url and "visitor_type=new" in url
    context, page = open_and_wait(browser, url)
    try:
        assert page.evaluate(TILES) == shown
        assert page.input_value("[data-range]") == "7"
        assert page.input_value('[data-segment="visitor_type"]') == "new"
    finally:
        context.__exit__(None, None, None)


@pytest.mark.parametrize(
    ("name", "default"), [("index.html", "28"), ("funnel.html", "all"), ("feedback.html", "all")]
)
def test_the_browser_recomputes_the_published_tiles_for_the_default_range(
    published, browser, name: str, default: str
) -> None:
    """Catches: the browser's evaluation of a metric drifting from the SQL the page was
    published with (another formula, a missing column, a rounding of its own)."""
    _, site = published
    context, page = open_and_wait(browser, (site / name).as_uri())
    try:
        published_tiles = page.evaluate(TILES)
        page.goto((site / name).as_uri() + f"#range={default}")
        page.reload()
        page.wait_for_selector("form[data-metric-filters][data-ready]", state="attached")
        assert page.evaluate(TILES) == published_tiles
    finally:
        context.__exit__(None, None, None)


def test_charts_with_a_time_axis_show_the_chosen_range(published, browser) -> None:
    """Catches: charts left on every day after a range is picked."""
    _, site = published
    context, page = open_and_wait(browser, (site / "index.html").as_uri())
    try:
        page.select_option("[data-range]", "7")
        x_range = page.evaluate("document.getElementById('chart-sales').layout.xaxis.range")
    finally:
        context.__exit__(None, None, None)
    assert [x_range[0][:10], x_range[1][:10]] == ["2011-01-04", "2011-01-10"]


def test_charts_open_on_the_default_range_the_tiles_show(published, browser) -> None:
    """Catches: a page opened without a choice whose tiles cover the default 28 days while
    its charts show every day of the data, under a bar saying the charts show the range."""
    _, site = published
    context, page = open_and_wait(browser, (site / "index.html").as_uri())
    try:
        page.wait_for_function(
            "(document.getElementById('chart-sales').layout.xaxis.range || [''])[0]"
            ".startsWith('2010-12-14')"
        )
        x_range = page.evaluate("document.getElementById('chart-sales').layout.xaxis.range")
        shown = page.evaluate("document.querySelector('[data-range]').value")
    finally:
        context.__exit__(None, None, None)
    assert shown == "28"
    assert [x_range[0][:10], x_range[1][:10]] == ["2010-12-14", "2011-01-10"]


def test_sales_tiles_follow_a_range_and_a_country_as_sql_over_the_marts(published, browser) -> None:
    """Catches: the Sales tiles not recomputed after the range goes to 7 days and back to 28,
    or the country segment not applied to marts.orders_daily, which carries the country."""
    con, site = published
    context, page = open_and_wait(browser, (site / "sales.html").as_uri())
    try:
        page.select_option("[data-range]", "7")
        page.select_option("[data-range]", "28")
        page.select_option('[data-segment="country"]', "France")
        shown = page.evaluate(TILES)
    finally:
        context.__exit__(None, None, None)
    last = con.execute("select max(day) from marts.orders_daily").fetchone()[0]
    first, uk = last - timedelta(days=27), "country = 'France'"
    orders = "from marts.orders_daily WHERE"
    assert shown == {
        "net_sales": fmt_money(sql(con, f"select sum(net_sales) {orders}", first, last, uk)),
        "orders": fmt_int(sql(con, f"select sum(orders) {orders}", first, last, uk)),
        "units": fmt_int(sql(con, f"select sum(units) {orders}", first, last, uk)),
        "aov": fmt_money(
            sql(con, f"select sum(gross_sales - discounts) / sum(orders) {orders}", first, last, uk)
        ),
    }
    assert shown["orders"] == "1"  # France's one order, not the 4 of every country


def test_feedback_tiles_and_charts_follow_a_range_as_sql_over_the_mart(published, browser) -> None:
    """Catches: feedback tiles (mean rating, CSAT, NPS, answers, review rate) left on every day
    after a range is picked (3.00 stars from 4 reviews instead of the range's one 2-star
    review); a comparison period that does not follow the range; the weekly rating and
    monthly NPS charts left on every day; a segment box offered on a mart without one."""
    con, site = published
    context, page = open_and_wait(browser, (site / "feedback.html").as_uri())
    try:
        assert page.is_disabled("[data-segment]")  # marts.feedback_daily carries no segment
        page.select_option("[data-range]", "7")
        shown = page.evaluate(TILES)
        rating_change = page.evaluate(CHANGE, "mean_rating")
        axes = page.evaluate(
            "[document.getElementById('chart-ratings').layout.xaxis2.range,"
            " document.getElementById('chart-nps').layout.xaxis.range]"
        )
        assert errors_seen(page) == []
    finally:
        context.__exit__(None, None, None)
    last = con.execute("select max(day) from marts.feedback_daily").fetchone()[0]
    first = last - timedelta(days=6)
    feedback = "from marts.feedback_daily WHERE"
    stars = "sum(ratings_1 + 2 * ratings_2 + 3 * ratings_3 + 4 * ratings_4 + 5 * ratings_5)"
    expected = {
        "reviews": fmt_int(sql(con, f"select sum(reviews) {feedback}", first, last)),
        "mean_rating": fmt_number(sql(con, f"select {stars} / sum(reviews) {feedback}", first, last), 2),
        "csat": fmt_pct(sql(con, f"select sum(ratings_4 + ratings_5) / sum(reviews) {feedback}", first, last)),
        "nps": fmt_number(sql(con, "select 100.0 * (sum(promoters) - sum(detractors))"
                              f" / sum(nps_answers) {feedback}", first, last), 0),
        "nps_answers": fmt_int(sql(con, f"select sum(nps_answers) {feedback}", first, last)),
        "review_rate": fmt_pct(sql(con, f"select sum(reviewed_orders) / sum(orders) {feedback}", first, last)),
    }  # fmt: skip
    assert {k: shown[k] for k in expected} == expected
    # One 2-star review in the range, not the 3.00 of every day.
    assert expected["reviews"] == "1" and expected["mean_rating"] == "2.00"
    before = sql(con, f"select {stars} / sum(reviews) {feedback}", first - timedelta(7), first - timedelta(1))  # fmt: skip
    assert rating_change == f"▼ {before - 2:.2f} vs previous" == "▼ 1.33 vs previous"
    assert [[a[0][:10], a[1][:10]] for a in axes] == [[first.isoformat(), last.isoformat()]] * 2


SPARKS = """Object.fromEntries(Array.from(document.querySelectorAll('[data-kpi] svg.spark')).map(
  function (s) { return [s.closest('[data-kpi]').dataset.kpi,
    [JSON.parse(s.dataset.values), s.getAttribute('aria-label'),
     (s.querySelector('path').getAttribute('d').match(/,/g) || []).length]]; }))"""
META = "document.querySelector('.kpis + p.meta').textContent"


def _blocks(con, text: str, first: date, last: date, step: int, segment: str = "") -> list:
    """`text` per `step` days counted back from `last` (whole blocks only), oldest first."""
    ends = [last - timedelta(days=i) for i in range(0, (last - first).days + 1, step)]
    ends = [end for end in ends if end - timedelta(days=step - 1) >= first]
    return [sql(con, text, end - timedelta(days=step - 1), end, segment) for end in reversed(ends)]


def test_overview_sparklines_and_period_sentence_follow_the_range_and_segments(
    published, browser
) -> None:
    """Catches: the tiles' sparklines keeping the last 13 weeks over every segment whatever
    the bar chose (a short range plotted weekly, a segment ignored, points outside the
    range), and the sentence under the tiles naming the fixed 28 days the bar no longer
    shows."""
    con, site = published
    context, page = open_and_wait(browser, (site / "index.html").as_uri())
    try:
        published_sparks, meta = page.evaluate(SPARKS), page.evaluate(META)
        page.select_option("[data-range]", "90")
        page.select_option('[data-segment="device"]', "desktop")
        quarter = page.evaluate(SPARKS)
        page.select_option("[data-range]", "28")
        page.select_option('[data-segment="device"]', "")
        page.select_option('[data-segment="country"]', "United Kingdom")
        month, caption = page.evaluate(SPARKS), page.text_content("[data-period]")
        page.goto((site / "index.html").as_uri() + "#range=28")
        page.reload()
        page.wait_for_selector("form[data-metric-filters][data-ready]", state="attached")
        redrawn_default = page.evaluate(SPARKS)
        default_caption = page.text_content("[data-period]")
        assert errors_seen(page) == []
    finally:
        context.__exit__(None, None, None)
    last = con.execute("select max(day) from marts.orders_daily").fetchone()[0]
    traffic, orders = "from marts.conversion_daily WHERE", "from marts.orders_daily WHERE"
    sessions = f"select coalesce(sum(sessions), 0) {traffic}"
    rate = f"select sum(sessions_with_purchase) / sum(sessions) {traffic}"
    # 90 days: 12 whole weeks counted back from the last day, desktop sessions only.
    first = last - timedelta(days=89)
    assert quarter["sessions"][0] == _blocks(con, sessions, first, last, 7, "device = 'desktop'")
    assert quarter["sessions"][1:] == ["Sessions, weekly", 12]
    assert quarter["conversion_rate"][0] == pytest.approx(
        _blocks(con, rate, first, last, 7, "device = 'desktop'"), nan_ok=True
    )
    # 28 days: a point per day, United Kingdom orders only.
    first, uk = last - timedelta(days=27), "country = 'United Kingdom'"
    uk_orders = _blocks(con, f"select coalesce(sum(orders), 0) {orders}", first, last, 1, uk)
    assert month["orders"][0] == uk_orders and month["orders"][1:] == ["Orders, daily", 28]
    assert uk_orders != _blocks(con, f"select coalesce(sum(orders), 0) {orders}", first, last, 1)
    # The monthly tile does not follow the bar, and the sentence says so without a period
    # of its own: the bar's caption names the chosen days and segments.
    assert month["returning_customer_rate"] == published_sparks["returning_customer_rate"]
    assert "28 days" not in meta and "13 weeks" not in meta and "does not follow" in meta
    assert caption.startswith("2010-12-14 to 2011-01-10 vs") and "United Kingdom" in caption
    # The published caption and sparklines are the default range's, as the browser draws them.
    html = (site / "index.html").read_text(encoding="utf-8")
    assert f"data-period>{default_caption}</span>" in html
    assert published_sparks["sessions"][1] == "Sessions, daily"
    for key in ("sessions", "conversion_rate", "orders", "net_sales", "aov", "nps"):
        assert redrawn_default[key][0] == pytest.approx(published_sparks[key][0]), key
