"""The published site: files, offline links, KPI values, privacy, ordering, empty states."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest

from reports.pages.funnel import queries as funnel_queries
from reports.site.layout import PAGES as NAV
from reports.site.layout import PLOTLY_JS
from reports.site.plotly_bundle import BUNDLE
from reports.site.publish import publish_site

PAGES = tuple(name for name, _, _ in NAV)


class Collector(HTMLParser):
    """Every src/href value and the text of each KPI tile (data-kpi -> value)."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.kpis: dict[str, str] = {}
        self._kpi: str | None = None
        self._in_value = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.links += [v for k, v in attrs if k in ("src", "href") and v is not None]
        if "data-kpi" in values:
            self._kpi = values["data-kpi"]
        self._in_value = self._kpi is not None and values.get("class") == "value"

    def handle_data(self, data: str) -> None:
        if self._in_value:
            self.kpis[self._kpi] = data
            self._in_value, self._kpi = False, None


def parse(page: Path) -> Collector:
    collector = Collector()
    collector.feed(page.read_text(encoding="utf-8"))
    return collector


def test_pages_and_plotly_js_are_written(site: Path) -> None:
    for name in PAGES:
        assert (site / name).stat().st_size > 0, name
    assert (site / PLOTLY_JS).read_bytes() == BUNDLE.read_bytes()  # the real library, once
    for name in PAGES:
        assert (site / name).read_text().count(f'<script src="{PLOTLY_JS}" defer></script>') == 1


@pytest.mark.parametrize("name", PAGES)
def test_every_link_is_a_relative_local_file_that_exists(site: Path, name: str) -> None:
    text = (site / name).read_text(encoding="utf-8")
    links = parse(site / name).links
    assert PLOTLY_JS in links and set(PAGES) <= set(links)
    for link in (link.split("#")[0] for link in links):
        assert not re.match(r"^([a-z]+:|//)", link, re.IGNORECASE), f"{name}: non-local link {link}"
        assert (site / link).is_file(), f"{name}: link {link} points to no file"
    assert not re.search(r"https?://|src=\"//|href=\"//|@import|url\(", text), (
        f"{name}: external URL"
    )


def test_overview_kpis_equal_the_hand_computed_values(site: Path) -> None:
    kpis = parse(site / "index.html").kpis
    # All days of the tiny warehouse fall into the 28 days up to 2011-01-10.
    assert kpis == {
        "sessions": "8",
        "conversion_rate": "25.0 %",  # 2 purchases / 8 sessions
        "orders": "4",
        "net_sales": "150.00",
        "aov": "41.25",  # (gross - discounts) / orders = (115 + 30 + 20) / 4
        "returning_customer_rate": "33.3 %",  # 2011-01: 1 of 3 customers with 2+ orders
        "nps": "40",  # 100 x (3 promoters - 1 detractor) / 5 answers
    }
    text = (site / "index.html").read_text()
    assert "3 SKUs to reorder" in text
    assert "2010-12-14 to 2011-01-10 vs 2010-11-16 to 2010-12-13" in text


def test_funnel_page_totals(site: Path) -> None:
    kpis = parse(site / "funnel.html").kpis
    assert (
        kpis["checkout_abandonment_rate"] == "0.0 %"
    )  # the NULL-rate row (0 checkouts) is skipped
    text = (site / "funnel.html").read_text()
    for div_id in ("chart-funnel", "chart-device", "chart-source", "chart-weekly"):
        assert f'id="{div_id}"' in text


def test_pages_show_coverage_and_generation_time(site: Path) -> None:
    overview = (site / "index.html").read_text()
    assert "orders 2011-01-03 to 2011-01-10" in overview
    assert "traffic 2011-01-03 to 2011-01-10" in overview
    assert "generated 2011-01-15 06:30 UTC" in overview
    reorder = (site / "reorder.html").read_text()
    assert "demand history 2011-01-01 to 2011-01-14" in reorder
    assert "forecast 2011-01-15 to 2011-01-21" in reorder


def test_reorder_table_is_grouped_by_supplier_sorted_and_escaped(site: Path) -> None:
    # Bugs caught: a supplier's lines split apart, a later order day listed first, or a
    # catalog's markup reaching the page.
    text = (site / "reorder.html").read_text()
    table = text[text.index('<table id="reorder-table"') : text.index("</table>")]
    groups = re.findall(r'<tbody data-supplier="([^"]+)">', table)
    assert groups == ["Kent &lt;Kitchen&gt; &amp; Co", "Harbourside Imports"]  # 01-15, 01-16
    rows = re.findall(r'<tr class="line[^"]*"[^>]*><td class="freeze"><b>([^<]+)</b>', table)
    assert rows == ["22423", "85123A", "84879"]  # by supplier, then 244.80 before 27.04
    assert "rounded up from 38 to 40: 10 packs of 4" in table  # in the row's details
    assert "order 2011-01-16: 2 lines, 271.84 (1 pulled forward; minimum 250.00 met)" in table
    assert "T-LIGHT &lt;HOLDER&gt; &amp; CO" in table and "<HOLDER>" not in text
    assert parse(site / "reorder.html").kpis["order_value"] == "709.84"
    assert parse(site / "reorder.html").kpis["purchase_orders"] == "2"


def test_no_personal_data_or_quarantined_raw_values_on_any_page(site: Path) -> None:
    for name in PAGES:
        text = (site / name).read_text()
        for secret in ("alice@example.com", "bob@example.org", "SECRET-RAW-VALUE-42"):
            assert secret not in text, f"{name} shows {secret}"
        assert "a" * 64 not in text, f"{name} shows a customer key"
    quality = (site / "quality.html").read_text()
    assert "quantity &quot;six&quot; is not a number" in quality  # reasons are shown
    assert "value in a personal-data column (details hidden)" in quality


def test_empty_reorder_list_renders_a_clear_message(publish_warehouse) -> None:
    site = publish_warehouse(with_reorders=False)
    text = (site / "reorder.html").read_text()
    # no reorder table (the overstock and feedback-guard sections have their own)
    assert "Nothing to reorder" in text and 'id="reorder-table"' not in text
    assert "0 SKUs to reorder" in (site / "index.html").read_text()


def test_an_empty_warehouse_publishes_empty_states(publish_warehouse) -> None:
    site = publish_warehouse(
        with_reorders=False,
        sql="delete from marts.conversion_daily; delete from marts.orders_daily;"
        " delete from marts.customers; delete from quality.load_log;"
        " delete from quality.quarantine;"
        " delete from marts.sku_demand_daily; delete from forecasts.demand_forecast;",
    )
    overview = (site / "index.html").read_text()
    assert "orders: no data" in overview and "marts.orders_daily is empty" in overview
    assert parse(site / "index.html").kpis["conversion_rate"] == "–"
    assert "No rows quarantined." in (site / "quality.html").read_text()
    assert "No traffic data yet" in (site / "funnel.html").read_text()


def test_missing_table_is_named_in_the_error(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "empty.duckdb"))
    with pytest.raises(LookupError, match=r"marts\.conversion_daily.*materialize"):
        publish_site(con, tmp_path / "site")
    con.close()
    assert not (tmp_path / "site").exists()


def test_funnel_page_new_kpis(site: Path) -> None:
    kpis = parse(site / "funnel.html").kpis
    assert kpis["user_conversion_rate"] == "28.6 %"  # (1 + 1) purchasers / (5 + 2) visitors
    assert kpis["cart_abandonment_rate_session"] == "50.0 %"  # 2 of 4 carts
    assert kpis["cart_abandonment_rate_window"] == "25.0 %"  # 1 of 4 carts
    assert kpis["checkout_abandonment_rate_session"] == "33.3 %"  # 1 of 3 checkouts
    assert kpis["checkout_abandonment_rate_window"] == "33.3 %"
    assert kpis["abandoned_cart_value"] == "35.50"


def test_conversion_breakdowns_leave_out_days_without_sessions(tiny_warehouse: Path) -> None:
    con = duckdb.connect(str(tiny_warehouse), read_only=True)
    try:
        by_type = funnel_queries.funnel_by(con, "visitor_type")
        pages = funnel_queries.top_landing_pages(con)
        days = funnel_queries.funnel_by(con, "day")
    finally:
        con.close()
    assert by_type.select("visitor_type", "sessions", "sessions_with_purchase").rows() == [
        ("new", 6, 2),
        ("returning", 2, 0),
    ]
    assert by_type["conversion_rate"].to_list() == pytest.approx([2 / 6, 0.0])
    assert pages["landing_page"].to_list() == ["/home", "/sale"]  # most sessions first
    assert days.height == 3  # the zero day stays in the daily trend


def test_customers_page_kpis(site: Path) -> None:
    assert parse(site / "customers.html").kpis == {
        "customers": "3",
        "repeat_customer_rate": "33.3 %",  # 1 of 3 customers with two orders
        "new_customers": "3",  # 2 + 1 + 0
        # of the customers first buying in the bar's default range (every day): 1 of 3 bought
        # again; their net revenue (70 + 50 + 30) / 3
        "new_customer_repeat_rate": "33.3 %",
        "revenue_per_new_customer": "50.00",
        # customers who ordered again on a later day, each once (not once per order day)
        "returning_customers": "1",
        "clv_customers": "3",
        "total_clv": "310.00",  # 210 + 60 + 40
        "mean_clv": "103.33",
        "mean_p_alive": "60.0 %",  # (0.9 + 0.5 + 0.4) / 3
        "clv_model": "BG/NBD",
        "clv_holdout": "2 vs 2",  # the kept model's 1.8 predicted vs 2 actual, rounded
    }


def test_customers_page_compares_the_clv_models_and_flags_the_weak_one(site: Path) -> None:
    text = (site / "customers.html").read_text()
    flag = text[text.index('data-flag="not-better-than-naive"') :]
    assert "Pareto/NBD did not beat the naive baseline" in flag[: flag.index("</p>")]
    table = text[text.rindex("<table>") : text.rindex("</table>")]
    rows = re.findall(r"<tr>(.*?)</tr>", table)[1:]
    models = [re.findall(r"<td[^>]*>([^<]*)</td>", row) for row in rows]
    assert [(m[0], m[1], m[10], m[11]) for m in models] == [
        ("BG/NBD", "calibration", "yes", "yes"),
        ("Pareto/NBD", "calibration", "NO", "NO"),
        ("BG/NBD", "full", "–", "yes"),
        ("Gamma-Gamma", "full", "–", "yes"),
    ]
    assert models[0][7] == "0.400" and models[0][9] == "0.500"  # MAE vs the naive baseline's


def test_feedback_page_kpis_and_worst_products(site: Path) -> None:
    assert parse(site / "feedback.html").kpis == {
        "reviews": "4",
        "mean_rating": "3.00",  # (5 + 4 + 1 + 2) / 4
        "csat": "50.0 %",  # 2 of 4 reviews rated 4-5
        "nps": "40",  # 100 x (3 promoters - 1 detractor) / 5 answers
        "nps_answers": "5",
        # 3 reviewed orders / 4 orders; reviews per order (4 / 4) was the bug it catches
        "review_rate": "75.0 %",
        "orders_shipped": "15",
        "on_time_share": "71.4 %",  # 10 on time of 14 delivered
        "orders_late": "4",
    }
    text = (site / "feedback.html").read_text()
    table = text[text.index("<table>") : text.index("</table>")]
    assert re.findall(r"<tr><td class=\"txt\">([^<]+)</td>", table) == ["22423", "85123A"]
    assert "Kitchen &amp; &lt;Dining&gt;" in table and "<Dining>" not in text


def test_empty_customer_traffic_and_feedback_marts_render_notes(publish_warehouse) -> None:
    site = publish_warehouse(
        sql="delete from marts.funnel_daily; delete from marts.cart_abandonment_daily;"
        " delete from marts.customers; delete from marts.customer_rates_monthly;"
        " delete from marts.clv_model; delete from marts.clv_tracking; delete from marts.clv_conditional;"
        " delete from marts.cohort_retention; delete from marts.feedback_daily;"
        " delete from marts.product_ratings; delete from marts.orders_daily;"
    )
    funnel = (site / "funnel.html").read_text()
    assert "marts.funnel_daily has no visitors" in funnel
    assert "marts.cart_abandonment_daily has none" in funnel
    assert parse(site / "funnel.html").kpis["user_conversion_rate"] == "–"
    customers = (site / "customers.html").read_text()
    for note in (
        "marts.orders_daily is empty",
        "marts.customer_rates_monthly is empty",
        "marts.cohort_retention is empty",
        "marts.customers is empty",
        "marts.customer_clv has no fitted model",
        "marts.clv_tracking is empty",
        "marts.clv_model is empty",
    ):
        assert note in customers
    assert parse(site / "customers.html").kpis["repeat_customer_rate"] == "–"
    feedback = (site / "feedback.html").read_text()
    assert "No rated reviews yet" in feedback and "No NPS answers yet" in feedback
    assert "No product has 3 or more rated reviews yet." in feedback
    assert parse(site / "feedback.html").kpis["nps"] == "–"


def chart_specs(page: Path) -> dict[str, dict]:
    """The figure JSON of every chart on a page, by chart id (see reports/site/chart_embed.py)."""
    found = re.finditer(
        r'<script type="application/json" id="([^"]+)-spec">(.*?)</script>',
        page.read_text(),
        re.DOTALL,
    )
    return {m.group(1): json.loads(m.group(2).replace("<\\/", "</")) for m in found}


def _axis(layout: dict, ref: str) -> dict:  # 'x2' -> layout['xaxis2']
    return layout.get(f"{ref[0]}axis{ref[1:]}", {})


@pytest.mark.parametrize("name", PAGES)
def test_every_chart_has_a_title_and_every_labelled_axis_says_what_it_measures(
    site: Path, name: str
) -> None:
    specs = chart_specs(site / name)
    for chart_id, spec in specs.items():
        layout = spec["layout"]
        assert (layout.get("title") or {}).get("text"), f"{name} {chart_id}: no title"
        for trace in spec["data"]:
            for ref in (trace.get("xaxis", "x"), trace.get("yaxis", "y")):
                axis = _axis(layout, ref)
                if axis.get("showticklabels") is False:
                    continue  # a shared axis: the labelled one below it carries the title
                assert (axis.get("title") or {}).get("text"), (
                    f"{name} {chart_id}: axis {ref} has no title"
                )
