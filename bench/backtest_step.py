"""The model backtest step on a warehouse, in one process: its CPU seconds, optionally profiled.

    .venv/bin/python -m bench.backtest_step --data-dir DIR [--repeats N] [--profile OUT]

DIR holds the warehouse.duckdb of a finished run (marts.sku_demand_daily in it); the
backtest's four forecasts tables are rewritten, so use a copy. Each repeat runs the
``forecasts.demand_backtest`` asset's own compute (reading the demand mart, the series,
statsforecast's cross-validation, scoring every model and every option of the class
choice, writing the tables) with the run's resources but without Dagster's event storage:
a fresh instance has no backtest recorded, so every repeat backtests. Prints each
repeat's wall and CPU seconds, the CPU seconds inside statsforecast and the peak memory,
then their medians. ``--profile`` runs the asset once more, not counted, and writes a
cProfile of it in CPU time.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import statistics
import time
from pathlib import Path

import dagster as dg

from assets.forecasts import demand_backtest
from bench.meter import cpu_seconds, peak_rss_mb, since
from config.resources import RunPaths
from forecasting import engine
from pipelines.resources import build_resources


def _asset_once(resources: dict[str, object], profile: Path | None) -> dict[str, object]:
    # CPU time of every thread (polars and DuckDB work on several), not wall time
    profiler = cProfile.Profile(time.process_time) if profile else None
    with dg.build_asset_context(resources=resources) as context:
        peak_rss_mb(reset=True)
        in_models = sum(engine.STATSFORECAST_CPU_SECONDS.values())
        started, cpu = time.perf_counter(), cpu_seconds()
        if profiler:
            profiler.enable()
        list(demand_backtest(context))  # the asset yields its four tables' results
        if profiler:
            profiler.disable()
            profiler.dump_stats(profile)
        models_cpu = sum(engine.STATSFORECAST_CPU_SECONDS.values()) - in_models
        return since(started, cpu, statsforecast_cpu_s=models_cpu)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", required=True, help="a run's folder (a copy: it is written)")
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--profile", type=Path, help="write a cProfile of the asset here")
    args = parser.parse_args(argv)
    resources = build_resources(RunPaths(data_dir=args.data_dir))
    runs = []
    for _ in range(args.repeats):
        runs.append(_asset_once(resources, None))
        print(json.dumps(runs[-1], default=str))
    if args.profile:
        _asset_once(resources, args.profile)
    if not runs:  # --repeats 0: the profile only
        return
    figures = ("wall_s", "cpu_s", "statsforecast_cpu_s", "peak_mb")
    print(
        json.dumps({name: round(statistics.median(r[name] for r in runs), 3) for name in figures})
    )


if __name__ == "__main__":
    main()
