"""The forecast step against statsforecast alone on the same warehouse, in one process.

    .venv/bin/python -m bench.forecast_overhead --data-dir DIR [--repeats N] [--profile OUT]

DIR holds the warehouse.duckdb of a finished run (forecasts.model_choice and
sku_reliability in it); its forecasts.demand_forecast is rewritten, so use a copy. Each
repeat runs the ``forecasts.demand_forecast`` asset's own compute (reading, series,
statsforecast, combining, bands, writing, the row count) with the run's resources but
without Dagster's event storage, then :func:`bench.reference.statsforecast_alone` on the
table it wrote. Prints each figure and the ratios, the ``forecast_ratio`` of
``orderpulse-bench --stages full,reference`` without its full run. ``--profile`` writes
a cProfile of the last repeat's asset compute.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import statistics
import time
from pathlib import Path

import dagster as dg

from assets.forecasts import demand_forecast
from bench.meter import cpu_seconds, peak_rss_mb, since
from bench.reference import statsforecast_alone
from config.resources import RunPaths
from pipelines.resources import build_resources


def _asset_once(resources: dict[str, object], profile: Path | None) -> dict[str, object]:
    peak_rss_mb(reset=True)
    started, cpu = time.perf_counter(), cpu_seconds()
    # CPU time of every thread (polars and DuckDB work on several), not wall time
    profiler = cProfile.Profile(time.process_time) if profile else None
    with dg.build_asset_context(resources=resources) as context:
        if profiler:
            profiler.enable()
        list(demand_forecast(context))  # the asset yields its two tables' results
        if profiler:
            profiler.disable()
            profiler.dump_stats(profile)
    return since(started, cpu)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", required=True, help="a run's folder (a copy: it is written)")
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--profile", type=Path, help="write a cProfile of the asset here")
    args = parser.parse_args(argv)
    resources = build_resources(RunPaths(data_dir=args.data_dir))
    cfg = resources["settings"].get().forecasting
    warehouse = Path(args.data_dir) / "warehouse.duckdb"
    ratios: dict[str, list[float]] = {"forecast_ratio": [], "forecast_ratio_cpu": []}
    for repeat in range(args.repeats):
        ours = _asset_once(resources, args.profile if repeat == args.repeats - 1 else None)
        alone = statsforecast_alone(warehouse, cfg)
        ratios["forecast_ratio"].append(ours["wall_s"] / alone["wall_s"])
        ratios["forecast_ratio_cpu"].append(ours["cpu_s"] / alone["cpu_s"])
        print(json.dumps({"forecast_step": ours, "statsforecast": alone}, default=str))
    print(json.dumps({name: statistics.median(values) for name, values in ratios.items()}))


if __name__ == "__main__":
    main()
