"""Dagster's SQLite run history, with batches of asset events written in one transaction.

A run that loads a range of export days (single-run backfill) records, per raw asset and
per day, a "materialization planned" and a "materialization" event: 6 raw assets x 365
days are ~4,400 events for a year's first load. The stock SQLite storage writes every
event on a fresh engine in two transactions (run shard, then the cross-run index), each
committed and closed on its own: 20-30 ms of SQLAlchemy and fsync per event, which was
~100 s of the 156 s demo run (bench/, docs/performance.md).

Dagster already hands these per-partition events over as batches when
`DAGSTER_EVENT_BATCH_SIZE` is set; the stock SQLite storage then still writes them one by
one. This subclass writes a batch with the same rows in one transaction per shard, so
every partition keeps its own planned and materialization events and the Dagster UI shows
the same partition status (materialized, in progress, failed); the files are the stock
layout, read by `make ui` with the stock storage.
"""

from collections import defaultdict
from collections.abc import Sequence

from dagster._core.events import ASSET_CHECK_EVENTS, ASSET_EVENTS, BATCH_WRITABLE_EVENTS
from dagster._core.events.log import EventLogEntry
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage
from dagster._core.storage.sqlalchemy_compat import db_result
from dagster._serdes import ConfigurableClassData

# Events per batch: Dagster flushes a batch at this size or at its end. 500 rows of the
# event table stay far below SQLite's 32,766 bound variables in one multi-row insert.
EVENT_BATCH_SIZE = 500


class BatchedSqliteEventLogStorage(SqliteEventLogStorage):
    """SqliteEventLogStorage whose `store_event_batch` uses one transaction per shard."""

    @classmethod
    def from_config_value(
        cls, inst_data: ConfigurableClassData | None, config_value: dict
    ) -> "BatchedSqliteEventLogStorage":
        return cls(inst_data=inst_data, **config_value)  # the parent builds its own class

    def store_event_batch(self, events: Sequence[EventLogEntry]) -> None:
        if any(
            not e.is_dagster_event or e.dagster_event_type not in BATCH_WRITABLE_EVENTS for e in events
        ):
            super().store_event_batch(events)  # not a batch Dagster makes: event by event
            return
        by_run: dict[str, list[EventLogEntry]] = defaultdict(list)
        for event in events:
            by_run[event.run_id].append(event)
        for run_id, run_events in by_run.items():
            with self.run_connection(run_id) as conn:
                conn.execute(self.prepare_insert_event_batch(run_events))
        # The same rows store_event mirrors into the index shard, in the same order.
        asset_events, asset_ids, check_events, check_ids = [], [], [], []
        with self.index_transaction() as conn:
            for event in events:
                with db_result(conn, self.prepare_insert_event(event)) as result:
                    event_id = result.inserted_primary_key[0]
                if event.dagster_event_type in ASSET_EVENTS:
                    asset_events.append(event)
                    asset_ids.append(event_id)
                    self._store_asset_event(conn, event, event_id)
                elif event.dagster_event_type in ASSET_CHECK_EVENTS:
                    check_events.append(event)
                    check_ids.append(event_id)
            if asset_events:
                self._store_asset_event_tags(conn, asset_events, asset_ids)
        for event, event_id in zip(check_events, check_ids):
            self.store_asset_check_event(event, event_id)  # opens its own index connection
