"""Inventory layer: reorder recommendations from the demand forecast and today's stock."""


import dagster as dg
from dagster_duckdb import DuckDBResource

from assets.warehouse import query, scalar, table_result, write_frame
from forecasting.demand import abc_classes
from forecasting.reorder import reorder_recommendations as recommend
from pipelines.pools import DUCKDB_POOL
from pipelines.resources import RunPaths


@dg.asset(
    key=["inventory", "reorder_recommendations"],
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
        "One row per SKU to order now: on hand, reorder point, quantity to order (MOQ and "
        "pack rounded), order-by date and the reason in words. The stock is the latest "
        "inventory snapshot; ABC classes by revenue over the forecasting history window."
    ),
)
def reorder_recommendations(context: dg.AssetExecutionContext, paths: RunPaths, duckdb: DuckDBResource):
    settings = paths.settings()
    cfg = settings.inventory
    with duckdb.get_connection() as con:
        forecast = query(con, "select * from forecasts.demand_forecast")
        catalog = query(con, "select * from staging.stg_catalog")
        as_of = scalar(con, "select max(snapshot_date) from staging.stg_inventory")
        stock = query(
            con,
            "select sku, cast(sum(on_hand) as bigint) as on_hand, cast(sum(on_order) as bigint) as on_order "
            "from staging.stg_inventory where snapshot_date = ? group by sku",
            [as_of],
        )
        revenue = query(
            con,
            "select sku, sum(revenue) as revenue from marts.sku_demand_daily "
            "where day > (select max(day) from marts.sku_demand_daily) - ? group by sku",
            [settings.forecasting.history_days],
        )
    if as_of is None:
        raise ValueError(
            "no inventory snapshot in staging.stg_inventory: drop an inventory export "
            "(inventory/YYYY-MM-DD.csv with sku, on_hand) so stock positions are known"
        )
    recommendations = recommend(
        forecast,
        catalog,
        stock,
        abc_classes(revenue),
        as_of=as_of,
        service_level_by_class=cfg.service_level,
        review_period_days=cfg.review_period_days,
        trading_weekdays=settings.forecasting.trading_weekdays,
        policy=cfg.policy,
        holding_cost_rate=cfg.holding_cost_rate,
        order_cost=cfg.order_cost,
    )
    context.log.info(f"{recommendations.height} SKUs to order as of {as_of}")
    with duckdb.get_connection() as con:
        write_frame(con, "inventory", "reorder_recommendations", recommendations)
        return table_result(
            con,
            "inventory",
            "reorder_recommendations",
            as_of=str(as_of),
            order_value=dg.MetadataValue.float(float(recommendations["order_value"].sum() or 0.0)),
        )
