"""Fault injection: `kill -9` a run at seeded random moments, each followed by a plain
recovery run, and count what survives.

    .venv/bin/python -m bench.fault_injection --kills 20 [--seed 0] [--work DIR]
                                              [--exports DIR] [--scale 0.01]

Without --exports it simulates a small shop (`orderpulse simulate --scale 0.01`). A clean
run first gives the reference row counts and how long a run takes; then each trial starts
`orderpulse run` in the same data dir, SIGKILLs it after a random delay within the time
the last run took, and runs `orderpulse run` again. A trial recovers when that run exits 0 within
the timeout, leaves no `.incoming-<pid>` file and no claimed pool slot; rows lost are the
raw and staging rows the recovered warehouse lacks against the clean run, and every table
must equal the clean run's bit for bit (warehouse/compare.py; the tables that keep a row per
run aside). Prints one line per trial and a JSON summary; exit code 1 when a trial did not
recover.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from config.resources import RunPaths
from pipelines.recovery import leftover_folders
from pipelines.runner import instance_for
from warehouse.compare import differences
from warehouse.history_trim import PER_RUN_TABLES

ROOT = Path(__file__).resolve().parents[1]
RECOVERY_TIMEOUT = 600  # seconds; a recovery run stuck on a dead run's slot never ends
COUNTED_SCHEMAS = ("raw", "staging")


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "pipelines.cli", *args]


def _run(exports: Path, data: Path, timeout: float) -> tuple[int, float, str]:
    """`orderpulse run --quiet`: exit code (-1 on timeout), seconds, stdout."""
    command = _cli("run", "--exports", str(exports), "--data-dir", str(data), "--quiet")
    started = time.monotonic()
    try:
        done = subprocess.run(
            command, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return -1, time.monotonic() - started, ""
    return done.returncode, time.monotonic() - started, done.stdout


def _kill_after(exports: Path, data: Path, delay: float) -> bool:
    """Start a run and SIGKILL it after `delay` s; False when it ended before."""
    command = _cli("run", "--exports", str(exports), "--data-dir", str(data), "--quiet")
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        process.wait(timeout=delay)
        return False
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait()
        return True


def row_counts(warehouse: Path) -> dict[str, int]:
    """Rows of every raw and staging table."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = con.execute(
            "select table_schema || '.' || table_name from information_schema.tables"
            f" where table_schema in {COUNTED_SCHEMAS} order by 1"
        ).fetchall()
        return {t: con.execute(f"select count(*) from {t}").fetchone()[0] for (t,) in tables}


def _debris(data: Path) -> list[str]:
    """What a recovered data dir must not hold: leftovers and claimed slots."""
    paths = RunPaths(data_dir=str(data))
    found = [
        entry.name
        for folder in leftover_folders(paths)
        if folder.is_dir()
        for entry in folder.iterdir()
        if ".incoming-" in entry.name
    ]
    # The storage holds only a weak reference to its instance: keep the instance alive.
    instance = instance_for(paths)
    slots = instance.event_log_storage.get_concurrency_info("duckdb").claimed_slots
    return found + [f"slot of run {slot.run_id}" for slot in slots]


def trial(
    n: int, exports: Path, data: Path, delay: float, clean_dir: Path, clean: dict[str, int]
) -> dict:
    killed = _kill_after(exports, data, delay)
    code, seconds, out = _run(exports, data, RECOVERY_TIMEOUT)
    counts = row_counts(data / "warehouse.duckdb") if code == 0 else {}
    lost = sum(max(rows - counts.get(table, 0), 0) for table, rows in clean.items())
    result = {
        "trial": n,
        "kill_after_s": round(delay, 1),
        "killed": killed,
        "recovery_exit": code,
        "recovery_s": round(seconds, 1),
        "recovered_runs": out.count("Recovered run "),
        "rows_lost": lost if code == 0 else None,
        "debris": _debris(data),
        "tables_differ": differences(
            clean_dir / "warehouse.duckdb",
            data / "warehouse.duckdb",
            tuple(table.name for table in PER_RUN_TABLES),
        )
        if code == 0
        else None,
    }
    result["recovered"] = (
        code == 0 and lost == 0 and not result["debris"] and not result["tables_differ"]
    )
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--work", type=Path, help="scratch folder (default: a temporary one)")
    parser.add_argument("--exports", type=Path, help="exports to run on (default: simulated)")
    parser.add_argument("--scale", type=float, default=0.01)
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="fault_injection_"))
    exports = args.exports
    if exports is None:
        exports = work / "exports"
        if not exports.exists():
            subprocess.run(
                _cli("simulate", "--out", str(exports), "--scale", str(args.scale)),
                cwd=ROOT,
                check=True,
                capture_output=True,
            )
    clean_dir, data = work / "clean", work / "data"
    shutil.rmtree(clean_dir, ignore_errors=True)
    shutil.rmtree(data, ignore_errors=True)
    code, run_seconds, _ = _run(exports, clean_dir, RECOVERY_TIMEOUT)
    if code != 0:
        print(f"the clean run failed (exit {code}): nothing to compare with", file=sys.stderr)
        return 2
    clean = row_counts(clean_dir / "warehouse.duckdb")
    data.mkdir(parents=True)
    shutil.copyfile(clean_dir / "salt", data / "salt")
    rng = random.Random(args.seed)
    results = []
    horizon = run_seconds  # how long a run takes here: the last recovery run's time
    for n in range(1, args.kills + 1):
        result = trial(n, exports, data, rng.uniform(0.5, horizon), clean_dir, clean)
        print(json.dumps(result), flush=True)
        results.append(result)
        horizon = result["recovery_s"] if result["recovery_exit"] == 0 else horizon
    summary = {
        "kills": sum(r["killed"] for r in results),
        "trials": len(results),
        "recovered": sum(r["recovered"] for r in results),
        "rows_lost": sum(r["rows_lost"] or 0 for r in results),
        "trials_with_tables_unequal": sum(bool(r["tables_differ"]) for r in results),
        "clean_run_s": round(run_seconds, 1),
        "slowest_recovery_s": max((r["recovery_s"] for r in results), default=0),
        "raw_and_staging_rows": sum(clean.values()),
    }
    print(json.dumps({"summary": summary}), flush=True)
    return 0 if summary["recovered"] == summary["trials"] else 1


if __name__ == "__main__":
    sys.exit(main())
