"""Forecasts layer: the model backtest, its accuracy report, and the daily demand forecast."""

import contextlib
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import duckdb
import polars as pl
from dagster_duckdb import DuckDBResource

from assets.slow_movers import slow_mover_hint
from assets.sql_asset import RebuildConfig
from assets.warehouse import last_metadata, table_result
from config.pools import DUCKDB_POOL
from config.resources import SettingsResource
from config.settings import ForecastingSettings
from forecasting.bucket_series import HISTORY_START, window_trading_days
from forecasting.bucketed import BucketedDemand, bucket_demand, evaluate_by_bucket
from forecasting.buckets import AUTO, DAY, bucket_plan
from forecasting.evaluation import FORECAST_CHOICE
from forecasting.forecast_batches import FORECAST_BATCH_SKUS, forecast_in_batches
from forecasting.reliability import with_reliability
from forecasting.series_order import is_in_series_order
from incremental.backtest_cadence import TABLES as BACKTEST_TABLES
from incremental.backtest_cadence import (
    BacktestInputs,
    current_inputs,
    decide_backtest,
    tables_present,
)
from incremental.band_cadence import calibration_key, keep_quantiles, kept_quantiles
from incremental.written import replace_recorded
from warehouse.frames import query, replace_table
from warehouse.transaction import transaction

# The demand mart's columns the series are built from.
DEMAND_COLUMNS_SQL = (
    "select sku, day, is_trading_day, is_partial_day, demand_units, is_stockout "
    "from marts.sku_demand_daily"
)
# In series order, so the daily series need no sort (forecasting/series_order.py).
DEMAND_SQL = f"{DEMAND_COLUMNS_SQL} order by sku, day"


def _series(
    con: duckdb.DuckDBPyConnection, cfg: ForecastingSettings
) -> tuple[pl.DataFrame, BucketedDemand]:
    """The demand mart, each SKU's bucket and, per bucket the run uses, its series."""
    demand = query(con, DEMAND_SQL)
    return demand, bucket_demand(demand, cfg)


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
                "Rolling-origin windows of `horizon` buckets; the last is the holdout, on which the "
                "model `selected` (the mean or median of the class's best models, chosen on the earlier "
                "windows) is judged beside every candidate. Runs weekly (the weekly_backtest "
                "schedule); other runs keep it unless its inputs changed "
                "(incremental/backtest_cadence.py)."
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
                "the holdout's first and last day and the SKU count; on `selected` rows the "
                "models it combines and the share of holdout days inside its 80 % and 95 % "
                "bands (coverage_80, coverage_95). `Zero` is the benchmark of forecasting "
                "nothing."
            ),
        ),
        dg.AssetSpec(
            ["forecasts", "model_choice"],
            group_name="forecasts",
            deps=[dg.AssetKey(["marts", "sku_demand_daily"])],
            kinds={"duckdb"},
            description=(
                "One row per demand-pattern class and chosen model, for the holdout "
                "(used_for = holdout: chosen on the windows before it) and for the forecast "
                "(used_for = forecast: on every window): rank, the model's WAPE on 7-day sums, "
                "combined (how many models the class combines, 0 = it forecasts zero), combine "
                "(by their mean or their median) and "
                "that option's WAPE on the windows it was tried on (nested)."
            ),
        ),
        dg.AssetSpec(
            ["forecasts", "sku_reliability"],
            group_name="forecasts",
            deps=[dg.AssetKey(["marts", "sku_demand_daily"])],
            kinds={"duckdb"},
            description=(
                "One row per backtested SKU: its forecast's error on 7-day sums over its "
                "backtest windows against forecasting zero and naive (seasonal naive, or Naive "
                "where the history is shorter than a season), whether it "
                "beats each, reliable (beats both), the days with sales lately and, when not "
                "reliable, the reason in words."
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
    last = BacktestInputs.from_metadata(
        last_metadata(context.instance, ["forecasts", "demand_backtest"])
    )
    with duckdb.get_connection() as con:
        now = current_inputs(con, cfg)
        decision = decide_backtest(
            last,
            now,
            cfg.backtest_every_days,
            forced=config.full_rebuild,
            tables_present=tables_present(con),
        )
        context.log.info(f"model backtest: {decision.reason}")
        if not decision.run:
            # A kept backtest carries forward what the backtest it keeps saw.
            kept = {"build": "kept", "build_reason": decision.reason}
            yield _result(
                table_result(con, "forecasts", "demand_backtest", **kept, **last.as_metadata()),
                "demand_backtest",
            )
            for table in BACKTEST_TABLES[1:]:
                yield _result(table_result(con, "forecasts", table, **kept), table)
            return
    yield from _run_backtest(context, duckdb, cfg, decision.reason, now)


def _run_backtest(
    context: dg.AssetExecutionContext,
    duckdb: DuckDBResource,
    cfg: ForecastingSettings,
    reason: str,
    inputs: BacktestInputs,
):
    """Score every candidate model, write both tables, and record what the backtest saw."""
    with duckdb.get_connection() as con:
        groups = _series(con, cfg)[1].series
    started = time.perf_counter()
    evaluation = evaluate_by_bucket(groups, cfg)
    seconds = time.perf_counter() - started
    summary = evaluation.accuracy_summary
    overall = summary.filter(pl.col("demand_pattern").str.starts_with("all")).select(
        "demand_pattern", "model", "wape", "wape_7d"
    )
    skus = {bucket: series["unique_id"].n_unique() for bucket, series in groups.items()}
    context.log.info(f"backtest of SKUs by bucket {skus} in {seconds:.1f} s:\n{overall}")
    built = {"build": "backtest", "build_reason": reason}
    with duckdb.get_connection() as con:
        for table in BACKTEST_TABLES:
            replace_recorded(con, "forecasts", table, evaluation.tables()[table])
        yield _result(
            table_result(
                con,
                "forecasts",
                "demand_backtest",
                seconds=dg.MetadataValue.float(seconds),
                **built,
                **inputs.as_metadata(),
            ),
            "demand_backtest",
        )
        for table in BACKTEST_TABLES[1:]:
            yield _result(table_result(con, "forecasts", table, **built), table)


def _result(result: dg.MaterializeResult, table: str) -> dg.MaterializeResult:
    return dg.MaterializeResult(
        asset_key=dg.AssetKey(["forecasts", table]), metadata=result.metadata
    )


@dg.multi_asset(
    # The step keeps the name a single asset's would have (forecasts__demand_forecast).
    name="forecasts__demand_forecast",
    specs=[
        dg.AssetSpec(
            ["forecasts", "demand_forecast"],
            group_name="forecasts",
            deps=[
                dg.AssetKey(["marts", "sku_demand_daily"]),
                dg.AssetKey(["forecasts", "model_choice"]),
                dg.AssetKey(["forecasts", "sku_reliability"]),
            ],
            kinds={"duckdb", "statsforecast"},
            description=(
                "One row per active SKU per future trading day (every calendar day of a weekly "
                "or monthly SKU's buckets, each its even share of the bucket): mean forecast, 80 % and 95 % "
                "prediction bounds (from the forecast's own errors on its last two windows), the model "
                "(or mean or median of models, or Zero) used, the SKU's demand pattern, and whether its forecast "
                "beat forecasting zero and naive (seasonal, else last bucket) in the backtest (reliable; null: not "
                "backtested) with the reason when it did not. Each pattern class uses its choice in "
                "forecasts.model_choice; stockout and partial days are not demand history."
            ),
        ),
        # Written by the forecast, which has split the demand mart by bucket already.
        dg.AssetSpec(
            ["forecasts", "sku_bucket"],
            group_name="forecasts",
            deps=[dg.AssetKey(["marts", "sku_demand_daily"])],
            kinds={"duckdb"},
            description=(
                "One row per SKU with a demand series: the bucket it is forecast in (day, week or "
                "month) and why, in words: with forecasting.bucket auto the share of its trading "
                "days, weeks and months with a sale, which the rule judged (e.g. 'weekly: sells on "
                "31 % of its 250 trading days, in 62 % of its 52 weeks, ...'); with one bucket set, "
                "the setting and its share of that bucket."
            ),
        ),
    ],
    pool=DUCKDB_POOL,
)
def demand_forecast(
    context: dg.AssetExecutionContext, settings: SettingsResource, duckdb: DuckDBResource
):
    cfg = settings.get().forecasting
    # One connection from the read to the write: the step holds the warehouse's writer
    # pool throughout anyway, and each connection closed is a checkpoint.
    with duckdb.get_connection() as con:
        choices = query(
            con,
            "select demand_pattern, model, rank, combine from forecasts.model_choice "
            "where used_for = ?",
            [FORECAST_CHOICE],
        )
        reliability = query(con, "select sku, reliable, reason from forecasts.sku_reliability")
        history_end = con.execute("select max(day) from marts.sku_demand_daily").fetchall()[0][0]
        key = calibration_key(con, cfg)
        kept = kept_quantiles(con, key, history_end, cfg.backtest_every_days)
        batches = _sku_batches(con, FORECAST_BATCH_SKUS)
        # More than one batch: the series wait in a temporary folder between the passes.
        spill = tempfile.TemporaryDirectory(prefix="orderpulse-forecast-") if batches else None
        with spill or contextlib.nullcontext():
            tables = forecast_in_batches(
                _demand_batches(con, batches),
                choices,
                cfg,
                history_end,
                _calendar(con, cfg),
                Path(spill.name) if spill else None,
                kept.quantiles if kept else None,
            )
        forecast = with_reliability(tables.demand_forecast, reliability)
        # One row per SKU (the forecast is sorted by sku; a SKU has one class and one model).
        per_sku = forecast.filter(pl.col("sku").ne_missing(pl.col("sku").shift()))
        patterns = per_sku.group_by("demand_pattern").len().sort("demand_pattern")
        models = per_sku.group_by("model").agg(skus=pl.len()).sort("model")
        counts = tables.sku_bucket.group_by("bucket").len().sort("bucket")
        ahead = {bucket: bucket_plan(cfg, bucket).horizon for bucket in counts["bucket"]}
        calibrated = tables.band_quantiles is not None
        bands = (
            f"bands from the class quantiles calibrated through {kept.through}"
            if kept and not calibrated
            else "bands calibrated on each SKU's last windows"
        )
        context.log.info(
            f"forecast SKUs by bucket ({cfg.bucket}): {dict(counts.iter_rows())}, buckets "
            f"ahead {ahead}, in {max(len(batches), 1)} batch(es) of up to "
            f"{FORECAST_BATCH_SKUS} SKUs; {bands}"
        )
        reliable = per_sku["reliable"]
        hint = slow_mover_hint(
            con, cfg, unreliable=(reliable.not_()).sum(), backtested=reliable.count()
        )
        if hint:
            context.log.warning(hint)
        # Both tables in one transaction: one commit writes them to disk together.
        with transaction(con):
            replace_table(con, "forecasts", "demand_forecast", forecast)
            replace_table(con, "forecasts", "sku_bucket", tables.sku_bucket)
            if calibrated:
                keep_quantiles(con, tables.band_quantiles, key, history_end)
        written = table_result(
            con,
            "forecasts",
            "demand_forecast",
            skus=dg.MetadataValue.int(per_sku.height),
            demand_patterns=dg.MetadataValue.json(dict(patterns.iter_rows())),
            models=dg.MetadataValue.json(dict(models.iter_rows())),
            bands_calibrated=dg.MetadataValue.bool(calibrated),
        )
        yield _result(written, "demand_forecast")
        written = table_result(
            con, "forecasts", "sku_bucket", buckets=dg.MetadataValue.json(dict(counts.iter_rows()))
        )
        yield _result(written, "sku_bucket")


def _sku_batches(con: duckdb.DuckDBPyConnection, batch_skus: int) -> list[tuple[str, str]]:
    """The first and last SKU of each batch of ``batch_skus`` SKUs of the demand mart, in
    sku order; none when the whole mart is one batch."""
    skus = con.sql("select distinct sku from marts.sku_demand_daily order by sku").fetchall()
    if len(skus) <= batch_skus:
        return []
    return [
        (skus[first][0], skus[min(first + batch_skus, len(skus)) - 1][0])
        for first in range(0, len(skus), batch_skus)
    ]


def _demand_batches(
    con: duckdb.DuckDBPyConnection, batches: list[tuple[str, str]]
) -> Iterator[pl.DataFrame]:
    """The demand mart's rows in series order, a batch of SKUs at a time (all at once
    without batches).

    A full build writes the mart in series order (sku, day) and a scan returns the rows
    as stored, so a batch is read without a sort (the sort was two thirds of the read)
    and checked. A night's build appends its days at the end, out of that order for
    every SKU: once one batch is found out of order, it and the batches after it are read
    sorted by DuckDB (twice as fast as polars here), instead of each being read twice."""
    ranges = batches or [None]
    sorted_read = False
    for bounds in ranges:
        sql, params = DEMAND_COLUMNS_SQL, None
        if bounds is not None:
            sql, params = f"{DEMAND_COLUMNS_SQL} where sku between ? and ?", list(bounds)
        if not sorted_read:
            demand = query(con, sql, params)
            if is_in_series_order(demand, "sku", "day"):
                yield demand
                continue
            del demand
            sorted_read = True
        yield query(con, f"{sql} order by sku, day", params)


def _calendar(con: duckdb.DuckDBPyConnection, cfg: ForecastingSettings) -> pl.DataFrame | None:
    """The shop's trading days of the history window, which a daily series starting at the
    window's start is zero-filled on; None when no series starts there."""
    if cfg.series_start != HISTORY_START or cfg.bucket not in (DAY, AUTO):
        return None
    days = query(
        con,
        "select distinct day, is_trading_day, is_partial_day from marts.sku_demand_daily",
    )
    return window_trading_days(days, cfg.history_days)
