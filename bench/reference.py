"""Reference figures on the same inputs as the run: what the engines cost on their own.

- DuckDB's own `read_csv` / `read_parquet` of the run's export files into a table in a
  fresh database file (the raw load's floor: no line numbers, checks or quarantine). CSV
  columns get the contract's types, DuckDB's fastest honest setting: sniffing one file
  and applying it to all fails when a column is empty in the first day, and sniffing
  every file is 2-4x slower (bench/ingest_throughput.py);
- statsforecast alone on the demand frame the forecast asset used, with the model each
  SKU got (read from the asset's output `model` column, so it follows the model choice).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
from statsforecast import StatsForecast
from statsforecast import models as sf_models

from bench.meter import cpu_seconds, peak_rss_mb
from forecasting.demand import SKU_DEMAND_COLUMNS, demand_series
from forecasting.forecast import season_steps
from forecasting.trading_calendar import count_trading_days
from ingest.contract import KINDS, schema
from pipelines.settings import ForecastingSettings

CONFORMAL_WINDOWS = 2


def _duckdb_type(dtype: pl.DataType) -> str:
    if isinstance(dtype, pl.Datetime):
        return "TIMESTAMP"
    names = {pl.Int64: "BIGINT", pl.Float64: "DOUBLE", pl.Boolean: "BOOLEAN", pl.Date: "DATE"}
    return next((name for cls, name in names.items() if dtype == cls), "VARCHAR")


def _csv_columns(kind: str, first_file: Path) -> dict[str, str]:
    header = first_file.read_text().split("\n", 1)[0].split(",")
    types = schema(kind)
    return {name: _duckdb_type(types[name]) if name in types else "VARCHAR" for name in header}


def duckdb_load(exports: Path, database: Path) -> dict[str, Any]:
    """Load every export file of `exports` with DuckDB's own readers, one table per kind.

    Args:
        exports: the run's exports folder (<kind>/YYYY-MM-DD.csv|parquet).
        database: a new DuckDB file to write.

    Returns:
        {"wall_s", "cpu_s", "peak_mb", "rows", "files", "per_kind": {kind: seconds}}.
    """
    con = duckdb.connect(str(database))
    con.execute("set enable_progress_bar = false")
    started, cpu, rows, files, per_kind = time.perf_counter(), cpu_seconds(), 0, 0, {}
    peak_rss_mb(reset=True)
    for kind in KINDS:
        paths = sorted(str(p) for p in (exports / kind).iterdir())
        if not paths:
            continue
        began = time.perf_counter()
        if paths[0].endswith(".parquet"):
            sql, params = "read_parquet(?, filename = true)", [paths]
        else:
            sql = "read_csv(?, header = true, quote = '\"', escape = '\"', filename = true, columns = ?)"
            params = [paths, _csv_columns(kind, Path(paths[0]))]
        con.execute(f"create table {kind} as select * from {sql}", params)
        rows += con.execute(f"select count(*) from {kind}").fetchall()[0][0]
        files += len(paths)
        per_kind[kind] = time.perf_counter() - began
    con.close()
    return {
        "wall_s": time.perf_counter() - started,
        "cpu_s": cpu_seconds() - cpu,
        "peak_mb": peak_rss_mb(),
        "rows": rows,
        "files": files,
        "per_kind": per_kind,
    }


def _conformal(horizon: int) -> sf_models.ConformalIntervals:
    return sf_models.ConformalIntervals(h=horizon, n_windows=CONFORMAL_WINDOWS)


# Model names the forecast asset writes, as statsforecast models with the same settings.
# A name not listed is tried as a statsforecast class name with default arguments.
MODELS: dict[str, Callable[[int, int], Any]] = {
    "SeasonalESOptimized": lambda season, h: sf_models.SeasonalExponentialSmoothingOptimized(
        season_length=season, alias="SeasonalESOptimized", prediction_intervals=_conformal(h)
    ),
    "CrostonSBA": lambda season, h: sf_models.CrostonSBA(
        alias="CrostonSBA", prediction_intervals=_conformal(h)
    ),
    "HistoricAverage": lambda season, h: sf_models.HistoricAverage(alias="HistoricAverage"),
}


def _model(name: str, season: int, horizon: int) -> Any | None:
    if name in MODELS:
        return MODELS[name](season, horizon)
    cls = getattr(sf_models, name, None)
    return cls(prediction_intervals=_conformal(horizon)) if isinstance(cls, type) else None


def statsforecast_alone(warehouse: Path, cfg: ForecastingSettings) -> dict[str, Any]:
    """Time statsforecast on the forecast asset's demand frame, each SKU with its model.

    The frame is built outside the timing (from marts.sku_demand_daily as the asset does);
    timed are only the `StatsForecast.forecast` calls, one per model, with the asset's
    horizon (plus the trading days a series ends before the shop's last day) and levels.

    Args:
        warehouse: the warehouse after the run (read-only).
        cfg: the run's forecasting settings.

    Returns:
        {"wall_s", "cpu_s", "peak_mb", "skus", "models": {name: skus}, "skipped_models": [...]}.
    """
    with duckdb.connect(str(warehouse), read_only=True) as con:
        demand = con.sql(f"select {', '.join(SKU_DEMAND_COLUMNS)} from marts.sku_demand_daily").pl()
        used = con.sql("select distinct sku, model from forecasts.demand_forecast").pl()
    series = demand_series(demand, history_days=cfg.history_days, min_active_days=cfg.min_active_days)
    history_end: dt.date = demand["day"].max()
    last_days = series.group_by("unique_id").agg(pl.col("ds").max())["ds"]
    behind = max((count_trading_days(d, history_end, cfg.trading_weekdays) for d in last_days), default=0)
    horizon = cfg.horizon_days + behind
    season = season_steps(cfg.season_length, cfg.trading_weekdays)
    steps = series.sort("unique_id", "ds").select(
        "unique_id", (pl.int_range(pl.len()).over("unique_id") + 1).alias("ds"), "y"
    )
    models, skipped = {}, []
    started, cpu = time.perf_counter(), cpu_seconds()
    peak_rss_mb(reset=True)
    for name, skus in used.group_by("model"):
        model = _model(name[0], season, horizon)
        if model is None:
            skipped.append(name[0])
            continue
        members = steps.join(skus.select(pl.col("sku").alias("unique_id")), on="unique_id")
        StatsForecast(models=[model], freq=1, n_jobs=1).forecast(
            h=horizon, df=members, level=list(cfg.levels)
        )
        models[name[0]] = skus.height
    return {
        "wall_s": time.perf_counter() - started,
        "cpu_s": cpu_seconds() - cpu,
        "peak_mb": peak_rss_mb(),
        "skus": used["sku"].n_unique(),
        "models": models,
        "skipped_models": skipped,
    }
