"""The export drop folder sensor: new or changed files launch a refresh of their days.

The cursor is JSON {file: content sha256}. A file whose content changed (or appeared, or
disappeared) marks its export day (a multi-day file: every day it holds); one run then
reloads the contiguous range of marked days. Dropping the same file again (same content, new mtime) changes nothing, and the run
key is derived from the files' contents, so a re-evaluated tick never launches twice.
Days outside the deployment's partitions (history.first_day) launch nothing: the tick
says which setting to change and keeps the days marked until it is changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import dagster as dg
from dagster._core.storage.tags import (
    ASSET_PARTITION_RANGE_END_TAG,
    ASSET_PARTITION_RANGE_START_TAG,
)

from config.partitions import HistoryRangeError, check_export_days
from config.resources import RunPaths, SettingsResource
from ingest.bounds import RowBounds
from ingest.discover import ExportLayoutError, discover_exports, fingerprint
from ingest.multi_day import export_days
from pipelines.jobs import refresh_job


def changed_days(
    previous: dict[str, str], current: dict[str, str], held: dict[str, list[str]] | None = None
) -> list[str]:
    """Export days (YYYY-MM-DD) whose files were added, changed or removed.

    `held` gives the days of multi-day files by name (a removed one is not known: the run
    then covers the changed day files only, and the next full run reloads its days).
    """
    held = held or {}
    names = {n for n in set(previous) | set(current) if previous.get(n) != current.get(n)}
    days: set[str] = set()
    for name in names:
        stem = name.rsplit("/", 1)[-1].split(".", 1)[0]
        days |= set(held[name]) if name in held else ({stem} if _is_day(stem) else set())
    return sorted(days)


def _is_day(stem: str) -> bool:
    try:
        return len(stem) == 10 and bool(dt.date.fromisoformat(stem))
    except ValueError:
        return False


def range_tags(first_day: str, last_day: str) -> dict[str, str]:
    """Tags that make one run cover a range of export days (single-run backfill)."""
    return {ASSET_PARTITION_RANGE_START_TAG: first_day, ASSET_PARTITION_RANGE_END_TAG: last_day}


def export_drop_sensor(minimum_interval_seconds: int) -> dg.SensorDefinition:
    """The sensor, evaluated at most every `minimum_interval_seconds` (settings
    `schedule.export_poll_seconds`)."""
    return dg.sensor(
        name="export_drop_sensor",
        job=refresh_job,
        minimum_interval_seconds=minimum_interval_seconds,
        description=__doc__,
    )(_export_drop_tick)


def _export_drop_tick(
    context: dg.SensorEvaluationContext, paths: RunPaths, settings: SettingsResource
):
    if not paths.exports.exists():
        return dg.SkipReason(f"exports folder {paths.exports} does not exist yet")
    try:
        files = discover_exports(paths.exports)
    except ExportLayoutError as error:
        return dg.SkipReason(str(error))
    current = {f.name: fingerprint(f.path).rsplit(":", 1)[-1] for f in files}
    previous = json.loads(context.cursor) if context.cursor else {}
    cfg = settings.get()
    bounds = RowBounds.from_settings(cfg.ingest, cfg.history, schedule=cfg.schedule)
    held = {
        f.name: [day.isoformat() for day in export_days(paths.exports, [f], bounds)]
        for f in files
        if not f.is_day_file and previous.get(f.name) != current[f.name]
    }
    days = changed_days(previous, current, held)
    if not days:
        context.update_cursor(json.dumps(current))
        return dg.SkipReason("no new or changed export files")
    try:
        check_export_days(
            cfg.history, dt.date.fromisoformat(days[0]), dt.date.fromisoformat(days[-1])
        )
    except HistoryRangeError as error:
        return dg.SkipReason(str(error))
    context.update_cursor(json.dumps(current))
    run_key = hashlib.sha256(json.dumps(current, sort_keys=True).encode()).hexdigest()[:16]
    return dg.RunRequest(run_key=run_key, tags=range_tags(days[0], days[-1]))
