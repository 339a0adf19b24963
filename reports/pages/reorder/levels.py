"""The reorder page of a shop that sends no stock counts: every SKU's reorder point and
order-up-to level to compare with the merchandiser's own stock, never "nothing to reorder"."""

from __future__ import annotations

import polars as pl

from reports.site import layout
from reports.site.format import fmt_int, fmt_money, fmt_number, fmt_pct, fmt_text
from reports.site.layout import kpi_tiles
from reports.site.widgets import interactive_table

LEVEL_COLUMNS: tuple[layout.Column, ...] = (
    ("sku", "SKU", fmt_text, "txt"),
    ("description", "Description", fmt_text, "wide"),
    ("supplier", "Supplier", fmt_text, "txt"),
    ("abc_class", "ABC", fmt_text, "txt"),
    ("reorder_point", "Reorder point", fmt_int, "num"),
    ("order_up_to", "Order-up-to", fmt_int, "num"),
    ("reason", "Reason", fmt_text, "wide"),
    ("lead_time_days", "Lead time (days)", fmt_number, "num"),
    ("lead_time_demand", "Lead-time demand", fmt_int, "num"),
    ("safety_stock", "Safety stock", fmt_int, "num"),
    ("service_level", "Planned cycle service", fmt_pct, "num"),
    ("unit_cost", "Unit cost", fmt_money, "num"),
    ("catalog_assumed", "Terms assumed", lambda v: "yes" if v else "no", "txt"),
    ("demand_pattern", "Demand pattern", fmt_text, "txt"),
)


def levels_section(levels: pl.DataFrame, downloads: tuple[tuple[str, str], ...]) -> str:
    """Tiles and the table of reorder levels per SKU, saying that on-hand stock is unknown.

    Args:
        levels: inventory.reorder_recommendations of a shop without stock counts (one row
            per SKU, order_qty null).
        downloads: (file, label) links to the reorder list files.

    Returns:
        The section's HTML.
    """
    tiles = kpi_tiles(
        [
            ("skus_with_levels", "SKUs with reorder levels", fmt_int(levels.height), "compare"),
            ("on_hand", "On-hand stock", "unknown", "no inventory feed"),
            (
                "terms_assumed",
                "SKUs on assumed terms",
                fmt_int(int(levels["catalog_assumed"].sum() or 0)),
                "no catalog row",
            ),
        ]
    )
    table = interactive_table(
        levels.sort("reorder_point", "sku", descending=[True, False], nulls_last=True),
        LEVEL_COLUMNS,
        "No SKU with a demand forecast yet.",
        table_id="reorder-table",
        filters=None,
        downloads=downloads,
    )
    return f"""{tiles}
<h2>Reorder levels (on-hand stock unknown)</h2>
<p class="meta">On-hand stock is unknown, so no quantity or order-by date is computed. Order
a SKU when your own count of stock on hand plus on order is at or below its reorder point,
enough to bring it up to the order-up-to level. Sorted by reorder point, largest first.</p>
{table}"""
