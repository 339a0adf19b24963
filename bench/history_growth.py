"""Run history stays flat: 30 nightly runs of a tiny shop with a short retention window.

    .venv/bin/python bench/history_growth.py [--nights 30] [--keep-days 7] [--dir DIR]

A shop of three SKUs gets a first load of 14 export days, then one new export day per
night, each loaded by `orderpulse run --days 1` (the CLI's path: the run, then pruning,
pipelines/retention.py) with every `retention` window set to --keep-days. After each night
the bench lets a day pass: it moves every recorded timestamp one day back (Dagster's
run rows in history/runs.db; quality.check_results, marts.clv_model and
build_state.builds in the warehouse), so the day-based windows expire as they would over
30 real nights. Printed per night: the runs Dagster holds, the bytes of dagster_home and
of the CLI run logs, the warehouse file, and the rows of the three append-only tables.
After the window fills, every figure must stay flat.

The first night also prints what one run adds to dagster_home, file by file.
"""

import argparse
import os
import shutil
import sqlite3
import tempfile
import time
from contextlib import closing, redirect_stdout
from pathlib import Path

import duckdb

from pipelines.cli import main
from simulator.tiny import write_tiny_orders

FIRST_LOAD_DAYS = 14
HISTORY_TABLES = {
    "quality.check_results": "checked_at",
    "marts.clv_model": "run_at",
    "build_state.builds": "built_at",
}


def file_sizes(folder: Path) -> dict[str, int]:
    """Bytes of every file under `folder`, by path relative to it."""
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): p.stat().st_size for p in folder.rglob("*") if p.is_file()}


def let_a_day_pass(data: Path) -> None:
    """Move every recorded timestamp of the run history one day into the past."""
    with closing(sqlite3.connect(data / "dagster_home" / "history" / "runs.db")) as con:
        con.execute(
            "update runs set create_timestamp = datetime(create_timestamp, '-1 day'), "
            "update_timestamp = datetime(update_timestamp, '-1 day'), "
            "start_time = start_time - 86400, end_time = end_time - 86400"
        )
        con.commit()
    with closing(duckdb.connect(str(data / "warehouse.duckdb"))) as con:
        for table, column in HISTORY_TABLES.items():
            con.execute(f"update {table} set {column} = {column} - interval 1 day")


def history_figures(data: Path) -> dict[str, int]:
    """Runs, bytes of dagster_home, logs and warehouse, rows of the history tables."""
    with closing(sqlite3.connect(data / "dagster_home" / "history" / "runs.db")) as con:
        runs = con.execute("select count(*) from runs").fetchone()[0]
    figures = {
        "runs": runs,
        "dagster_home": sum(file_sizes(data / "dagster_home").values()),
        "logs": sum(file_sizes(data / "logs").values()),
        "warehouse": (data / "warehouse.duckdb").stat().st_size,
    }
    with closing(duckdb.connect(str(data / "warehouse.duckdb"), read_only=True)) as con:
        for table in HISTORY_TABLES:
            figures[table] = con.execute(f"select count(*) from {table}").fetchone()[0]
    return figures


def run(exports: Path, data: Path, settings: Path, days: int) -> None:
    args = ["run", "--exports", str(exports), "--data-dir", str(data)]
    with open(os.devnull, "w") as quiet, redirect_stdout(quiet):  # the bench prints its own table
        code = main([*args, "--settings", str(settings), "--days", str(days), "--quiet"])
    if code != 0:
        raise SystemExit(f"orderpulse run exited {code}")


def print_growth(before: dict[str, int], after: dict[str, int]) -> None:
    print("what one nightly run added to dagster_home (bytes, by file):")
    for name in sorted(after, key=lambda n: after[n] - before.get(n, 0), reverse=True):
        grown = after[name] - before.get(name, 0)
        if grown:
            print(f"  {grown:>10,}  {name}")


def main_bench() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nights", type=int, default=30)
    parser.add_argument("--keep-days", type=int, default=7)
    parser.add_argument("--dir", type=Path, default=None, help="work folder (default: a temp dir)")
    options = parser.parse_args()
    root = options.dir or Path(tempfile.mkdtemp(prefix="history_growth_"))
    root.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(root / "data", ignore_errors=True)
    exports, data, settings = root / "exports", root / "data", root / "settings.yaml"
    shutil.rmtree(exports, ignore_errors=True)
    keep = options.keep_days
    settings.write_text(
        f"retention: {{run_days: {keep}, check_results_days: {keep}, "
        f"clv_model_days: {keep}, build_log_days: {keep}}}\n"
    )
    write_tiny_orders(exports, range(FIRST_LOAD_DAYS))
    run(exports, data, settings, FIRST_LOAD_DAYS)
    let_a_day_pass(data)
    columns = ["night", "seconds", *history_figures(data)]
    print(f"retention: every window {keep} days; work folder {root}")
    for night in range(1, options.nights + 1):
        write_tiny_orders(exports, [FIRST_LOAD_DAYS + night - 1])
        before = file_sizes(data / "dagster_home")
        started = time.perf_counter()
        run(exports, data, settings, 1)
        seconds = time.perf_counter() - started
        if night == 1:
            print_growth(before, file_sizes(data / "dagster_home"))
            print("  ".join(f"{c:>12}" for c in columns))
        figures = history_figures(data)
        print(
            "  ".join(f"{v:>12,}" for v in [night, round(seconds), *figures.values()]), flush=True
        )
        let_a_day_pass(data)


if __name__ == "__main__":
    main_bench()
