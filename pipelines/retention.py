"""Bounded run history: delete old finished runs and trim the warehouse's history tables.

Dagster keeps every run forever (its `retention:` settings cover schedule and sensor ticks
only). Each run leaves its run row, its events (on SQLite a shard file
`dagster_home/history/runs/<run id>.db` and copies in the index `runs/index.db`), its
asset-check executions in the index, its compute logs and, for CLI runs, `<data dir>/logs/run-<run id>.log`. `prune_history`
deletes all of that for every finished run past the settings' `retention` window, and
trims the warehouse tables that gain rows every run (warehouse/history_trim.py).

It runs after every CLI run (pipelines/runner.py) and, for the Dagster service, daily as
the `history_retention` job. Never deleted: a run that has not finished (queued, starting,
in progress, cancelling), and a run that holds the latest materialization of an asset
(the weekly backtest's metadata decides when the next backtest runs).
"""

import contextlib
import datetime as dt
import sqlite3
from pathlib import Path

import dagster as dg
import duckdb
from dagster._core.storage.dagster_run import FINISHED_STATUSES, RunsFilter
from dagster._core.storage.event_log.schema import AssetCheckExecutionsTable
from dagster._core.storage.event_log.sql_event_log import SqlEventLogStorage
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage
from dagster_duckdb import DuckDBResource

from config.pools import DUCKDB_POOL
from config.resources import RunPaths, SettingsResource
from config.settings import RetentionSettings, ScheduleSettings, Settings
from warehouse.connect import connect
from warehouse.history_trim import BUILDS, CHECK_RESULTS, CLV_MODEL, trim_table

HISTORY_RETENTION_JOB_NAME = "history_retention"


def expired_runs(
    instance: dg.DagsterInstance, cfg: RetentionSettings, now: dt.datetime
) -> list[str]:
    """The ids of the finished runs outside the window: older than `run_days`, or past the
    newest `max_runs`, and not holding the latest materialization of any asset."""
    if cfg.run_days == 0 and cfg.max_runs == 0:
        return []
    records = instance.get_run_records(filters=RunsFilter(statuses=FINISHED_STATUSES))
    records = sorted(records, key=lambda record: record.create_timestamp, reverse=True)
    cutoff = now - dt.timedelta(days=cfg.run_days)
    expired = [
        record.dagster_run.run_id
        for position, record in enumerate(records)
        if (cfg.max_runs and position >= cfg.max_runs)
        or (cfg.run_days and _utc(record.create_timestamp) < cutoff)
    ]
    return [run_id for run_id in expired if run_id not in _latest_materialization_runs(instance)]


def _utc(moment: dt.datetime) -> dt.datetime:
    """`moment` as an aware UTC time (the SQLite run storage returns naive UTC)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _latest_materialization_runs(instance: dg.DagsterInstance) -> set[str]:
    """The runs that wrote the latest materialization of some asset."""
    runs = set()
    for key in instance.get_asset_keys():
        event = instance.get_latest_materialization_event(key)
        if event is not None:
            runs.add(event.run_id)
    return runs


def delete_run(instance: dg.DagsterInstance, run_id: str, logs_dir: Path | None) -> None:
    """Delete a run, its events, its check executions, its compute logs and its CLI log.

    `instance.delete_run` deletes the run's row and events but keeps its rows of the
    index's asset_check_executions (~4 KB per check per run, most of a tiny run's growth),
    and on SQLite it leaves the run's event shard as an empty file of ~1 MB (its schema
    and freed pages): both are removed here.
    """
    instance.delete_run(run_id)
    storage = instance.event_log_storage
    if isinstance(storage, SqlEventLogStorage):  # SQLite and PostgreSQL alike
        with storage.index_connection() as conn:
            conn.execute(
                AssetCheckExecutionsTable.delete().where(
                    AssetCheckExecutionsTable.c.run_id == run_id
                )
            )
    if isinstance(storage, SqliteEventLogStorage):
        shard = Path(storage.path_for_shard(run_id))
        for path in (shard, shard.with_suffix(".db-wal"), shard.with_suffix(".db-shm")):
            path.unlink(missing_ok=True)
    with contextlib.suppress(NotImplementedError):
        instance.compute_log_manager.delete_logs(prefix=[run_id])
    if logs_dir is not None:
        (logs_dir / f"run-{run_id}.log").unlink(missing_ok=True)


def vacuum_sqlite_history(instance: dg.DagsterInstance) -> None:
    """Give the space of deleted rows back to the disk: SQLite files do not shrink by
    themselves. Only the stock SQLite layout (`history/runs.db`, `history/runs/index.db`);
    PostgreSQL's autovacuum reuses the space of deleted rows."""
    storage = instance.event_log_storage
    if not isinstance(storage, SqliteEventLogStorage):
        return
    runs_dir = Path(storage._base_dir)  # the stock layout: shards beside index.db
    for path in (runs_dir / "index.db", runs_dir.parent / "runs.db"):
        if path.exists():
            with contextlib.closing(sqlite3.connect(path, timeout=30)) as con:
                con.execute("vacuum")


def trim_warehouse(
    con: duckdb.DuckDBPyConnection, cfg: RetentionSettings, now: dt.datetime
) -> dict[str, int]:
    """Trim the append-only warehouse tables; the rows deleted per table."""
    windows = {
        CHECK_RESULTS: cfg.check_results_days,
        CLV_MODEL: cfg.clv_model_days,
        BUILDS: cfg.build_log_days,
    }
    return {table.name: trim_table(con, table, days, now) for table, days in windows.items()}


def prune_runs(
    instance: dg.DagsterInstance,
    cfg: RetentionSettings,
    logs_dir: Path | None,
    now: dt.datetime | None = None,
) -> list[str]:
    """Delete the expired runs (see `expired_runs`) with their files; their ids."""
    now = now or dt.datetime.now(dt.UTC)
    deleted = expired_runs(instance, cfg, now)
    for run_id in deleted:
        delete_run(instance, run_id, logs_dir)
    if deleted:
        vacuum_sqlite_history(instance)
    return deleted


def prune_history(instance: dg.DagsterInstance, paths: RunPaths, settings: Settings) -> list[str]:
    """Prune after a CLI run: Dagster's runs and the warehouse tables.

    Returns:
        Warnings for the run's summary: pruning never fails a run, a failure to prune
        (e.g. a full disk during VACUUM) is reported and tried again after the next run.
    """
    cfg = settings.retention
    try:
        prune_runs(instance, cfg, paths.data / "logs")
        if paths.warehouse.exists():
            with connect(paths.warehouse, settings=settings.warehouse) as con:
                trim_warehouse(con, cfg, dt.datetime.now(dt.UTC).replace(tzinfo=None))
    except Exception as error:  # noqa: BLE001 - a warning, never the run's failure
        return [f"pruning the run history failed: {error}"]
    return []


@dg.op(
    name="prune_history",
    pool=DUCKDB_POOL,
    description="Delete finished runs past the retention window with their event logs and "
    "log files, and trim the warehouse's append-only tables (settings `retention`).",
)
def prune_history_op(
    context: dg.OpExecutionContext,
    settings: SettingsResource,
    paths: RunPaths,
    duckdb: DuckDBResource,
) -> None:
    cfg = settings.get().retention
    deleted = prune_runs(context.instance, cfg, paths.data / "logs")
    rows = {}
    if paths.warehouse.exists():
        with duckdb.get_connection() as con:
            rows = trim_warehouse(con, cfg, dt.datetime.now(dt.UTC).replace(tzinfo=None))
    context.log.info(f"deleted {len(deleted)} runs and {rows} rows of history")


@dg.job(name=HISTORY_RETENTION_JOB_NAME)
def history_retention_job() -> None:
    prune_history_op()


def history_retention_schedule(cfg: ScheduleSettings) -> dg.ScheduleDefinition:
    """Daily, half an hour after the nightly refresh starts (it waits in the run queue
    while the refresh runs: one run at a time). It starts running, unlike the other
    schedules: a service whose operator never turned it on would grow without bound."""
    return dg.ScheduleDefinition(
        name=HISTORY_RETENTION_JOB_NAME,
        job=history_retention_job,
        cron_schedule=f"30 {cfg.hour} * * *",
        execution_timezone=cfg.run_timezone,
        default_status=dg.DefaultScheduleStatus.RUNNING,
        description="Every day, delete the finished runs past the retention window and trim "
        "the warehouse's history tables (settings `retention`).",
    )
