"""Inventory layer, beside the reorder list: overstock and slow movers, each SKU's share of
revenue from high-value customers, and the feedback guard. The reorder list reads the last
two; the policy backtest reads the customer-value share."""

import dagster as dg
import duckdb
import polars as pl
from dagster_duckdb import DuckDBResource

from assets.inventory import LAST_SALES, catalog_or_assumed, planning_window
from assets.warehouse import table_result
from config.pools import DUCKDB_POOL
from config.resources import SettingsResource
from config.settings import Settings
from forecasting.buckets import planning_weekdays
from forecasting.customer_value import sku_customer_value as customer_value_by_sku
from forecasting.demand_rate import planning_demand_rate
from forecasting.feedback_guard import GUARD_SCHEMA, return_stats
from forecasting.feedback_guard import feedback_guard as judge_feedback
from forecasting.overstock import OVERSTOCK_SCHEMA
from forecasting.overstock import overstock as overstock_table
from warehouse.frames import query, scalar, write_frame

# The day the reorder list is planned as of: the newest stock count, else the last demand day.
AS_OF = (
    "select coalesce((select max(snapshot_date) from staging.stg_inventory), "
    "(select max(day) from marts.sku_demand_daily))"
)
# Sale lines over the ABC classes' revenue window (forecasting.history_days), each with a
# unique key that fixes the order their money is added in.
SALE_LINES = (
    "select sku, customer_key, line_amount as amount, order_id || ':' || line_number as line_id "
    "from staging.stg_order_lines "
    "where is_product and order_status = 'placed' and quantity > 0 and unit_price > 0 "
    "and order_date > (select max(order_date) from staging.stg_order_lines) - ?"
)
REVIEWS = (
    "select sku, submitted_date, rating from staging.stg_feedback "
    "where feedback_type = 'review' and rating is not null and sku is not null"
)
# Returned units leave out cancellations that reversed an order mistake (not a verdict on
# the product): units_cancelled - units_reversed.
RETURNS = (
    "select sku, day, orders, units_sold, units_cancelled - units_reversed as units_returned "
    "from marts.sku_demand_daily"
)


@dg.asset(
    key=["inventory", "sku_customer_value"],
    group_name="inventory",
    deps=[dg.AssetKey(["marts", "customers"]), dg.AssetKey(["staging", "stg_order_lines"])],
    pool=DUCKDB_POOL,
    kinds={"duckdb"},
    description=(
        "One row per SKU sold over the ABC revenue window (forecasting.history_days): its "
        "revenue and the share of it bought by high-value customers, the top "
        "inventory.high_value_customer_share of marts.customers by CLV (by spend when the "
        "shop's CLV could not be modelled: value_basis says which). Ranks the reorder list "
        "under a budget cap."
    ),
)
def sku_customer_value(
    context: dg.AssetExecutionContext, settings: SettingsResource, duckdb: DuckDBResource
):
    run_settings = settings.get()
    with duckdb.get_connection() as con:
        sales = query(con, SALE_LINES, [run_settings.forecasting.history_days])
        customers = query(con, "select * from marts.customers")
    table = customer_value_by_sku(
        sales, customers, run_settings.inventory.high_value_customer_share
    )
    basis = table["value_basis"][0] if table.height else "no sales"
    context.log.info(f"high-value customers ranked by {basis}")
    with duckdb.get_connection() as con:
        write_frame(con, "inventory", "sku_customer_value", table)
        return table_result(con, "inventory", "sku_customer_value", value_basis=basis)


@dg.asset(
    key=["inventory", "feedback_guard"],
    group_name="inventory",
    deps=[
        dg.AssetKey(["staging", "stg_feedback"]),
        dg.AssetKey(["staging", "stg_inventory"]),
        dg.AssetKey(["marts", "sku_demand_daily"]),
    ],
    pool=DUCKDB_POOL,
    kinds={"duckdb"},
    description=(
        "One row per SKU with enough reviews or orders to judge: its mean rating and return "
        "rate over the last inventory.feedback_window_days days to the reorder list's as-of "
        "day against its own history before them; review_before_reordering when either got "
        "worse by more than inventory.feedback_standard_errors standard errors, with the "
        "numbers in feedback_evidence."
    ),
)
def feedback_guard(
    context: dg.AssetExecutionContext, settings: SettingsResource, duckdb: DuckDBResource
):
    cfg = settings.get().inventory
    with duckdb.get_connection() as con:
        as_of = scalar(con, AS_OF)
        # No day to judge as of (no orders, no stock): an empty table.
        table = (
            pl.DataFrame(schema=GUARD_SCHEMA)
            if as_of is None
            else judge_feedback(
                query(con, REVIEWS), return_stats(con, RETURNS, as_of, cfg), as_of, cfg
            )
        )
    flagged = int(table["review_before_reordering"].sum())
    context.log.info(f"feedback guard as of {as_of}: {flagged} of {table.height} SKUs flagged")
    with duckdb.get_connection() as con:
        write_frame(con, "inventory", "feedback_guard", table)
        return table_result(
            con,
            "inventory",
            "feedback_guard",
            as_of=str(as_of),
            flagged=dg.MetadataValue.int(flagged),
        )


@dg.asset(
    key=["inventory", "overstock"],
    group_name="inventory",
    deps=[
        dg.AssetKey(["forecasts", "demand_forecast"]),
        dg.AssetKey(["staging", "stg_catalog"]),
        dg.AssetKey(["staging", "stg_inventory"]),
        dg.AssetKey(["marts", "sku_demand_daily"]),
    ],
    pool=DUCKDB_POOL,
    kinds={"duckdb"},
    description=(
        "One row per product in stock on the newest inventory snapshot with stock beyond "
        "inventory.overstock_cover_days of its planning demand rate (demand_basis: the "
        "forecast where reliable, else its own history; the reorder list reads the same "
        "rate and never orders a SKU listed here), or no sale in "
        "inventory.slow_mover_days: the excess units and their value at unit cost (capital "
        "tied), what returning them (inventory.return_credit_share of cost, full cost when "
        "unknown) or marking them down (inventory.markdown_discount off the unit price) would "
        "bring back. Empty without stock counts."
    ),
)
def overstock(
    context: dg.AssetExecutionContext, settings: SettingsResource, duckdb: DuckDBResource
):
    run_settings = settings.get()
    with duckdb.get_connection() as con:
        table = _overstock(con, run_settings)
    tied = float(table["excess_value"].sum() or 0.0)
    context.log.info(f"overstock: {table.height} SKUs, {tied:,.2f} tied beyond the cover")
    with duckdb.get_connection() as con:
        write_frame(con, "inventory", "overstock", table)
        return table_result(
            con,
            "inventory",
            "overstock",
            excess_value=dg.MetadataValue.float(round(tied, 2)),
            slow_movers=dg.MetadataValue.int(int(table["no_recent_sale"].sum())),
        )


def _overstock(con: duckdb.DuckDBPyConnection, run_settings: Settings) -> pl.DataFrame:
    """The overstock table as of the newest stock count; empty without stock counts."""
    cfg = run_settings.inventory
    as_of = scalar(con, "select max(snapshot_date) from staging.stg_inventory")
    if as_of is None:
        return pl.DataFrame(schema=OVERSTOCK_SCHEMA)
    stock = query(
        con,
        "select sku, cast(on_hand as bigint) as on_hand from staging.stg_inventory "
        "where snapshot_date = ?",
        [as_of],
    )
    rates = planning_demand_rate(
        query(con, "select sku, day, forecast, reliability_reason from forecasts.demand_forecast"),
        planning_window(con, run_settings, as_of),
        stock["sku"].unique().sort().to_list(),
        as_of,
        cfg,
        planning_weekdays(run_settings.forecasting),
    )
    return overstock_table(
        stock, catalog_or_assumed(con, cfg), rates, query(con, LAST_SALES), as_of, cfg
    )


RISK_ASSETS = [overstock, feedback_guard, sku_customer_value]
