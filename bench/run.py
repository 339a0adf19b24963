"""Run the benchmark stages on a cached synthetic store and collect every figure.

Stages, in order: `load` (our raw loader alone, every kind, no Dagster), `full` (the whole
refresh job over the year, fresh warehouse and Dagster home), `nightly` (the day after the
year dropped in, one more refresh of that day), `reference` (DuckDB and statsforecast
alone on the same files and demand frame). Each repeat starts from an empty run folder.
"""

from __future__ import annotations

import json
import shutil
import statistics
import time
from pathlib import Path
from typing import Any

import yaml

from bench.meter import StepMeter, cpu_seconds, peak_rss_mb, since
from bench.reference import duckdb_load, statsforecast_alone
from bench.stores import Store, cached_store, link_exports
from config.resources import RunPaths, SettingsResource
from contract.exports import KINDS
from ingest.load import ensure_tables, load_days
from pipelines.definitions import build_definitions
from pipelines.runner import run_refresh
from warehouse.connect import connect

STAGES = ("load", "full", "nightly", "reference")


def _ours_load(paths: RunPaths, settings: SettingsResource, database: Path) -> dict[str, Any]:
    """Our loader alone over every kind of the run's exports, with the run's DuckDB settings."""
    con = connect(database, settings=settings.get().warehouse)
    started, cpu, rows, per_kind = time.perf_counter(), cpu_seconds(), 0, {}
    peak_rss_mb(reset=True)
    ensure_tables(con)
    for kind in KINDS:
        report = load_days(con, paths.exports, kind)
        rows += report.rows_read
        per_kind[kind] = report.seconds
    con.close()
    return since(started, cpu, rows=rows, per_kind=per_kind)


def read_into_page_cache(folder: Path) -> int:
    """Read every file under `folder` once, so that the loads timed next all read from the
    page cache: whichever loader ran first would otherwise pay for the disk alone. Returns
    the bytes read."""
    total = 0
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            with path.open("rb") as handle:
                while chunk := handle.read(1 << 24):
                    total += len(chunk)
    return total


def _upstream_rows(
    paths: RunPaths, settings: SettingsResource, meter: StepMeter
) -> dict[str, int | None]:
    """Rows in per step: lines read for raw assets, else the rows of the tables it reads."""
    graph = build_definitions(paths, settings).resolve_asset_graph()
    with connect(paths.warehouse, read_only=True, settings=settings.get().warehouse) as con:
        tables = con.execute("select schema_name, table_name from duckdb_tables()").fetchall()
        counts = {
            f"{schema}__{table}": con.execute(
                f'select count(*) from "{schema}"."{table}"'
            ).fetchall()[0][0]
            for schema, table in tables
        }
    rows_in: dict[str, int | None] = {}
    for step, figures in meter.steps.items():
        if "rows_read" in figures.metadata:
            rows_in[step] = int(figures.metadata["rows_read"])
            continue
        key = next((k for k in graph.materializable_asset_keys if "__".join(k.path) == step), None)
        parents = [counts.get("__".join(p.path)) for p in graph.get(key).parent_keys] if key else []
        rows_in[step] = sum(p for p in parents if p is not None) if parents else None
    return rows_in


def _refresh(paths: RunPaths, settings: SettingsResource, first: str, last: str) -> dict[str, Any]:
    meter = StepMeter()
    outcome = run_refresh(paths, first, last, progress=False, on_event=meter, settings=settings)
    peak = meter.finish()
    rows_in = _upstream_rows(paths, settings, meter)
    steps = {
        step: {
            "wall_s": f.wall_s,
            "cpu_s": f.cpu_s,
            "peak_mb": f.peak_mb,
            "dagster_s": f.dagster_s,
            "rows_in": rows_in.get(step),
            "rows_out": f.metadata.get("row_count"),
        }
        for step, f in meter.steps.items()
    }
    return {
        "success": outcome.success and not outcome.failures,
        "failures": outcome.failures,
        "wall_s": outcome.seconds,
        "steps_wall_s": sum(s["wall_s"] for s in steps.values()),
        "peak_mb": peak,
        "steps": steps,
    }


def run_once(
    store: Store, run_dir: Path, stages: list[str], memory_limit: str | None
) -> dict[str, Any]:
    """One repeat of the chosen stages in a new folder `run_dir` (deleted first); every
    warehouse connection gets DuckDB's `memory_limit` (None: DuckDB's default)."""
    shutil.rmtree(run_dir, ignore_errors=True)
    exports = run_dir / "exports"
    link_exports(store, exports, with_next_day=False)
    settings_file = run_dir / "settings.yaml"
    settings_file.write_text(yaml.safe_dump({"warehouse": {"memory_limit": memory_limit}}))
    paths = RunPaths(data_dir=str(run_dir), exports_dir=str(exports))
    settings = SettingsResource(settings_file=str(settings_file))
    figures: dict[str, Any] = {}
    if "reference" in stages:  # the ratios compare loads timed against it
        read_into_page_cache(exports)
    if "load" in stages:
        figures["load"] = _ours_load(paths, settings, run_dir / "load_ours.duckdb")
    if "reference" in stages:
        figures["duckdb_load"] = duckdb_load(exports, run_dir / "load_duckdb.duckdb")
        print(f"  DuckDB's own load: {figures['duckdb_load']['wall_s']:.1f} s wall", flush=True)
    if "full" in stages:
        print(f"  full run: {store.first_day} .. {store.last_day}", flush=True)
        figures["full"] = _refresh(
            paths, settings, store.first_day.isoformat(), store.last_day.isoformat()
        )
        if "reference" in stages:
            figures["statsforecast"] = statsforecast_alone(
                paths.warehouse, settings.get().forecasting
            )
        if "nightly" in stages:
            link_exports(store, exports, with_next_day=True)
            day = store.next_day.isoformat()
            print(f"  nightly run: {day}", flush=True)
            figures["nightly"] = _refresh(paths, settings, day, day)
    return figures


def _spread(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def _ratios(repeats: list[dict[str, Any]]) -> dict[str, float | None]:
    """load_ratio: the full run's raw steps / DuckDB's load of the same files;
    ingest_ratio: our loader alone / DuckDB's; forecast_ratio: the forecast step /
    statsforecast alone. Medians over the repeats, of wall time and (`*_cpu`) of CPU time:
    on a machine shared with other work the CPU ratio is the steadier one."""

    def median_of(pick) -> float | None:
        values = [v for v in (pick(r) for r in repeats) if v is not None]
        return statistics.median(values) if values else None

    def raw_steps(r, figure):
        if "full" not in r:
            return None
        return sum(s[figure] for k, s in r["full"]["steps"].items() if k.startswith("raw__"))

    def forecast_step(r, figure):
        return r.get("full", {}).get("steps", {}).get("forecasts__demand_forecast", {}).get(figure)

    ratios: dict[str, float | None] = {}
    for figure, suffix in (("wall_s", ""), ("cpu_s", "_cpu")):
        duck = median_of(lambda r, figure=figure: r.get("duckdb_load", {}).get(figure))
        ours_raw = median_of(lambda r, figure=figure: raw_steps(r, figure))
        ours_load = median_of(lambda r, figure=figure: r.get("load", {}).get(figure))
        forecast = median_of(lambda r, figure=figure: forecast_step(r, figure))
        alone = median_of(lambda r, figure=figure: r.get("statsforecast", {}).get(figure))
        ratios[f"load_ratio{suffix}"] = ours_raw / duck if ours_raw and duck else None
        ratios[f"ingest_ratio{suffix}"] = ours_load / duck if ours_load and duck else None
        ratios[f"forecast_ratio{suffix}"] = forecast / alone if forecast and alone else None
    return ratios


def summarize(repeats: list[dict[str, Any]]) -> dict[str, Any]:
    """Median and range over repeats of every figure, by stage and step."""
    summary: dict[str, Any] = {}
    for stage in repeats[0]:
        first = repeats[0][stage]
        summary[stage] = {
            name: _spread([r[stage][name] for r in repeats])
            for name, value in first.items()
            if isinstance(value, int | float) and not isinstance(value, bool)
        }
        if "steps" in first:
            summary[stage]["success"] = all(r[stage]["success"] for r in repeats)
            summary[stage]["failures"] = sorted({f for r in repeats for f in r[stage]["failures"]})
            summary[stage]["steps"] = {
                step: {
                    name: _spread([r[stage]["steps"][step][name] for r in repeats])
                    if name not in ("rows_in", "rows_out")
                    else values[name]
                    for name in values
                }
                for step, values in first["steps"].items()
            }
        for extra in ("per_kind", "models", "skipped_models"):
            if extra in first:
                summary[stage][extra] = first[extra]
    summary.update(_ratios(repeats))
    return summary


def bench_scale(
    data_dir: Path,
    scale: float,
    seed: int,
    stages: list[str],
    repeats: int,
    memory_limit: str | None = None,
    years: int = 1,
) -> dict[str, Any]:
    """Generate (or reuse) the store for `scale` and `years`, run the stages `repeats`
    times, summarize.

    Args:
        data_dir: the bench's data folder; stores in `stores/`, runs in `runs/`.
        scale: simulator scale factor.
        seed: simulator seed.
        stages: a subset of STAGES.
        repeats: repeats of every stage (median and range are reported).
        memory_limit: DuckDB memory limit of the runs' warehouse connections (e.g. "6GB").
        years: years of history before the nightly stage's new day.

    Returns:
        {"scale", "seed", "years", "store": {...}, "store_seconds", **summary}.
    """
    started = time.perf_counter()
    store = cached_store(data_dir / "stores", scale, seed, years)
    store_seconds = time.perf_counter() - started
    run_dir = data_dir / "runs" / store.folder.name
    runs = [run_once(store, run_dir, stages, memory_limit) for _ in range(repeats)]
    truth = json.loads((store.exports / "ground_truth.json").read_text())
    facts = {
        "order_lines": truth["orders"]["order_lines"],
        "skus": truth["catalog"]["products"],
        "traffic_events": truth["traffic"]["events"],
        "days": truth["date_range"],
    }
    return {
        "scale": scale,
        "seed": seed,
        "years": years,
        "store": facts,
        "store_seconds": store_seconds,
        "memory_limit": memory_limit,
        **summarize(runs),
    }
