"""The published site: files, offline links, KPI values, privacy, ordering, empty states."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest

from reports.publish import publish_site

PAGES = ("index.html", "funnel.html", "reorder.html")


class _Collector(HTMLParser):
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


def _parse(page: Path) -> _Collector:
    collector = _Collector()
    collector.feed(page.read_text(encoding="utf-8"))
    return collector


def test_pages_and_plotly_js_are_written(site: Path) -> None:
    for name in (*PAGES, "plotly.min.js"):
        assert (site / name).stat().st_size > 0, name
    assert (site / "plotly.min.js").stat().st_size > 1_000_000  # the real library, once
    for name in PAGES:
        assert (site / name).read_text().count('<script src="plotly.min.js"></script>') == 1


@pytest.mark.parametrize("name", PAGES)
def test_every_link_is_a_relative_local_file_that_exists(site: Path, name: str) -> None:
    text = (site / name).read_text(encoding="utf-8")
    links = _parse(site / name).links
    assert "plotly.min.js" in links and set(PAGES) <= set(links)
    for link in links:
        assert not re.match(r"^([a-z]+:|//)", link, re.IGNORECASE), f"{name}: non-local link {link}"
        assert (site / link).is_file(), f"{name}: link {link} points to no file"
    assert not re.search(r"https?://|src=\"//|href=\"//|@import|url\(", text), (
        f"{name}: external URL"
    )


def test_overview_kpis_equal_the_hand_computed_values(site: Path) -> None:
    kpis = _parse(site / "index.html").kpis
    assert kpis == {
        "sessions": "8",
        "conversion_rate": "25.0 %",  # 2 purchases / 8 sessions
        "cart_abandonment_rate": "50.0 %",  # (0.5*2 + 1.0*1 + 0.0*1) / 4 carts
        "orders": "4",
        "net_sales": "150.00",
        "aov": "37.50",  # 150 / 4
        "customers": "3",
        "skus_to_reorder": "3",
    }


def test_funnel_page_totals(site: Path) -> None:
    kpis = _parse(site / "funnel.html").kpis
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


def test_reorder_table_is_sorted_by_order_by_then_value_and_escaped(site: Path) -> None:
    text = (site / "reorder.html").read_text()
    table = text[text.index("<table>") : text.index("</table>")]
    rows = re.findall(r"<tr><td class=\"txt\">([^<]+)</td>", table)
    assert rows == ["22423", "84879", "85123A"]  # 01-15 438.00, 01-15 27.04, 01-16
    assert "rounded up from 38 to 40: 10 packs of 4" in table
    assert "stock runs out before the next delivery" in table
    assert "T-LIGHT &lt;HOLDER&gt; &amp; CO" in table and "<HOLDER>" not in text
    assert _parse(site / "reorder.html").kpis["order_value"] == "709.84"


def test_no_personal_data_or_quarantined_raw_values_on_any_page(site: Path) -> None:
    for name in PAGES:
        text = (site / name).read_text()
        for secret in ("alice@example.com", "bob@example.org", "SECRET-RAW-VALUE-42"):
            assert secret not in text, f"{name} shows {secret}"
        assert "a" * 64 not in text, f"{name} shows a customer key"
    overview = (site / "index.html").read_text()
    assert "quantity &quot;six&quot; is not a number" in overview  # reasons are shown
    assert "value in a personal-data column (details hidden)" in overview


def test_empty_reorder_list_renders_a_clear_message(publish_warehouse) -> None:
    site = publish_warehouse(with_reorders=False)
    text = (site / "reorder.html").read_text()
    assert "Nothing to reorder" in text and "<table>" not in text
    assert _parse(site / "index.html").kpis["skus_to_reorder"] == "0"


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
    assert _parse(site / "index.html").kpis["conversion_rate"] == "–"
    assert "No rows quarantined." in overview
    assert "No traffic data yet" in (site / "funnel.html").read_text()


def test_missing_table_is_named_in_the_error(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "empty.duckdb"))
    with pytest.raises(LookupError, match=r"marts\.conversion_daily.*materialize"):
        publish_site(con, tmp_path / "site")
    con.close()
    assert not (tmp_path / "site").exists()
