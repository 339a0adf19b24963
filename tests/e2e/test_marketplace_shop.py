"""A marketplace seller's own exports go through on the first try: the real CLI on a small
version of the seeded marketplace export (tests/e2e/marketplace_export.py), read through
mapping files only, with no inventory, catalog or traffic feed and no settings file."""

from __future__ import annotations

import csv

import duckdb
import polars as pl
import pytest

from contract.feeds import missing_feed_line
from pipelines.cli import main
from tests.e2e.marketplace_export import write_marketplace_exports

pytestmark = pytest.mark.e2e

ORDERS = 40


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    root = tmp_path_factory.mktemp("marketplace")
    exports = write_marketplace_exports(root / "exports", orders=ORDERS, skus=4)
    code = main(["run", "--exports", str(exports), "--data-dir", str(root / "data")])
    return code, exports, root / "data"


def _query(data, sql: str) -> list[tuple]:
    with duckdb.connect(str(data / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_first_run_exits_0_and_publishes_the_site(shop):
    # Bug caught: a shop with mapped exports and no inventory/catalog/traffic failing a run.
    code, _, data = shop
    assert code == 0
    assert (data / "site" / "index.html").exists()
    assert _query(data, "select count(*) from quality.check_results where not passed") == [(0,)]


def test_pages_name_the_missing_feeds(shop):
    # Bug caught: pages without their feed going blank instead of naming what to send.
    _, _, data = shop
    site = data / "site"
    reorder = (site / "reorder.html").read_text()
    assert missing_feed_line("inventory") in reorder and missing_feed_line("catalog") in reorder
    assert missing_feed_line("traffic") in (site / "funnel.html").read_text()
    assert missing_feed_line("catalog") in (site / "sales.html").read_text()
    feedback = (site / "feedback.html").read_text()
    assert missing_feed_line("feedback") not in feedback
    assert missing_feed_line("shipments") not in feedback


def test_one_multi_year_file_lands_each_order_on_its_own_day(shop):
    # Bug caught: a full-history file loaded under one day (or refused for its name).
    _, exports, data = shop
    with (exports / "orders" / "all_orders.csv").open() as rows:
        days = {row["order_purchase_timestamp"][:10] for row in csv.DictReader(rows)}
    loaded = _query(
        data,
        "select distinct strftime(_export_date, '%Y-%m-%d') from raw.orders "
        "where _export_date = cast(ordered_at as date)",
    )
    assert {day for (day,) in loaded} == days
    assert {day[:4] for day in days} == {"2023", "2024"}
    logged = _query(
        data, "select count(*) from quality.load_log where file = 'orders/all_orders.csv'"
    )
    assert logged == [(len(days),)]


def test_brl_net_sales_are_the_export_prices(shop):
    # Bug caught: a non-GBP shop quarantined, relabelled or converted instead of summed as is.
    _, exports, data = shop
    with (exports / "orders" / "all_orders.csv").open() as rows:
        expected = sum(
            float(row["price"])
            for row in csv.DictReader(rows)
            if row["order_status"] not in ("canceled", "unavailable")
        )
    assert _query(data, "select distinct currency from staging.stg_order_lines") == [("BRL",)]
    (net,) = _query(data, "select sum(net_sales) from marts.sales_by_sku_daily")[0]
    assert net == pytest.approx(expected)


def test_in_transit_passes_and_delivered_before_shipped_is_quarantined(shop):
    # Bug caught: an empty delivered date quarantined, or an impossible delivery loaded.
    _, exports, data = shop
    with (exports / "shipments" / "all_shipments.csv").open() as rows:
        in_transit = [
            r["order_id"] for r in csv.DictReader(rows) if not r["order_delivered_customer_date"]
        ]
    assert in_transit
    loaded = _query(data, "select order_id from raw.shipments where delivered_at is null")
    assert sorted(order for (order,) in loaded) == sorted(in_transit)
    reasons = _query(data, "select reason from quality.quarantine where kind = 'shipments'")
    assert len(reasons) == 1
    assert "is before shipped_at" in reasons[0][0]


def test_reorder_list_gives_levels_with_stock_unknown_and_assumed_terms(shop):
    # Bug caught: no reorder list without an inventory or catalog feed.
    _, _, data = shop
    levels = pl.read_csv(data / "reorder_recommendations.csv")
    assert levels.height > 0
    assert levels["reorder_point"].null_count() == 0
    assert levels["on_hand"].null_count() == levels.height
    assert levels["catalog_assumed"].all()
    assert all(
        reason.startswith("Stock unknown (no inventory feed)") for reason in levels["reason"]
    )
