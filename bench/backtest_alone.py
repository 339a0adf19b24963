"""The weekly model backtest alone on a warehouse's demand: its CPU seconds and peak memory.

    .venv/bin/python -m bench.backtest_alone --warehouse DATA/warehouse.duckdb \
        [--batch-skus N] [--tables OUT_DIR]

Reads ``marts.sku_demand_daily`` (read-only; or a Parquet copy of it with ``--demand``),
builds the daily series with the default forecasting settings and runs
:func:`forecasting.evaluation.evaluate_models` on them, as the ``forecasts.demand_backtest``
asset does with the default (daily) bucket. Prints the backtest's wall and CPU seconds and the process's peak resident
memory during it (reset after the read). ``--tables`` writes the four tables as Parquet,
so two versions of the code can be compared table by table.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import polars as pl

from assets.forecasts import DEMAND_SQL
from bench.meter import cpu_seconds, peak_rss_mb, since
from config.settings import ForecastingSettings
from forecasting.bucket_series import bucket_series
from forecasting.buckets import DAY
from forecasting.evaluation import BACKTEST_BATCH_SKUS, evaluate_models
from warehouse.connect import connect
from warehouse.frames import query


def _demand(args: argparse.Namespace) -> pl.DataFrame:
    if args.demand:
        return pl.read_parquet(args.demand)
    con = connect(args.warehouse, read_only=True)
    try:
        return query(con, DEMAND_SQL)
    finally:
        con.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--warehouse", help="a warehouse.duckdb with marts.sku_demand_daily")
    source.add_argument("--demand", help="a Parquet file of marts.sku_demand_daily rows")
    parser.add_argument("--batch-skus", type=int, default=BACKTEST_BATCH_SKUS)
    parser.add_argument("--tables", help="write the four tables as <DIR>/<table>.parquet")
    args = parser.parse_args(argv)
    settings = ForecastingSettings()
    series = bucket_series(
        _demand(args),
        DAY,
        settings.history_days,
        settings.min_active_days,
        settings.series_start,
    )
    peak_rss_mb(reset=True)
    started, cpu = time.perf_counter(), cpu_seconds()
    result = evaluate_models(series, settings, batch_skus=args.batch_skus)
    figures = since(started, cpu, skus=series["unique_id"].n_unique())
    print(json.dumps(figures | {"batch_skus": args.batch_skus}))
    if args.tables:
        folder = Path(args.tables)
        folder.mkdir(parents=True, exist_ok=True)
        for name, frame in result.tables().items():
            frame.write_parquet(folder / f"{name}.parquet")


if __name__ == "__main__":
    main()
