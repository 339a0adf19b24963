"""The batched run history stores the same per-partition events as Dagster's stock SQLite
storage, so the UI's partition status (materialized, failed) is unchanged."""

import hashlib
import inspect
import os
import shutil
import time

import dagster as dg
import pytest
from dagster._core.events.log import EventLogEntry
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage

from config.resources import RunPaths
from pipelines.run_history import (
    CHECKED_DAGSTER_VERSION,
    CHECKED_MEMBERS,
    OPEN_SHARDS,
    BatchedSqliteEventLogStorage,
)
from pipelines.runner import INSTANCE_TEMPLATE, instance_for
from pipelines.sensors import range_tags

DAYS = dg.DailyPartitionsDefinition(start_date="2024-01-01", end_date="2024-01-11")


def _job(fail: bool) -> dg.JobDefinition:
    @dg.asset(
        key=["raw", "days"], partitions_def=DAYS, backfill_policy=dg.BackfillPolicy.single_run()
    )
    def days(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        if fail:
            raise RuntimeError("export folder unreadable")
        return dg.MaterializeResult(metadata={"row_count": len(context.partition_keys)})

    return dg.Definitions(assets=[days]).resolve_implicit_global_asset_job_def()


def _run(instance: dg.DagsterInstance, fail: bool) -> str:
    return (
        _job(fail)
        .execute_in_process(
            instance=instance, tags=range_tags("2024-01-03", "2024-01-07"), raise_on_error=False
        )
        .run_id
    )


def _status(instance: dg.DagsterInstance, run_id: str) -> tuple:
    """Partition status, the count of planned events, and the asset's index row: the latest
    materialization's partition and whether its last run is this run."""
    key = dg.AssetKey(["raw", "days"])
    latest = instance.get_latest_materialization_event(key)
    (record,) = instance.get_asset_records([key])
    materialized = sorted(instance.get_materialized_partitions(key))
    failed = sorted(
        instance.event_log_storage.get_latest_asset_partition_materialization_attempts_without_materializations(
            key
        )
    )
    planned = instance.get_records_for_run(
        run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION_PLANNED, limit=10_000
    )
    events = sum(r.event_log_entry.dagster_event.asset_key == key for r in planned.records)
    return (
        materialized,
        failed,
        events,
        latest.dagster_event.partition if latest else None,
        record.asset_entry.last_run_id == run_id,
    )


@pytest.mark.parametrize("fail", [False, True])
def test_batched_history_keeps_partition_status(tmp_path, monkeypatch, fail):
    with dg.instance_for_test() as stock:  # stock SQLite storage in a temporary folder
        expected = _status(stock, _run(stock, fail))
    # instance_for sets both; monkeypatch puts them back after the test.
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    monkeypatch.setenv("DAGSTER_EVENT_BATCH_SIZE", "3")  # batches smaller than the 5 days
    batched = instance_for(RunPaths(data_dir=str(tmp_path / "batched")))
    assert isinstance(batched.event_log_storage, BatchedSqliteEventLogStorage)
    days = [f"2024-01-0{d}" for d in range(3, 8)]
    assert (
        _status(batched, _run(batched, fail))
        == expected
        == (([], days, 5, None, True) if fail else (days, [], 5, "2024-01-07", True))
    )


def _fingerprint(member: str) -> str:
    source = inspect.getsource(getattr(SqliteEventLogStorage, member))
    return hashlib.sha256(source.encode()).hexdigest()[:16]


def test_storage_members_are_the_ones_checked():
    """Catches a Dagster upgrade that changes how the stock storage writes an event (a new
    column, another index table, a changed asset-entry rule) while the batched subclass
    still writes the old rows: the UI would then show wrong partition status. The fix is
    to re-read each named member against `store_event_batch` and record the fingerprints
    in pipelines/run_history.py."""
    changed = {
        member: _fingerprint(member)
        for member, checked in CHECKED_MEMBERS.items()
        if _fingerprint(member) != checked
    }
    assert not changed, (
        f"Dagster {dg.__version__} changed {sorted(changed)} since {CHECKED_DAGSTER_VERSION}; "
        f"re-check pipelines/run_history.py against them, then record {changed}"
    )


def test_dagster_is_pinned_to_the_checked_minor_version():
    """Catches a pyproject.toml that lets `uv lock --upgrade` move Dagster to a minor
    release the batched storage was never checked against."""
    import tomllib
    from pathlib import Path

    project = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())
    major, minor = CHECKED_DAGSTER_VERSION.split(".")[:2]
    pins = [d for d in project["project"]["dependencies"] if d.startswith("dagster")]
    assert f"dagster>={CHECKED_DAGSTER_VERSION},<{major}.{int(minor) + 1}" in pins
    assert dg.__version__.startswith(f"{major}.{minor}.")


def _log_event(run_id: str, message: str) -> EventLogEntry:
    return EventLogEntry(None, "INFO", message, run_id, time.time(), "step", "refresh")


def test_a_ui_following_a_run_sees_each_event_while_the_connection_stays_open(tmp_path):
    """The run keeps its shard's connection open, so its writes sit in the WAL and the
    shard file itself does not change until a checkpoint. The UI (the stock storage)
    follows a running run by watching that file: without the modification time bumped
    after each write, it would show nothing new until the run ended."""
    writer = BatchedSqliteEventLogStorage(str(tmp_path))
    ui = SqliteEventLogStorage(str(tmp_path))
    run_id = "0b5e0c3a-0000-4000-8000-000000000001"
    writer.store_event(_log_event(run_id, "step started"))
    seen: list[str] = []
    ui.watch(run_id, None, lambda entry, _cursor: seen.append(entry.user_message))
    try:
        time.sleep(0.5)  # the watcher is scheduled
        writer.store_event(_log_event(run_id, "check passed"))
        deadline = time.monotonic() + 10
        while "check passed" not in seen and time.monotonic() < deadline:
            time.sleep(0.05)
        assert "check passed" in seen
        assert writer._engines, "the writer kept no connection open: nothing was tested"
    finally:
        ui.dispose()
        writer.dispose()


def test_a_process_running_many_runs_keeps_a_few_shards_open(tmp_path):
    """A daemon or the bench runs run after run in one process: a storage keeping every
    run's connection would hold one open file per run forever. The oldest are closed, and
    their events stay readable."""
    storage = BatchedSqliteEventLogStorage(str(tmp_path))
    runs = [f"0b5e0c3a-0000-4000-8000-00000000001{n}" for n in range(OPEN_SHARDS + 3)]
    try:
        for run_id in runs:
            storage.store_event(_log_event(run_id, f"run {run_id[-1]}"))
        assert len(storage._engines) == OPEN_SHARDS
        assert [e.user_message for e in storage.get_logs_for_run(runs[0])] == ["run 0"]
    finally:
        storage.dispose()


def test_the_instance_dagster_yaml_makes_stores_in_batches(tmp_path, monkeypatch):
    """Runs the daemon launches (the schedules under `make ui`) build their instance from
    dagster.yaml alone: with the storage not named there, they wrote every event through
    the stock storage (0.3 s of bookkeeping a step) and got no batches. The files stay
    where the stock storage keeps them, so a UI reads the same history."""
    shutil.copyfile(INSTANCE_TEMPLATE, tmp_path / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    monkeypatch.delenv("DAGSTER_EVENT_BATCH_SIZE", raising=False)
    with dg.DagsterInstance.get() as instance:
        storage = instance.event_log_storage
        assert isinstance(storage, BatchedSqliteEventLogStorage)
        assert os.path.samefile(storage._base_dir, tmp_path / "history" / "runs")
        assert os.environ["DAGSTER_EVENT_BATCH_SIZE"] == "500"


def test_a_read_leaves_the_run_file_alone(tmp_path):
    """A UI reading through this storage bumped the run's file with every read, so its
    own watcher woke it to read again, forever; only writes wake a watcher."""
    storage = BatchedSqliteEventLogStorage(str(tmp_path))
    run_id = "0b5e0c3a-0000-4000-8000-000000000002"
    try:
        storage.store_event(_log_event(run_id, "step started"))
        path = storage.path_for_shard(run_id)
        os.utime(path, (1, 1))
        assert [e.user_message for e in storage.get_logs_for_run(run_id)] == ["step started"]
        assert os.stat(path).st_mtime == 1
        storage.store_event(_log_event(run_id, "step succeeded"))
        assert os.stat(path).st_mtime > 1
    finally:
        storage.dispose()
