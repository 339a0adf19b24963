"""Forecasts layer: daily demand per SKU with prediction intervals (statsforecast)."""


import dagster as dg
import polars as pl
from dagster_duckdb import DuckDBResource

from assets.warehouse import query, table_result, write_frame
from forecasting.demand import classify_demand, demand_series
from forecasting.forecast import forecast_demand
from pipelines.pools import DUCKDB_POOL
from pipelines.resources import RunPaths


@dg.asset(
    key=["forecasts", "demand_forecast"],
    group_name="forecasts",
    deps=[dg.AssetKey(["marts", "sku_demand_daily"])],
    pool=DUCKDB_POOL,
    kinds={"duckdb", "statsforecast"},
    description=(
        "One row per active SKU per future trading day: mean forecast, 80 % and 95 % "
        "prediction bounds, the model used and the SKU's demand pattern. Models are routed "
        "by demand pattern (forecasting/models.py); stockout days are not demand history."
    ),
)
def demand_forecast(context: dg.AssetExecutionContext, paths: RunPaths, duckdb: DuckDBResource):
    cfg = paths.settings().forecasting
    with duckdb.get_connection() as con:
        demand = query(
            con,
            "select sku, day, is_trading_day, units, is_stockout from marts.sku_demand_daily"
        )
    series = demand_series(demand, history_days=cfg.history_days, min_active_days=cfg.min_active_days)
    classes = classify_demand(series)
    context.log.info(f"forecasting {classes.height} SKUs {cfg.horizon_days} trading days ahead")
    forecast = forecast_demand(
        series,
        classes,
        horizon=cfg.horizon_days,
        levels=cfg.levels,
        season_length=cfg.season_length,
        trading_weekdays=cfg.trading_weekdays,
        history_end=demand["day"].max(),
    )
    patterns = classes.group_by("demand_pattern").len().sort("demand_pattern")
    models = forecast.group_by("model").agg(skus=pl.col("sku").n_unique()).sort("model")
    with duckdb.get_connection() as con:
        write_frame(con, "forecasts", "demand_forecast", forecast)
        return table_result(
            con,
            "forecasts",
            "demand_forecast",
            skus=dg.MetadataValue.int(classes.height),
            demand_patterns=dg.MetadataValue.json(dict(patterns.iter_rows())),
            models=dg.MetadataValue.json(dict(models.iter_rows())),
        )
