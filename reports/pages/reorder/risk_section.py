"""The reorder page's sections on stock risk: overstock and slow movers, the SKUs whose
feedback says to look before reordering, and what ranking by customer value changes when a
budget binds (inventory.overstock, inventory.feedback_guard, inventory.policy_backtest)."""

from __future__ import annotations

import duckdb

from reports.pages.reorder import risk_queries
from reports.site import layout
from reports.site.format import esc, fmt_date, fmt_int, fmt_money, fmt_number, fmt_pct, fmt_text


def fmt_review(value: object) -> str:
    """The feedback guard's flag as the list shows it."""
    return "review first" if value is True else ""


def fmt_yes(value: object) -> str:
    return "yes" if value is True else "no"


OVERSTOCK_COLUMNS: tuple[layout.Column, ...] = (
    ("sku", "SKU", fmt_text, "txt"),
    ("description", "Description", fmt_text, "wide"),
    ("supplier", "Supplier", fmt_text, "mid"),
    ("on_hand", "On hand", fmt_int, "num"),
    ("days_of_cover", "Days of cover", fmt_number, "num"),
    ("excess_units", "Excess units", fmt_int, "num"),
    ("excess_value", "Excess value", fmt_money, "num"),
    ("last_sale_date", "Last sale", fmt_date, "num"),
    ("no_recent_sale", "Slow mover", fmt_yes, "txt"),
    ("return_credit", "Return credit", fmt_money, "num"),
    ("markdown_proceeds", "Markdown proceeds", fmt_money, "num"),
)
FLAG_COLUMNS: tuple[layout.Column, ...] = (
    ("sku", "SKU", fmt_text, "txt"),
    ("on_list", "On the list", fmt_yes, "txt"),
    ("order_qty", "Order qty", fmt_int, "num"),
    ("feedback_evidence", "Evidence", fmt_text, "wide"),
)
BUDGET_COLUMNS: tuple[layout.Column, ...] = (
    ("target_service_level", "Target", fmt_pct, "num"),
    ("policy", "Policy", fmt_text, "txt"),
    ("budget_per_day", "Budget per day", fmt_money, "num"),
    ("fill_rate", "Fill rate", fmt_pct, "num"),
    ("stockout_days", "Stockout SKU-days", fmt_int, "num"),
    ("lost_sales_value", "Lost sales (at cost)", fmt_money, "num"),
    ("high_value_lost_sales_value", "of it high-value customers'", fmt_money, "num"),
    ("avg_inventory_value", "Average stock value", fmt_money, "num"),
)


def overstock_section(con: duckdb.DuckDBPyConnection) -> str:
    """Capital tied in stock beyond the cover, slow movers, and what would free it."""
    rows, totals = risk_queries.overstock(con)
    heading = "<h2>Overstock and slow movers</h2>"
    if rows.is_empty():
        return heading + layout.empty_note(
            "No overstock: no SKU in stock holds more than its cover, and none stopped selling "
            "(or the shop sends no stock counts)."
        )
    tiles = layout.kpi_tiles(
        [
            (
                "overstock_value",
                "Tied beyond the cover",
                fmt_money(totals["excess_value"]),
                f"{fmt_int(totals['skus'])} SKUs, at unit cost",
            ),
            ("slow_movers", "Slow movers", fmt_int(totals["slow_movers"]), "no recent sale"),
            (
                "return_credit",
                "Returning it frees",
                fmt_money(totals["return_credit"]),
                "supplier credit",
            ),
            (
                "markdown_proceeds",
                "Marking it down brings",
                fmt_money(totals["markdown_proceeds"]),
                "if the marked-down units sell",
            ),
        ]
    )
    table = layout.table(
        rows,
        OVERSTOCK_COLUMNS,
        "No overstock.",
        filters=f"top {risk_queries.OVERSTOCK_ROWS} by excess value",
        table_id="overstock-table",
    )
    return f"""{heading}
{tiles}
<p class="meta">Stock on hand on {esc(fmt_date(totals["as_of"]))} beyond the days of cover
the settings name (inventory.overstock_cover_days) at each SKU's planning rate (its forecast
where reliable, else its own recent sales: the rate the reorder list reads, so no SKU here is
on the list), valued at unit cost;
a slow mover has had no sale in inventory.slow_mover_days. Returning the excess credits
inventory.return_credit_share of its cost (full cost when the supplier's rate is unknown);
marking it down brings its unit price less inventory.markdown_discount, if it sells. Every
SKU is in inventory.overstock.</p>
{table}"""


def feedback_section(con: duckdb.DuckDBPyConnection) -> str:
    """The SKUs to review before reordering, with the numbers that flagged them."""
    flagged, judged = risk_queries.flagged_skus(con)
    heading = "<h2>Review before reordering: feedback got worse</h2>"
    rule = (
        f"{judged:,} SKUs had enough reviews or orders to judge. A SKU is flagged when its "
        "mean rating over the recent window fell, or its return rate rose, by more than "
        "inventory.feedback_standard_errors standard errors against its own history."
    )
    if flagged.is_empty():
        return heading + layout.empty_note(f"No SKU flagged. {rule}")
    on_list = int(flagged["on_list"].sum())
    table = layout.table(flagged, FLAG_COLUMNS, "No SKU flagged.", table_id="guard-table")
    return f"""{heading}
<p class="meta" data-guard>{
        esc(
            f"{flagged.height} SKUs flagged, {on_list} of them on the "
            f"reorder list (marked 'review first' there; their orders are still proposed). {rule}"
        )
    }</p>
{table}"""


def budget_section(con: duckdb.DuckDBPyConnection) -> str:
    """The policy backtest under a budget: ranking by risk vs by risk x customer value."""
    rows = risk_queries.budget_rows(con)
    heading = "<h2>Who a stockout hurts: ranking under a budget</h2>"
    rule = (
        "Under a budget cap (inventory.budget_cap) orders are funded by stockout risk x value "
        "x (1 + inventory.budget_customer_weight x the SKU's share of revenue from high-value "
        "customers: the top inventory.high_value_customer_share by CLV, or by spend when no "
        "CLV model fits); the list shows that share per SKU."
    )
    if rows.is_empty():
        return heading + layout.empty_note(f"No budget replay in the policy backtest. {rule}")
    table = layout.table(
        rows,
        BUDGET_COLUMNS,
        "No budget replay.",
        table_id="budget-table",
    )
    return f"""{heading}
<p class="meta">{esc(rule)} The policy backtest replays the recommended policy with an
open-to-buy of inventory.backtest_budget_share of what it spent uncapped, ranked both ways:
lost sales are at unit cost, and "high-value customers'" is the part of them those customers
would have bought.</p>
{table}"""


def risk_sections(con: duckdb.DuckDBPyConnection) -> str:
    """The three sections, in page order."""
    return overstock_section(con) + feedback_section(con) + budget_section(con)
