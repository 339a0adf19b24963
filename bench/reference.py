"""Reference figures on the same inputs as the run: what the engines cost on their own.

- DuckDB's own `read_csv` / `read_parquet` of the run's export files into a table in a
  fresh database file (the raw load's floor: no line numbers, checks or quarantine). CSV
  columns get the contract's types, DuckDB's fastest honest setting: sniffing one file
  and applying it to all fails when a column is empty in the first day, and sniffing
  every file is 2-4x slower (bench/ingest_throughput.py);
- statsforecast alone on the demand frame the forecast asset used, each SKU with the
  models it got (read from the asset's output `model` column, `mean(A, B, C)` for a
  class's mean of models, so it follows the backtest's choice): one `forecast` call per
  mix of models (all its models at once) over the SKUs that use it, as the asset makes,
  with the same model settings
  (`forecasting.models.build_model`) and horizon, plus the cross-validation over the
  last two windows its bands come from (forecasting/intervals.py).
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

import polars as pl
from statsforecast import StatsForecast

from assets.forecasts import DEMAND_SQL
from bench.meter import cpu_seconds, peak_rss_mb, since
from config.settings import ForecastingSettings
from contract.exports import KINDS, schema
from forecasting.bucketed import bucket_demand
from forecasting.buckets import bucket_plan, steps_between
from forecasting.models import CANDIDATES, INTERVAL_WINDOWS, SHORT_HISTORY_MODEL, build_model
from forecasting.selection import combination_members
from warehouse.connect import connect
from warehouse.frames import query


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
    con = connect(database)
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
    return since(started, cpu, rows=rows, files=files, per_kind=per_kind)


def statsforecast_alone(warehouse: Path, cfg: ForecastingSettings) -> dict[str, Any]:
    """Time statsforecast on the forecast asset's demand frame, each SKU with its model.

    The frames are built outside the timing (from marts.sku_demand_daily as the asset does,
    one per model, each SKU in its bucket's steps); timed are only the `StatsForecast`
    calls, with the asset's horizon (plus the steps a series ends before the shop's last
    day), season and levels.
    What the asset adds around them (reading, series, backtest choice, averaging the
    models, calendar days, writing) is the difference the forecast ratio shows.

    Args:
        warehouse: the warehouse after the run (read-only).
        cfg: the run's forecasting settings.

    Returns:
        {"wall_s", "cpu_s", "peak_mb", "skus", "frame_rows" (rows handed to statsforecast),
        "models": {name: skus}, "skipped_models": [...]}.
    """
    with connect(warehouse, read_only=True) as con:
        demand = query(con, DEMAND_SQL)
        used = query(con, "select distinct sku, model from forecasts.demand_forecast")
    # The SKUs of each mix of models (a short-history SKU's mix is the short model alone).
    mixes = used.select(
        "sku",
        pl.col("model")
        .map_elements(combination_members, return_dtype=pl.List(pl.String))
        .list.sort()
        .alias("models"),
    )
    history_end: dt.date = demand["day"].max()
    runs, models, skipped = [], {}, []
    # Each SKU in the bucket the asset forecast it in (forecasting.bucket), on that
    # bucket's steps, horizon and season: a weekly SKU's frame is its weeks, not its days.
    for bucket, series in bucket_demand(demand, cfg).series.items():
        if series.is_empty():
            continue
        plan = bucket_plan(cfg, bucket)
        last_days = series.group_by("unique_id").agg(pl.col("ds").max())["ds"].unique()
        horizon = plan.horizon + max(steps_between(day, history_end, plan) for day in last_days)
        steps = series.sort("unique_id", "ds").select(
            "unique_id", (pl.int_range(pl.len()).over("unique_id") + 1).alias("ds"), "y"
        )
        for (mix,), skus in mixes.group_by("models"):
            names = [name for name in mix if name in CANDIDATES]  # Zero is no statsforecast model
            skipped += [name for name in mix if name not in CANDIDATES]
            frame = steps.join(skus.select(pl.col("sku").alias("unique_id")), on="unique_id")
            if not names or frame.is_empty():
                continue
            runs.append(([build_model(name, plan.season) for name in names], frame, horizon))
            for name in names:
                models[name] = models.get(name, 0) + frame["unique_id"].n_unique()
    started, cpu = time.perf_counter(), cpu_seconds()
    peak_rss_mb(reset=True)
    for built, frame, horizon in runs:
        engine = StatsForecast(models=built, freq=1, n_jobs=1)
        if [repr(m) for m in built] == [SHORT_HISTORY_MODEL]:  # the short series: native intervals
            engine.forecast(h=horizon, df=frame, level=list(cfg.levels))
            continue
        engine.forecast(h=horizon, df=frame)
        engine.cross_validation(h=horizon, df=frame, n_windows=INTERVAL_WINDOWS, step_size=horizon)
    return since(
        started,
        cpu,
        skus=used["sku"].n_unique(),
        frame_rows=sum(frame.height for _, frame, _ in runs),
        models=models,
        skipped_models=sorted(set(skipped)),
    )
