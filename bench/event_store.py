"""Dagster run-history cost per event: stock SQLite storage vs pipelines/run_history.py.

    .venv/bin/python -m bench.event_store [DAYS]

Stores what a range run of DAYS export days writes for one raw asset (a planned and a
materialization event per day) into a fresh SQLite instance, once event by event as the
stock storage does and once as the batches Dagster hands over, and prints ms per event.
"""

from __future__ import annotations

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

from pipelines.run_history import EVENT_BATCH_SIZE, BatchedSqliteEventLogStorage


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


def main() -> None:
    days = int(sys.argv[1]) if len(sys.argv) > 1 else 365
    events = _events(days)
    for label in ("event by event (stock)", f"batches of {EVENT_BATCH_SIZE} (run_history)"):
        with tempfile.TemporaryDirectory() as folder:
            storage = BatchedSqliteEventLogStorage(str(Path(folder) / "runs"))
            started = time.perf_counter()
            if label.startswith("event by event"):
                for event in events:
                    storage.store_event(event)
            else:
                for first in range(0, len(events), EVENT_BATCH_SIZE):
                    storage.store_event_batch(events[first : first + EVENT_BATCH_SIZE])
            seconds = time.perf_counter() - started
            stored = len(storage.get_logs_for_run(events[0].run_id))
            print(
                f"{label:32s} {len(events)} events: {seconds:6.2f} s, {1000 * seconds / len(events):5.1f} ms/event, {stored} stored"
            )


if __name__ == "__main__":
    main()
