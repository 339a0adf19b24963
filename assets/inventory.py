"""Inventory layer: reorder recommendations from the demand forecast and today's stock, and
the demand history and catalog terms they and the policy backtest (assets/policy_backtest.py)
plan from."""

import datetime as dt

import dagster as dg
import duckdb
import polars as pl
from dagster_duckdb import DuckDBResource

from assets.warehouse import table_result
from config.pools import DUCKDB_POOL
from config.resources import RunPaths, SettingsResource
from config.settings import ForecastingSettings, InventorySettings, Settings
from contract.feeds import provided_feeds
from forecasting.buckets import DAY, planning_weekdays
from forecasting.demand import abc_classes
from forecasting.purchase_orders import purchase_orders
from forecasting.reorder import OUTPUT_SCHEMA as REORDER_SCHEMA
from forecasting.reorder import reorder_recommendations as recommend
from forecasting.reorder_inputs import assumed_catalog
from forecasting.suppliers import (
    TERMS_SCHEMA,
    supplier_lead_times,
    supplier_terms,
    with_supplier,
)
from reports.pages.reorder.archive import archive_list, previous_list
from reports.pages.reorder.changes import CHANGES_SCHEMA, list_changes
from reports.pages.reorder.purchase_order_files import purchase_order_lines, write_purchase_orders
from warehouse.frames import query, scalar, write_frame

# The demand the reorder levels plan from: trading days, or every day ($every_day) when
# the forecast is not in daily buckets (forecasting.buckets.planning_weekdays).
TRADING_DEMAND = (
    "select sku, day, cast(greatest(units, 0) as double) as units "
    "from marts.sku_demand_daily where (is_trading_day or $every_day)"
)


# What forecasting.reorder_inputs.demand_history reads of that history for a plan as of
# $as_of over the last $days trading days: every row of those days, and each SKU's first row
# up to $as_of (from which its days without a row count as zero demand, before it as
# unknown). It gives the same matrix as the whole history (tests/assets/test_planning_window.py)
# from the window's rows, not every SKU-day since the shop began.
PLANNING_WINDOW = f"""
with known as ({TRADING_DEMAND} and day <= $as_of),
window_start as (
    select min(day) as day from (select distinct day from known order by day desc limit $days)
)
select * from known where day >= (select day from window_start)
union all
select known.* from known
semi join (select sku, min(day) as day from known group by sku) as first_rows using (sku, day)
where known.day < (select day from window_start)
"""


def planning_days(forecasting: ForecastingSettings) -> dict[str, bool]:
    """`TRADING_DEMAND`'s parameter: every day counts unless the buckets are days."""
    return {"every_day": forecasting.bucket != DAY}


def planning_history(
    con: duckdb.DuckDBPyConnection, forecasting: ForecastingSettings
) -> pl.DataFrame:
    """sku, day, units: the demand history the policy backtest replays (trading days in
    daily buckets, every day otherwise)."""
    return query(con, TRADING_DEMAND, planning_days(forecasting))


def planning_window(
    con: duckdb.DuckDBPyConnection, run_settings: Settings, as_of: dt.date
) -> pl.DataFrame:
    """The rows of :func:`planning_history` a plan as of `as_of` reads (`PLANNING_WINDOW`):
    the inventory's distribution window of trading days and each SKU's first row. The
    reorder list and the overstock table plan from it."""
    parameters = planning_days(run_settings.forecasting) | {
        "as_of": as_of,
        "days": run_settings.inventory.backtest_distribution_days,
    }
    return query(con, PLANNING_WINDOW, parameters)


# Each SKU's last day with units sold: the overstock table's slow movers, which the reorder
# list never orders.
LAST_SALES = (
    "select sku, max(day) filter (where units_sold > 0) as last_sale_date "
    "from marts.sku_demand_daily group by sku"
)
# The products a shop without a catalog sells, each with its latest description.
SOLD_PRODUCTS = (
    "select sku, arg_max(description, ordered_at) as description "
    "from staging.stg_order_lines where is_product group by sku"
)


def catalog_or_assumed(con: duckdb.DuckDBPyConnection, cfg: InventorySettings) -> pl.DataFrame:
    """staging.stg_catalog, or assumed terms for every product sold when it is empty (no
    catalog sent; a catalog sent whose rows were all quarantined fails its quarantine check
    before this runs). A row without a lead time takes its supplier's from the settings."""
    catalog = query(con, "select * from staging.stg_catalog")
    if not catalog.is_empty():
        return supplier_lead_times(catalog, cfg.suppliers)
    return assumed_catalog(query(con, SOLD_PRODUCTS), cfg)


REORDER_INPUTS = [
    dg.AssetKey(["forecasts", "demand_forecast"]),
    dg.AssetKey(["staging", "stg_catalog"]),
    dg.AssetKey(["staging", "stg_inventory"]),
    dg.AssetKey(["marts", "sku_demand_daily"]),
    dg.AssetKey(["inventory", "feedback_guard"]),
    dg.AssetKey(["inventory", "sku_customer_value"]),
]
# What the list carries about each SKU beyond its stock (forecasting/reorder_risk.py).
SKU_RISK = (
    "select coalesce(v.sku, g.sku) as sku, v.high_value_revenue_share, "
    "g.review_before_reordering, g.feedback_evidence "
    "from inventory.sku_customer_value as v "
    "full join inventory.feedback_guard as g on v.sku = g.sku"
)


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            ["inventory", "reorder_recommendations"],
            group_name="inventory",
            deps=REORDER_INPUTS,
            kinds={"duckdb"},
            description=(
                "One row per SKU to order now: on hand, reorder point, quantity to order (MOQ "
                "and pack rounded), order-by date and the reason in words. Levels by the policy "
                "inventory.policy_backtest validates as `recommended` (empirical lead-time "
                "demand, service per ABC class allocated by stock value); the forecast gives "
                "cover and order-by. The stock is the latest inventory snapshot; ABC classes by "
                "revenue over the forecasting history window. A shop without an inventory feed "
                "gets one row per SKU with its levels and stock unknown; without a catalog, the "
                "inventory.assumed_* terms, flagged catalog_assumed. Each list is also archived "
                "as <data dir>/reorder/<as-of date>.csv, a re-run of the same date replacing it."
            ),
        ),
        dg.AssetSpec(
            ["inventory", "reorder_changes"],
            group_name="inventory",
            deps=REORDER_INPUTS,
            kinds={"duckdb"},
            description=(
                "One row per SKU on the current reorder list or the previous one (the archived "
                "list with the latest as-of date before this one's): new, dropped, quantity up, "
                "quantity down or unchanged, with both order quantities and the two as-of "
                "dates. Without an earlier list the change is empty on every row."
            ),
        ),
        dg.AssetSpec(
            ["inventory", "purchase_orders"],
            group_name="inventory",
            deps=REORDER_INPUTS,
            kinds={"duckdb"},
            description=(
                "One row per supplier and order date: the draft purchase order of the reorder "
                "list's funded lines (lines, units, value to the cent, lines pulled forward to "
                "meet the supplier's minimum, the minimum and whether it is met, the "
                "supplier's order days, expected delivery). Supplier terms: settings "
                "inventory.suppliers, catalog supplier_* columns overriding. Each supplier's "
                "lines are also written as <data dir>/purchase_orders/<supplier>.csv and .xlsx."
            ),
        ),
        dg.AssetSpec(
            ["inventory", "purchase_order_lines"],
            group_name="inventory",
            deps=REORDER_INPUTS,
            kinds={"duckdb"},
            description=(
                "One row per supplier, order date and SKU: the lines of the draft purchase "
                "orders (quantity, unit cost, line value, needed-by date, pulled forward or "
                "not, the pack rounding and the reason)."
            ),
        ),
    ],
    pool=DUCKDB_POOL,
)
def reorder_recommendations(
    context: dg.AssetExecutionContext,
    paths: RunPaths,
    settings: SettingsResource,
    duckdb: DuckDBResource,
):
    run_settings = settings.get()
    with duckdb.get_connection() as con:
        recommendations, as_of, stock_known, terms = _plan(con, run_settings)
    lines = purchase_order_lines(recommendations)
    orders = purchase_orders(recommendations, terms)
    po_files = write_purchase_orders(lines, paths.purchase_orders)
    context.log.info(
        f"{recommendations.height} SKUs to order as of {as_of}"
        if stock_known
        else f"stock unknown: reorder levels of {recommendations.height} SKUs as of {as_of}"
    )
    previous, changes = None, pl.DataFrame(schema=CHANGES_SCHEMA)
    if as_of is not None:  # None: no demand history and no stock counts, so no list
        # Read before this list is archived: a re-run of the same as-of date compares
        # with the list before it, never with itself.
        previous = previous_list(paths.reorder_archive, as_of)
        changes = list_changes(recommendations, as_of, previous)
    with duckdb.get_connection() as con:
        write_frame(con, "inventory", "reorder_recommendations", recommendations)
        write_frame(con, "inventory", "reorder_changes", changes)
        archived = "nothing to archive"
        if as_of is not None:
            path = archive_list(recommendations, paths.reorder_archive, as_of)
            archived = dg.MetadataValue.path(str(path))
        yield _result(
            table_result(
                con,
                "inventory",
                "reorder_recommendations",
                as_of=str(as_of),
                stock_known=stock_known,
                order_value=dg.MetadataValue.float(
                    float(recommendations["order_value"].sum() or 0.0)
                ),
                deferred=dg.MetadataValue.int(int(recommendations["deferred"].sum())),
                archived=archived,
            ),
            "reorder_recommendations",
        )
        counts = changes["change"].drop_nulls().value_counts()
        yield _result(
            table_result(
                con,
                "inventory",
                "reorder_changes",
                as_of=str(as_of),
                previous_as_of=str(previous[0]) if previous else "no earlier list",
                changes=dg.MetadataValue.json(dict(counts.iter_rows())),
            ),
            "reorder_changes",
        )
        write_frame(con, "inventory", "purchase_orders", orders)
        write_frame(con, "inventory", "purchase_order_lines", lines)
        yield _result(
            table_result(
                con,
                "inventory",
                "purchase_orders",
                suppliers=dg.MetadataValue.int(orders["supplier"].n_unique()),
                below_minimum=dg.MetadataValue.int(int((~orders["meets_minimum"]).sum())),
                files=dg.MetadataValue.path(str(paths.purchase_orders)),
                file_count=dg.MetadataValue.int(len(po_files)),
            ),
            "purchase_orders",
        )
        yield _result(
            table_result(
                con,
                "inventory",
                "purchase_order_lines",
                pulled_forward=dg.MetadataValue.int(int(lines["pulled_forward"].sum())),
            ),
            "purchase_order_lines",
        )


def _result(result: dg.MaterializeResult, table: str) -> dg.MaterializeResult:
    return dg.MaterializeResult(
        asset_key=dg.AssetKey(["inventory", table]), metadata=result.metadata
    )


def _plan(
    con: duckdb.DuckDBPyConnection, run_settings: Settings
) -> tuple[pl.DataFrame, dt.date | None, bool, pl.DataFrame]:
    """Today's reorder list, the last day of data it is planned from, whether stock is known,
    and the terms of every supplier in the catalog."""
    cfg = run_settings.inventory
    feeds = provided_feeds(con)
    forecast = query(con, "select * from forecasts.demand_forecast")
    catalog = catalog_or_assumed(con, cfg)
    terms = (
        supplier_terms(with_supplier(catalog, cfg.suppliers), cfg.suppliers)
        if not catalog.is_empty()
        else pl.DataFrame(schema=TERMS_SCHEMA)
    )
    as_of = scalar(con, "select max(snapshot_date) from staging.stg_inventory")
    stock = query(
        con,
        "select sku, cast(sum(on_hand) as bigint) as on_hand, cast(sum(on_order) as bigint) as on_order "
        "from staging.stg_inventory where snapshot_date = ? group by sku",
        [as_of],
    )
    revenue = query(
        con,
        # Summed day by day in date order: a parallel sum of doubles varies in its last
        # bits from run to run, and the ABC class cut-offs compare these sums.
        "select sku, sum(revenue order by day) as revenue from marts.sku_demand_daily "
        "where day > (select max(day) from marts.sku_demand_daily) - ? group by sku",
        [run_settings.forecasting.history_days],
    )
    history_end = scalar(
        con, f"select max(day) from ({TRADING_DEMAND})", planning_days(run_settings.forecasting)
    )
    if as_of is None and "inventory" in feeds:  # sent, yet nothing usable: a broken feed
        raise ValueError(
            "inventory files were loaded but staging.stg_inventory has no snapshot: fix the "
            "inventory export (inventory/YYYY-MM-DD.csv with sku, on_hand) and rerun"
        )
    stock_known = as_of is not None
    if not stock_known:
        # No stock counts: the levels are planned as of the last demand day.
        as_of, stock = history_end, None
    if history_end is None:  # no orders feed, or no sales yet: nothing to plan from
        return pl.DataFrame(schema=REORDER_SCHEMA), as_of, stock_known, terms
    # Stock counted before any demand leaves the window empty: demand_history then says so.
    history = planning_window(con, run_settings, as_of)
    recommendations = recommend(
        forecast,
        history,
        catalog,
        stock,
        abc_classes(revenue),
        as_of,
        cfg,
        planning_weekdays(run_settings.forecasting),
        query(con, SKU_RISK),
        query(con, LAST_SALES),
    )
    return recommendations, as_of, stock_known, terms
