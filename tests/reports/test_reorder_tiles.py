"""The reorder page's KPI tiles, read from the site published from the tiny warehouse
(tests/reports/tiny_demand.py: three SKUs to reorder, 85123A 244.80 and 84879 27.04 from
Harbourside Imports by 2011-01-16, 22423 438.00 from Kent <Kitchen> & Co by 2011-01-15),
against values worked out by hand."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from tests.reports.test_kpi_tiles import tiles

# A third draft purchase order, Harbourside's next one, below its supplier's minimum.
SECOND_ORDER = """
insert into inventory.purchase_orders (supplier, order_date, lines, units, order_value,
  pulled_forward_lines, min_order_value, min_order_qty, meets_minimum)
values ('Harbourside Imports', '2011-01-20', 1, 10, 50.0, 0, 250.0, 0, false);
"""


REORDER_TILES = ("skus_to_reorder", "order_value", "purchase_orders", "first_order_by")
LEVEL_TILES = ("skus_with_levels", "on_hand", "terms_assumed")


def hint(html: str, key: str) -> str:
    return re.search(rf'data-kpi="{key}">.*?<div class="hint">([^<]*)</div>', html).group(1)


def test_reorder_list_tiles(publish_warehouse: Callable[..., Path]) -> None:
    """Catches: the order value summed over the purchase orders instead of the list (759.84
    with the third order), the suppliers counted as purchase orders, an order below its
    minimum not named, the latest order-by date shown for the earliest."""
    html = (publish_warehouse(sql=SECOND_ORDER) / "reorder.html").read_text()
    assert {key: tiles(html)[key] for key in REORDER_TILES} == {
        "skus_to_reorder": "3",
        "order_value": "709.84",  # 244.80 + 438.00 + 27.04
        "purchase_orders": "3",  # Kent's, and Harbourside's two
        "first_order_by": "2011-01-15",  # 22423's (the others' 2011-01-16)
    }
    assert hint(html, "purchase_orders") == "2 suppliers, 1 below minimum"


def test_reorder_level_tiles_of_a_shop_without_stock_counts(
    publish_warehouse: Callable[..., Path],
) -> None:
    """Catches: SKUs on assumed terms counting every SKU, or a SKU whose terms are unknown
    (no flag), and a shop without stock counts shown a reorder list instead of levels."""
    html = (
        publish_warehouse(
            sql="update inventory.reorder_recommendations set on_hand = null, order_qty = null,"
            " catalog_assumed = case sku when '85123A' then false when '22423' then true end"
        )
        / "reorder.html"
    ).read_text()
    shown = tiles(html)
    assert "skus_to_reorder" not in shown
    assert {key: shown[key] for key in LEVEL_TILES} == {
        "skus_with_levels": "3",
        "on_hand": "unknown",
        # 22423 only: 85123A has its catalog row, 84879's flag is unknown (not counted)
        "terms_assumed": "1",
    }
