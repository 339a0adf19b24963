"""The bench's table, its JSON Lines record and the comparison with the previous record."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import subprocess
from importlib.metadata import version
from pathlib import Path
from typing import Any

RESULTS_FILE = "bench_results.jsonl"
# The records docs/performance.md quotes, kept with the code. A machine whose own results
# file has no record of a scale (every fresh machine) compares its first run with the
# newest of these; `bench.growth` reads them too. Append a record here when the docs quote it.
COMMITTED_RECORDS = Path(__file__).with_name("records.jsonl")
PACKAGES = ("dagster", "duckdb", "polars", "statsforecast")


def machine_facts() -> dict[str, Any]:
    cpu_model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    return {
        "cores": os.cpu_count(),
        "memory_gb": round(mem_kb / 1024**2, 1),
        "cpu_model": cpu_model,
        "python": platform.python_version(),
        "load_average": os.getloadavg()[0],
        "versions": {name: version(name) for name in PACKAGES},
    }


def git_commit(source: Path) -> str:
    done = subprocess.run(
        ["git", "-C", str(source), "describe", "--always", "--dirty"],
        capture_output=True,
        text=True,
    )
    return done.stdout.strip() or "unknown"


def _cell(figure: Any, digits: int = 1) -> str:
    if figure is None:
        return "-"
    if isinstance(figure, dict):
        if figure["max"] - figure["min"] < 10**-digits:
            return f"{figure['median']:.{digits}f}"
        return (
            f"{figure['median']:.{digits}f} ({figure['min']:.{digits}f}-{figure['max']:.{digits}f})"
        )
    if isinstance(figure, int):
        return f"{figure:,}"
    return f"{figure:.{digits}f}"


def _rows(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    line = lambda r: "  ".join(
        c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))
    )
    return [line(header), line(["-" * w for w in widths]), *map(line, rows)]


def format_result(result: dict[str, Any]) -> str:
    """One table per scale: every step of the full and nightly runs, then the references."""
    store = result["store"]
    out = [
        f"SF{result['scale']:g} (seed {result['seed']}, {result.get('years', 1)} year(s)): "
        f"{store['order_lines']:,} order lines, "
        f"{store['skus']:,} SKUs, {store['traffic_events']:,} traffic events; "
        f"store ready in {result['store_seconds']:.0f} s; "
        f"DuckDB memory_limit {result.get('memory_limit') or 'default (80 % of RAM)'}"
    ]
    header = ["step", "wall s", "cpu s", "peak MB", "dagster s", "rows in", "rows out"]
    for stage in ("full", "nightly"):
        if stage not in result:
            continue
        run = result[stage]
        rows = [
            [
                step.replace("__", "."),
                _cell(f["wall_s"]),
                _cell(f["cpu_s"]),
                _cell(f["peak_mb"], 0),
                _cell(f["dagster_s"]),
                _cell(f["rows_in"]),
                _cell(f["rows_out"]),
            ]
            for step, f in sorted(run["steps"].items(), key=lambda kv: -kv[1]["wall_s"]["median"])
        ]
        status = "ok" if run["success"] else "FAILED: " + "; ".join(run["failures"])
        out += [
            "",
            f"{stage} run: wall {_cell(run['wall_s'])} s (steps {_cell(run['steps_wall_s'])} s), "
            f"peak {_cell(run['peak_mb'], 0)} MB, {status}",
        ]
        out += _rows(header, rows)
    references = [
        ("orderpulse loader alone (load_days, every kind)", result.get("load")),
        ("DuckDB read_csv/read_parquet, same files", result.get("duckdb_load")),
        ("statsforecast alone, same frame and models", result.get("statsforecast")),
    ]
    rows = [
        [name, _cell(r["wall_s"]), _cell(r["cpu_s"]), _cell(r["peak_mb"], 0)]
        for name, r in references
        if r
    ]
    if rows:
        out += [""] + _rows(["reference", "wall s", "cpu s", "peak MB"], rows)
    if result.get("statsforecast", {}).get("skipped_models"):
        out.append(
            f"  (models without a reference: {', '.join(result['statsforecast']['skipped_models'])})"
        )
    for suffix, label in (("", "wall"), ("_cpu", "CPU")):
        names = (f"load_ratio{suffix}", f"ingest_ratio{suffix}", f"forecast_ratio{suffix}")
        if suffix and not any(name in result for name in names):
            continue
        out.append(
            ("" if suffix else "\n")
            + f"{label:4s}: "
            + "  ".join(f"{name} = {_cell(result.get(name), 2)}" for name in names)
        )
    return "\n".join(out)


def _median(record: dict[str, Any], *path: str) -> float | None:
    for name in path:
        if not isinstance(record, dict) or name not in record:
            return None
        record = record[name]
    return record["median"] if isinstance(record, dict) else record


COMPARED = (
    ("full run wall s", ("full", "wall_s")),
    ("full run peak MB", ("full", "peak_mb")),
    ("nightly run wall s", ("nightly", "wall_s")),
    ("nightly run peak MB", ("nightly", "peak_mb")),
    ("load_ratio", ("load_ratio",)),
    ("ingest_ratio", ("ingest_ratio",)),
    ("forecast_ratio", ("forecast_ratio",)),
    ("load_ratio_cpu", ("load_ratio_cpu",)),
    ("ingest_ratio_cpu", ("ingest_ratio_cpu",)),
    ("forecast_ratio_cpu", ("forecast_ratio_cpu",)),
)


def compare(previous: dict[str, Any], current: dict[str, Any]) -> str:
    """Lines `figure: before -> now (change)` against the previous record of the same scale."""
    machine = previous.get("machine")
    # Records from another host (the committed ones) compare only roughly: say where and
    # how busy the earlier run was.
    where = (
        f", {machine['cpu_model']}, load average {machine['load_average']:.1f}" if machine else ""
    )
    out = [
        f"SF{current['scale']:g} against the previous run ({previous['time']}, "
        f"commit {previous['git_commit']}{where}):"
    ]
    for label, path in COMPARED:
        before, now = _median(previous, *path), _median(current, *path)
        if before is None or now is None:
            continue
        change = f"{100 * (now - before) / before:+.0f} %" if before else ""
        out.append(f"  {label:22s} {before:10.2f} -> {now:10.2f}  {change}")
    for stage in ("full", "nightly"):
        out += _compare_steps(previous.get(stage), current.get(stage), stage)
    return "\n".join(out)


# Steps under this many CPU seconds in both records are left out of the per-step
# comparison: at that size their change is timing noise.
COMPARED_STEP_CPU_S = 0.5


def _compare_steps(before: dict | None, now: dict | None, stage: str) -> list[str]:
    """Per step of `stage` in both records: wall and CPU seconds before -> now."""
    if not before or not now:
        return []
    lines = [f"  {stage} run, per step (wall s, CPU s; before -> now):"]
    hidden = 0
    steps = sorted(now["steps"].items(), key=lambda kv: -_median(kv[1], "cpu_s"))
    for step, figures in steps:
        earlier = before["steps"].get(step)
        if not earlier:
            lines.append(f"    {step.replace('__', '.'):44s} new")
            continue
        cpu = (_median(earlier, "cpu_s"), _median(figures, "cpu_s"))
        if max(cpu) < COMPARED_STEP_CPU_S:
            hidden += 1
            continue
        wall = (_median(earlier, "wall_s"), _median(figures, "wall_s"))
        change = f"{100 * (cpu[1] - cpu[0]) / cpu[0]:+.0f} %" if cpu[0] else ""
        lines.append(
            f"    {step.replace('__', '.'):44s} {wall[0]:8.1f} -> {wall[1]:8.1f}"
            f"  {cpu[0]:8.1f} -> {cpu[1]:8.1f}  {change}"
        )
    if hidden:
        lines.append(f"    ({hidden} steps under {COMPARED_STEP_CPU_S} CPU s in both runs)")
    return lines


def read_records(results: Path) -> list[dict[str, Any]]:
    """The records of a results file, oldest first; none when it does not exist."""
    if not results.exists():
        return []
    return [json.loads(line) for line in results.read_text().splitlines() if line.strip()]


def previous_record(
    results: Path, scale: float, seed: int, years: int = 1, committed: Path = COMMITTED_RECORDS
) -> dict[str, Any] | None:
    """The newest record of ``scale``, ``seed`` and ``years`` of history in ``results``, else
    in ``committed`` (a record without years holds one)."""
    for source in (results, committed):
        same = [
            r
            for r in read_records(source)
            if (r.get("scale"), r.get("seed"), r.get("years", 1)) == (scale, seed, years)
        ]
        if same:
            return same[-1]
    return None


def append_record(results: Path, record: dict[str, Any]) -> None:
    results.parent.mkdir(parents=True, exist_ok=True)
    with results.open("a") as handle:
        handle.write(json.dumps(record, default=str) + "\n")


def new_record(
    result: dict[str, Any], stages: list[str], repeats: int, commit: str
) -> dict[str, Any]:
    return {
        "time": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "git_commit": commit,
        "machine": machine_facts(),
        "stages": stages,
        "repeats": repeats,
        **result,
    }
