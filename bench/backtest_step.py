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
import json
import statistics
from pathlib import Path

from assets.forecasts import demand_backtest
from bench.forecast_overhead import asset_once
from config.resources import RunPaths
from pipelines.resources import build_resources


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", required=True, help="a run's folder (a copy: it is written)")
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--profile", type=Path, help="write a cProfile of the asset here")
    args = parser.parse_args(argv)
    resources = build_resources(RunPaths(data_dir=args.data_dir))
    runs = []
    for _ in range(args.repeats):
        runs.append(asset_once(demand_backtest, resources, None))
        print(json.dumps(runs[-1], default=str))
    if args.profile:
        asset_once(demand_backtest, resources, args.profile)
    if not runs:  # --repeats 0: the profile only
        return
    figures = ("wall_s", "cpu_s", "statsforecast_cpu_s", "peak_mb")
    print(
        json.dumps({name: round(statistics.median(r[name] for r in runs), 3) for name in figures})
    )


if __name__ == "__main__":
    main()
