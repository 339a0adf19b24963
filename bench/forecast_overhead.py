"""The forecast step against statsforecast alone on the same warehouse, in one process.

    .venv/bin/python -m bench.forecast_overhead --data-dir DIR [--repeats N] [--profile OUT]

DIR holds the warehouse.duckdb of a finished run (forecasts.model_choice and
sku_reliability in it); its forecasts.demand_forecast is rewritten, so use a copy. Each
repeat runs the ``forecasts.demand_forecast`` asset's own compute (reading, series,
statsforecast, combining, bands, writing, the row count) with the run's resources but
without Dagster's event storage, then :func:`bench.reference.statsforecast_alone` on the
table it wrote; the kept band quantiles are dropped before each repeat, so the step
calibrates its bands as statsforecast alone forecasts their windows. Prints each repeat's
figures, then the medians: the ratios (the ``forecast_ratio`` of ``orderpulse-bench
--stages full,reference`` without its full run) and the step's CPU seconds inside its
own statsforecast calls and around them.
``--profile`` runs the asset once more, not counted, and writes a cProfile of it in CPU
time.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import statistics
import time
from pathlib import Path

import dagster as dg
import duckdb

from assets.forecasts import demand_forecast
from bench.meter import cpu_seconds, peak_rss_mb, since
from bench.reference import statsforecast_alone
from config.resources import RunPaths, SettingsResource
from forecasting import engine
from incremental.band_cadence import SCHEMA, TABLE
from pipelines.resources import build_resources


def asset_once(asset, resources: dict[str, object], profile: Path | None) -> dict[str, object]:
    """Run an asset's compute once (its results discarded): wall and CPU seconds,
    the CPU seconds inside statsforecast, the peak memory; a cProfile to `profile`."""
    # CPU time of every thread (polars and DuckDB work on several), not wall time
    profiler = cProfile.Profile(time.process_time) if profile else None
    # Building Dagster's context (about 0.04 CPU s) is the harness's work, not the step's.
    with dg.build_asset_context(resources=resources) as context:
        peak_rss_mb(reset=True)
        in_models = sum(engine.STATSFORECAST_CPU_SECONDS.values())
        started, cpu = time.perf_counter(), cpu_seconds()
        if profiler:
            profiler.enable()
        list(asset(context))  # the asset yields one result per table it writes
        if profiler:
            profiler.disable()
            profiler.dump_stats(profile)
        models_cpu = sum(engine.STATSFORECAST_CPU_SECONDS.values()) - in_models
        return since(started, cpu, statsforecast_cpu_s=models_cpu)


def run_folder_resources(data_dir: str) -> dict[str, object]:
    """The resources of a bench run's folder, with the settings the bench wrote there (its
    DuckDB memory cap) when the folder has them, so a step timed alone runs as in the run."""
    settings_file = Path(data_dir) / "settings.yaml"
    settings = (
        SettingsResource(settings_file=str(settings_file)) if settings_file.exists() else None
    )
    return build_resources(RunPaths(data_dir=data_dir), settings)


def forget_bands(warehouse: Path) -> None:
    """Drop the kept band quantiles, so the step calibrates its bands as the reference
    does (statsforecast alone forecasts the calibration windows too)."""
    with duckdb.connect(str(warehouse)) as con:
        con.execute(f"drop table if exists {SCHEMA}.{TABLE}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", required=True, help="a run's folder (a copy: it is written)")
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--profile", type=Path, help="write a cProfile of the asset here")
    args = parser.parse_args(argv)
    resources = run_folder_resources(args.data_dir)
    cfg = resources["settings"].get().forecasting
    warehouse = Path(args.data_dir) / "warehouse.duckdb"
    figures: dict[str, list[float]] = {
        name: []
        for name in (
            "forecast_ratio",
            "forecast_ratio_cpu",
            "step_wall_s",
            "step_cpu_s",
            "alone_wall_s",
            "alone_cpu_s",
            "step_statsforecast_cpu_s",
            "step_around_models_cpu_s",
        )
    }
    for _ in range(args.repeats):
        forget_bands(warehouse)
        ours = asset_once(demand_forecast, resources, None)
        alone = statsforecast_alone(warehouse, cfg)
        print(json.dumps({"forecast_step": ours, "statsforecast": alone}, default=str))
        for name, value in {
            "forecast_ratio": ours["wall_s"] / alone["wall_s"],
            "forecast_ratio_cpu": ours["cpu_s"] / alone["cpu_s"],
            "step_wall_s": ours["wall_s"],
            "step_cpu_s": ours["cpu_s"],
            "alone_wall_s": alone["wall_s"],
            "alone_cpu_s": alone["cpu_s"],
            "step_statsforecast_cpu_s": ours["statsforecast_cpu_s"],
            "step_around_models_cpu_s": ours["cpu_s"] - ours["statsforecast_cpu_s"],
        }.items():
            figures[name].append(value)
    if args.profile:
        forget_bands(warehouse)
        asset_once(demand_forecast, resources, args.profile)
    print(json.dumps({name: round(statistics.median(v), 3) for name, v in figures.items()}))


if __name__ == "__main__":
    main()
