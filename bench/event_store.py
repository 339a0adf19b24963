"""Dagster run-history cost per event: stock SQLite storage vs pipelines/run_history.py,
and the stock PostgreSQL storage of deploy/dagster.yaml; then Dagster's cost per step.

    .venv/bin/python -m bench.event_store [DAYS]

Stores what a range run of DAYS export days writes for one raw asset (a planned and a
materialization event per day) into fresh storage, event by event as Dagster does by
default and as the batches it hands over when DAGSTER_EVENT_BATCH_SIZE is set, and prints
ms per event: on SQLite through the stock storage (event by event: it writes a batch so
too) and through pipelines/run_history.py (both ways); PostgreSQL's stock storage writes a
batch in one insert. PostgreSQL runs in a private cluster (bench/local_service.py) when installed.

Per step: a job of STEPS assets that do nothing, each with a blocking check of two
results (the shape of the pipeline's many small steps), run in process on the stock
SQLite storage and on the run's own (pipelines/runner.instance_for); the median of three
runs' seconds per step is what Dagster's bookkeeping costs a step.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import dagster as dg
from dagster._core.events import (
    AssetMaterializationPlannedData,
    DagsterEvent,
    DagsterEventType,
    StepMaterializationData,
)
from dagster._core.events.log import EventLogEntry
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage

from bench.local_postgres import postgres_bin, postgres_cluster
from config.resources import RunPaths
from pipelines.run_history import EVENT_BATCH_SIZE, BatchedSqliteEventLogStorage
from pipelines.runner import instance_for

STEPS = 20  # assets, and as many check steps


def _events(days: int) -> list[EventLogEntry]:
    run_id, key = str(uuid.uuid4()), dg.AssetKey(["raw", "orders"])
    keys = [f"2024-01-01+{d}" for d in range(days)]
    planned = [
        DagsterEvent.build_asset_materialization_planned_event(
            "refresh", "raw__orders", AssetMaterializationPlannedData(key, partition=p)
        )
        for p in keys
    ]
    done = [
        DagsterEvent(
            DagsterEventType.ASSET_MATERIALIZATION.value,
            "refresh",
            step_key="raw__orders",
            event_specific_data=StepMaterializationData(
                dg.AssetMaterialization(key, partition=p, metadata={"row_count": 1400})
            ),
        )
        for p in keys
    ]
    return [
        EventLogEntry(
            None, "DEBUG", "", run_id, time.time(), "raw__orders", "refresh", dagster_event=e
        )
        for e in planned + done
    ]


def _store(storage, events: list[EventLogEntry], batched: bool) -> float:
    started = time.perf_counter()
    if batched:
        # As Dagster hands them over: the planned events, then the materializations, each
        # in batches of up to EVENT_BATCH_SIZE.
        half = len(events) // 2
        for kind in (events[:half], events[half:]):
            for first in range(0, len(kind), EVENT_BATCH_SIZE):
                storage.store_event_batch(kind[first : first + EVENT_BATCH_SIZE])
    else:
        for event in events:
            storage.store_event(event)
    seconds = time.perf_counter() - started
    assert len(storage.get_logs_for_run(events[0].run_id)) == len(events)
    return seconds


def _print(label: str, events: int, seconds: float) -> None:
    print(f"{label:36s} {events} events: {seconds:6.2f} s, {1000 * seconds / events:5.1f} ms/event")


def _small_steps() -> list:
    """STEPS assets doing nothing, each with a blocking check step yielding two results."""
    definitions = []
    for number in range(STEPS):
        key = dg.AssetKey(["bench", f"step_{number}"])

        @dg.asset(key=key)
        def _asset() -> dg.MaterializeResult:
            return dg.MaterializeResult(metadata={"rows": 1})

        @dg.multi_asset_check(
            specs=[dg.AssetCheckSpec(name, asset=key, blocking=True) for name in ("a", "b")],
            name=f"step_{number}_checks",
        )
        def _checks(context):
            context.log.info("validated the rows written")
            for check in context.selected_asset_check_keys:
                yield dg.AssetCheckResult(
                    asset_key=check.asset_key, check_name=check.name, passed=True
                )

        definitions += [_asset, _checks]
    return definitions


def _seconds_per_step(instance: dg.DagsterInstance) -> float:
    definitions = _small_steps()
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        dg.materialize(definitions, instance=instance)
        runs.append((time.perf_counter() - started) / (2 * STEPS))
    return statistics.median(runs)


def per_step() -> None:
    with dg.instance_for_test() as stock:
        print(f"{'stock SQLite storage':36s} {1000 * _seconds_per_step(stock):6.0f} ms per step")
    with tempfile.TemporaryDirectory() as folder:
        ours = instance_for(RunPaths(data_dir=folder))
        print(
            f"{'the run storage (run_history)':36s} {1000 * _seconds_per_step(ours):6.0f} ms per step"
        )
        ours.dispose()


def main() -> None:
    days = int(sys.argv[1]) if len(sys.argv) > 1 else 365
    per_step()
    sqlite = (
        ("stock, event by event", SqliteEventLogStorage, False),
        ("run_history, event by event", BatchedSqliteEventLogStorage, False),
        (f"run_history, batches of {EVENT_BATCH_SIZE}", BatchedSqliteEventLogStorage, True),
    )
    for label, storage_class, batched in sqlite:
        events = _events(days)
        with tempfile.TemporaryDirectory() as folder:
            storage = storage_class(str(Path(folder) / "runs"))
            _print(f"SQLite {label}", len(events), _store(storage, events, batched))
            storage.dispose()
    if postgres_bin() is None:
        print("PostgreSQL is not installed: scripts/ensure-postgres.sh")
        return
    from dagster_postgres import PostgresEventLogStorage

    with postgres_cluster() as postgres:
        env = postgres.env()
        url = (
            f"postgresql+psycopg2://{env['DAGSTER_PG_USER']}@{env['DAGSTER_PG_HOST']}:"
            f"{env['DAGSTER_PG_PORT']}/{env['DAGSTER_PG_DB']}"
        )
        storage = PostgresEventLogStorage(url)
        for batched in (False, True):
            events = _events(days)
            label = f"batches of {EVENT_BATCH_SIZE} (stock)" if batched else "event by event"
            _print(f"PostgreSQL {label}", len(events), _store(storage, events, batched))
        storage.dispose()


if __name__ == "__main__":
    main()
