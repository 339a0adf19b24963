"""One step (asset) of a finished run, again on its warehouse, in one process: its CPU
seconds, optionally profiled.

    .venv/bin/python -m bench.step STEP --data-dir DIR [--repeats N] [--profile OUT]

STEP is the step's name as the run's lines print it (``demand_backtest``,
``clv_marts``, ``reports__analyst_copy``, ...); a step partitioned by export day is not
one (give the folder a run instead). DIR holds the warehouse.duckdb of a finished run;
the step rewrites its tables, so use a copy. Each repeat runs the step's own compute with
the run's resources (DIR's settings.yaml when there is one: the bench writes its DuckDB
memory cap there) but without Dagster's event storage (so a step that skips work it
recorded as done, as the backtest does, does the work every time). Prints each repeat's
wall and CPU seconds, the CPU seconds inside statsforecast and the peak memory, then
their medians. ``--profile`` runs the step once more, not counted, and writes a cProfile
of it in CPU time.
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path

import dagster as dg

from assets import all_assets
from bench.forecast_overhead import asset_once, run_folder_resources
from config.partitions import export_days


def find_step(name: str, history) -> dg.AssetsDefinition:
    """The asset (or multi-asset) whose step is named `name`; a clear error otherwise."""
    steps = {asset.node_def.name: asset for asset in all_assets(export_days(history))}
    if name not in steps:
        raise SystemExit(f"no step named {name!r}; the steps: {', '.join(sorted(steps))}")
    if steps[name].partitions_def is not None:
        raise SystemExit(f"{name} is partitioned by export day: time it in a run instead")
    return steps[name]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("step", help="e.g. demand_backtest or clv_marts")
    parser.add_argument("--data-dir", required=True, help="a run's folder (a copy: it is written)")
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--profile", type=Path, help="write a cProfile of the step here")
    args = parser.parse_args(argv)
    resources = run_folder_resources(args.data_dir)
    step = find_step(args.step, resources["settings"].get().history)
    runs = []
    for _ in range(args.repeats):
        runs.append(asset_once(step, resources, None))
        print(json.dumps(runs[-1], default=str))
    if args.profile:
        asset_once(step, resources, args.profile)
    if not runs:  # --repeats 0: the profile only
        return
    figures = ("wall_s", "cpu_s", "statsforecast_cpu_s", "peak_mb")
    print(
        json.dumps({name: round(statistics.median(r[name] for r in runs), 3) for name in figures})
    )


if __name__ == "__main__":
    main()
