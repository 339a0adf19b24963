"""Forecasts layer: the model backtest, its accuracy report, and the daily demand forecast."""

import time

import dagster as dg
import polars as pl
from dagster_duckdb import DuckDBResource

from assets import backtest_cadence
from assets.sql_asset import RebuildConfig
from assets.warehouse import table_result
from config.pools import DUCKDB_POOL
from config.resources import SettingsResource
from config.settings import ForecastingSettings
from forecasting.demand import classify_demand, demand_series
from forecasting.evaluation import evaluate_models
from forecasting.forecast import forecast_demand
from forecasting.selection import SELECTED, class_choices
from warehouse.frames import query, write_frame

DEMAND_SQL = (
    "select sku, day, is_trading_day, is_partial_day, demand_units, is_stockout "
    "from marts.sku_demand_daily"
)


def _series(duckdb: DuckDBResource, cfg: ForecastingSettings) -> tuple[pl.DataFrame, pl.DataFrame]:
    with duckdb.get_connection() as con:
        demand = query(con, DEMAND_SQL)
    return demand, demand_series(
        demand, history_days=cfg.history_days, min_active_days=cfg.min_active_days
    )


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            ["forecasts", "demand_backtest"],
            group_name="forecasts",
            deps=[dg.AssetKey(["marts", "sku_demand_daily"])],
            kinds={"duckdb", "statsforecast"},
            description=(
                "One row per SKU, model and backtest window: actual units, forecast units, "
                "absolute error (daily and on 7-day sums), error, seasonal-naive scale and MASE. "
                "Rolling-origin windows of horizon_days; the last is the holdout, on which the "
                "model `selected` (the mean of the class's best models, chosen on the earlier "
                "windows) is judged beside every candidate. Run again when the history has "
                "moved forecasting.backtest_every_days days (assets/backtest_cadence.py)."
            ),
        ),
        dg.AssetSpec(
            ["forecasts", "accuracy_summary"],
            group_name="forecasts",
            deps=[dg.AssetKey(["marts", "sku_demand_daily"])],
            kinds={"duckdb"},
            description=(
                "One row per model (candidates and `selected`) per demand-pattern class and "
                "`all`: WAPE, WAPE on 7-day sums, MASE, bias, WAPE relative to seasonal naive, "
                "the holdout's first and last day and the SKU count."
            ),
        ),
    ],
    pool=DUCKDB_POOL,
)
def demand_backtest(
    context: dg.AssetExecutionContext,
    config: RebuildConfig,
    settings: SettingsResource,
    duckdb: DuckDBResource,
):
    cfg = settings.get().forecasting
    with duckdb.get_connection() as con:
        history = backtest_cadence.history(con)
        run, reason = backtest_cadence.due(con, cfg, history, config.full_rebuild)
        context.log.info(f"model backtest: {reason}")
        if not run:
            for table in backtest_cadence.TABLES:
                yield _result(
                    table_result(con, "forecasts", table, build="kept", build_reason=reason), table
                )
            return
    _, series = _series(duckdb, cfg)
    started = time.perf_counter()
    evaluation = evaluate_models(series, cfg)
    seconds = time.perf_counter() - started
    summary = evaluation.accuracy_summary
    overall = summary.filter(pl.col("demand_pattern") == "all").select("model", "wape", "wape_7d")
    context.log.info(
        f"backtest of {series['unique_id'].n_unique()} SKUs in {seconds:.1f} s:\n{overall}"
    )
    built = {"build": "backtest", "build_reason": reason}
    with duckdb.get_connection() as con:
        write_frame(con, "forecasts", "demand_backtest", evaluation.backtest)
        write_frame(con, "forecasts", "accuracy_summary", summary)
        backtest_cadence.record(con, cfg, history)
        yield _result(
            table_result(
                con,
                "forecasts",
                "demand_backtest",
                seconds=dg.MetadataValue.float(seconds),
                **built,
            ),
            "demand_backtest",
        )
        yield _result(
            table_result(con, "forecasts", "accuracy_summary", **built), "accuracy_summary"
        )


def _result(result: dg.MaterializeResult, table: str) -> dg.MaterializeResult:
    return dg.MaterializeResult(
        asset_key=dg.AssetKey(["forecasts", table]), metadata=result.metadata
    )


@dg.asset(
    key=["forecasts", "demand_forecast"],
    group_name="forecasts",
    deps=[
        dg.AssetKey(["marts", "sku_demand_daily"]),
        dg.AssetKey(["forecasts", "demand_backtest"]),
    ],
    pool=DUCKDB_POOL,
    kinds={"duckdb", "statsforecast"},
    description=(
        "One row per active SKU per future trading day: mean forecast, 80 % and 95 % "
        "prediction bounds, the model (or mean of models) used and the SKU's demand pattern. "
        "Each pattern class averages its best models on forecasts.demand_backtest; "
        "stockout and partial days are not demand history."
    ),
)
def demand_forecast(
    context: dg.AssetExecutionContext, settings: SettingsResource, duckdb: DuckDBResource
):
    cfg = settings.get().forecasting
    demand, series = _series(duckdb, cfg)
    with duckdb.get_connection() as con:
        backtest = query(
            con,
            "select sku, model, actual, abs_error_7d from forecasts.demand_backtest where model <> ?",
            [SELECTED],
        )
    classes = classify_demand(series)
    choices = class_choices(backtest, classes, cfg.candidate_models, cfg.combine_top)
    context.log.info(f"forecasting {classes.height} SKUs {cfg.horizon_days} trading days ahead")
    forecast = forecast_demand(
        series, classes, choices, cfg.horizon_days, cfg, history_end=demand["day"].max()
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
