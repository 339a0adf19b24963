"""The warehouse tables the dashboard site reads, listed once.

The Dagster asset `reports/site` depends on the assets that write `ASSET_TABLES`,
`publish_site` checks that the `REQUIRED_TABLES` exist before it writes a page, and
tests/reports/test_inputs.py checks that every table a page's query reads is listed here.

Only marts, forecasts, inventory and quality tables are read, never raw or staging, so no
customer personal data can reach a page.
"""

from __future__ import annotations

import duckdb

# Tables each written by the asset of the same [schema, table] key.
ASSET_TABLES: tuple[str, ...] = (
    "marts.conversion_daily",
    "marts.orders_daily",
    "marts.orders_by_customer_type_daily",
    "marts.customers",
    "marts.clv_model",
    "marts.clv_tracking",
    "marts.clv_conditional",
    "marts.funnel_daily",
    "marts.cart_abandonment_daily",
    "marts.customer_rates_monthly",
    "marts.cohort_retention",
    "marts.feedback_daily",
    "marts.product_ratings",
    "marts.fulfilment_daily",
    "marts.delivery_feedback",
    "marts.sku_demand_daily",
    "marts.sales_by_sku_daily",
    "forecasts.demand_forecast",
    "forecasts.demand_backtest",
    "forecasts.accuracy_summary",
    "forecasts.sku_reliability",
    "forecasts.sku_bucket",
    "inventory.reorder_recommendations",
    "inventory.reorder_changes",
    "inventory.policy_backtest",
    "inventory.purchase_orders",
    "inventory.overstock",
    "inventory.feedback_guard",
    "marts.feedback_text_model",
    "marts.feedback_theme_catalog",
    "marts.feedback_themes",
    "marts.feedback_theme_alerts",
    "marts.feedback_theme_breakdown",
)
# Tables the loader (load log, quarantine) and the checks (their results) keep beside the
# assets they run for; no asset writes them under their own key.
BOOKKEEPING_TABLES: tuple[str, ...] = (
    "quality.load_log",
    "quality.quarantine",
    "quality.check_results",
)
SITE_INPUTS: tuple[str, ...] = ASSET_TABLES + BOOKKEEPING_TABLES
# Read only when present: a warehouse built before the policy backtest existed, or one
# whose checks have not run yet, still publishes, and the page says what is missing.
OPTIONAL_TABLES: frozenset[str] = frozenset(
    {
        "inventory.policy_backtest",
        "quality.check_results",
        # A warehouse built before each SKU's bucket was written: every SKU is daily.
        "forecasts.sku_bucket",
        # The feedback text marts: a warehouse built before them still publishes.
        "marts.feedback_text_model",
        "marts.feedback_theme_catalog",
        "marts.feedback_themes",
        "marts.feedback_theme_alerts",
        "marts.feedback_theme_breakdown",
    }
)
REQUIRED_TABLES: tuple[str, ...] = tuple(t for t in SITE_INPUTS if t not in OPTIONAL_TABLES)


def check_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Fail early, naming every missing table, before any page is written.

    Args:
        con: open connection to the warehouse.

    Raises:
        LookupError: when a table the dashboard needs does not exist.
    """
    present = {
        f"{schema}.{table}"
        for schema, table in con.sql(
            "select table_schema, table_name from information_schema.tables"
        ).fetchall()
    }
    missing = [t for t in REQUIRED_TABLES if t not in present]
    if missing:
        raise LookupError(
            f"dashboard: warehouse table(s) {', '.join(missing)} missing; "
            "materialize the marts, forecasts, inventory and quality assets before publishing"
        )
