"""The status line on every page, the Data quality page, the Sales page and the overview's
change against the previous period, on the hand-written warehouse of conftest.py."""

from __future__ import annotations

import re
from pathlib import Path

from reports.site.layout import PAGES as NAV

PAGES = tuple(name for name, _, _ in NAV)


def kpis_of(page: Path) -> dict[str, str]:
    """KPI tile key -> the value text shown."""
    return dict(
        re.findall(
            r'data-kpi="([^"]+)"><div class="label">[^<]*</div><div class="value">([^<]*)</div>',
            page.read_text(),
        )
    )


def rows_of(text: str, caption: str) -> list[list[str]]:
    """The cell texts of the first table after the heading or caption `caption`."""
    start = text.index(caption)
    table = text[text.index("<tbody>", start) : text.index("</tbody>", start)]
    return [
        [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", table)
    ]


def test_every_page_shows_run_date_freshness_and_check_state(site: Path) -> None:
    for name in PAGES:
        text = (site / name).read_text()
        line = text[
            text.index('<div class="status"') : text.index(
                "</div>", text.index('<div class="status"')
            )
        ]
        assert "run <b>2011-01-15</b>" in line, name
        # orders newest 2011-01-10, 5 days before the run; traffic 7 days behind orders
        # orders: no freshness check recorded, so shown uncoloured and not judged
        assert "orders <b>2011-01-10</b>" in line
        assert '<span class="unjudged">(newest; 5 d before the run; not judged)' in line
        assert (
            "traffic <b>2011-01-03</b>" in line
            and '<span class="warn">(7 d behind the newest export; 12 d before the run)' in line
        )
        assert "2 passed · 1 warning · 1 failed" in line, name
        assert 'data-checks="bad"' in line


STATUS_SQL = """
insert into quality.check_results values
  ('run-1', 'raw/orders', 'export_freshness', 'WARN', true, 'ok', '{"max_lag_days": 0}',
   '2011-01-15 06:00'),
  ('run-1', 'raw/catalog', 'export_freshness', 'WARN', true, 'not judged',
   '{"max_lag_days": null}', '2011-01-15 06:00');
insert into quality.load_log values
  ('catalog', '2010-06-01', 'catalog/2010-06-01.csv', 'generic', 3, 3, 0, '2010-06-02 01:00'),
  ('feedback', '2011-01-17', 'feedback/2011-01-17.csv', 'generic', 3, 3, 0, '2011-01-17 01:00');
"""


def test_status_line_colours_only_what_the_freshness_check_judged(publish_warehouse) -> None:
    """Catches the catalog's freshness shown orange though never judged, and a feed dated
    after the run shown as "-2 d before the run"."""
    text = (publish_warehouse(sql=STATUS_SQL) / "index.html").read_text()
    spans = dict(
        re.findall(r'<span data-freshness="(\w+)" data-verdict="\w+">(.*?)</span></span>', text)
    )
    assert '<span class="ok">(7 d behind the newest export' in spans["orders"]
    assert '<span class="warn">' in spans["traffic"]  # its check warned
    assert '<span class="unjudged">' in spans["catalog"] and "not judged" in spans["catalog"]
    assert "2 d after the run date" in spans["feedback"]
    assert not re.search(r"-\d+ d", text)


def test_quality_page_lists_the_newest_state_of_each_check_failures_first(site: Path) -> None:
    text = (site / "quality.html").read_text()
    checks = rows_of(text, 'id="checks"')
    assert [row[:3] for row in checks] == [
        ["failed", "staging/stg_orders", "unique_key"],
        ["warning", "raw/traffic_events", "export_freshness"],
        [
            "passed",
            "marts/conversion_daily",
            "sessions_cover_orders",
        ],  # the old failure is superseded
        ["passed", "raw/orders", "rows_reconcile"],
    ]
    assert checks[0][4] == "2 duplicate keys, e.g. [e-mail hidden]"
    assert "old failure" not in text
    assert kpis_of(site / "quality.html")["checks_failed"] == "1"
    assert "Filter: the newest evaluation of each check; failed first · 4 rows" in text


def test_quality_page_reconciles_rows_and_shows_quarantine_examples_with_file_and_line(
    site: Path,
) -> None:
    text = (site / "quality.html").read_text()
    assert rows_of(text, "<h2>Row reconciliation</h2>") == [
        ["orders", "2", "200", "197", "3", "0", "0"],  # 120 + 80 read, 118 + 79 loaded
        ["traffic", "1", "500", "500", "0", "0", "0"],
    ]
    assert rows_of(text, "<h2>Quarantine by reason</h2>") == [
        [
            "orders",
            "country",
            "country &quot;[e-mail hidden]&quot; is not a known country",
            "1",
            "[e-mail hidden]",
            "orders/2011-01-10.csv:9",
        ],
        [
            "orders",
            "customer_email",
            "value in a personal-data column (details hidden)",
            "1",
            "(hidden)",
            "orders/2011-01-10.csv:7",
        ],
        [
            "orders",
            "customer_name",
            "value in a personal-data column (details hidden)",
            "1",
            "(hidden)",
            "orders/2011-01-03.csv:40",
        ],
        [
            "orders",
            "quantity",
            "quantity &quot;six&quot; is not a number",
            "1",
            "six",
            "orders/2011-01-03.csv:18",
        ],
    ]
    assert rows_of(text, "<h2>Export freshness</h2>")[1] == [
        "traffic",
        "1",
        "2011-01-03",
        "2011-01-03",
        "7",
        "12",
    ]


def test_sales_page_compares_the_last_28_days_with_the_28_before(site: Path) -> None:
    text = (site / "sales.html").read_text()
    kpis = kpis_of(site / "sales.html")
    assert kpis == {"net_sales": "150.00", "orders": "4", "units": "20", "aov": "41.25"}
    assert "– no previous period" in text  # orders_daily has no day before 2011-01-03
    assert rows_of(text, "<h2>Top SKUs</h2>") == [
        ["22423", "80.00", "0.00", "80.00", "–", "8", "0"],
        ["85123A", "60.00", "100.00", "-40.00", "-40.0 %", "20", "30"],
        ["84879", "0.00", "10.00", "-10.00", "-100.0 %", "0", "5"],
    ]
    assert [row[0] for row in rows_of(text, "<h2>Declining SKUs</h2>")] == ["85123A", "84879"]
    assert rows_of(text, "<h2>Declining categories</h2>") == [
        ["Decor", "60.00", "110.00", "-50.00", "-45.5 %", "20", "35"],
    ]
    assert [row[0] for row in rows_of(text, "<h2>Top categories</h2>")] == [
        "Kitchen &amp; &lt;Dining&gt;",
        "Decor",
    ]
    assert "POST" not in text  # not a product
    for div_id in ("chart-weekly-sales", "chart-top-sku", "chart-top-category"):
        assert f'id="{div_id}"' in text


def test_overview_shows_the_change_against_the_previous_28_days(publish_warehouse) -> None:
    # One UK order of 50.00 on 2010-12-06, inside the previous period (2010-11-16..12-13),
    # in both order marts (the tiles read the one split by customer type).
    site = publish_warehouse(
        sql="insert into marts.orders_daily"
        " (day, country, orders, units, gross_sales, discounts, net_sales, aov)"
        " values ('2010-12-06', 'United Kingdom', 1, 3, 50.0, 0.0, 50.0, 50.0);"
        " insert into marts.orders_by_customer_type_daily"
        " values ('2010-12-06', 'United Kingdom', 'new', 1, 3, 50.0, 0.0, 0.0, 50.0)"
    )
    text = (site / "index.html").read_text()

    def change(kpi: str) -> str:
        tile = text[text.index(f'data-kpi="{kpi}"') :]
        return re.search(r'<div class="change"[^>]*>([^<]*)</div>', tile).group(1)

    assert change("orders") == "▲ 300.0 % vs previous"  # 4 vs 1
    assert change("net_sales") == "▲ 200.0 % vs previous"  # 150 vs 50
    assert change("aov") == "▼ 17.5 % vs previous"  # (115 + 30 + 20) / 4 = 41.25 vs 50.00
    assert change("sessions") == "– no previous period"
    assert change("returning_customer_rate") == "▲ 33.3 vs previous"  # 33.3 % vs 0 %: points
    tile = text[text.index('data-kpi="net_sales"') :]
    assert tile.index("<svg") < tile.index('data-kpi="aov"')  # a sparkline of daily net sales
