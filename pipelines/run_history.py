"""Dagster's SQLite run history: batches of asset events written in one transaction, and
each shard's connection kept open between writes.

A run that loads a range of export days (single-run backfill) records, per raw asset and
per day, a "materialization planned" and a "materialization" event: 6 raw assets x 365
days are ~4,400 events for a year's first load. The stock SQLite storage writes every
event on a fresh engine in two transactions (run shard, then the cross-run index), each
committed and closed on its own: 20-30 ms of SQLAlchemy and fsync per event, which was
~100 s of the 156 s demo run (bench/, docs/performance.md).

Dagster already hands these per-partition events over as batches when
`DAGSTER_EVENT_BATCH_SIZE` is set; the stock SQLite storage then still writes them one by
one. This subclass writes a batch with the same rows in one transaction per shard, each
event serialized once and the asset's index row written once per batch with what the
batch's events, applied one by one, would have left in it (2.5 -> 0.8 ms per event,
`python -m bench.event_store`). Every partition keeps its own planned and materialization
events and the Dagster UI shows the same partition status (materialized, in progress,
failed); the files are the stock layout, read by `make ui` with the stock storage.

Every other write (a step's start, logs, check results, success, the concurrency slot it
claims) the stock storage also makes on a fresh engine, and closing the last connection
to a WAL database checkpoints it into the main file and deletes the WAL: fsyncs and file
churn on every event, 0.29-0.32 s of Dagster per step of `bench.event_store`'s empty steps
on this machine (0.02-0.03 s with this storage), 6-9 s of a nightly run's 73 steps
(docs/performance.md, "Dagster's bookkeeping per step").
This storage keeps one pooled connection per shard (the index and the last few runs'),
with `synchronous=NORMAL`: a commit is written to the WAL without an fsync, so a power
cut (not a crash of the process) may lose the last events; the database stays consistent.
The UI (another process) follows a running run by watching its shard file for changes;
writes now land in the WAL until a checkpoint, so after each write to a run's shard the
file's modification time is bumped, which wakes that watcher.
dagster.yaml names this storage, so runs launched by the daemon (the schedules under
`make ui`) and the UI use it too; `orderpulse` uses it even with a dagster.yaml copied
before it was named there (pipelines/runner.py).
`python -m bench.event_store` measures both, per event and per step.
"""

import os
from collections import OrderedDict, defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import sqlalchemy as db
from dagster import Field
from dagster._config import StringSource
from dagster._core.events import ASSET_CHECK_EVENTS, ASSET_EVENTS, BATCH_WRITABLE_EVENTS
from dagster._core.events.log import EventLogEntry
from dagster._core.instance.ref import _event_logs_directory
from dagster._core.storage.event_log.schema import AssetKeyTable, SqlEventLogStorageTable
from dagster._core.storage.event_log.sqlite.sqlite_event_log import (
    INDEX_SHARD_NAME,
    SQLITE_BUSY_TIMEOUT_SECONDS,
    SqliteEventLogStorage,
)
from dagster._serdes import ConfigurableClassData

# The Dagster release this subclass was last checked against, and a fingerprint of the
# source of every storage member it calls or mirrors. pyproject.toml pins Dagster to this
# minor version; tests/pipelines/test_run_history.py fails when any fingerprint changes
# (an upgrade, patch releases included), naming the member: re-read that member's new
# source against `store_event_batch` below, then record the new fingerprints.
CHECKED_DAGSTER_VERSION = "1.13.27"
CHECKED_MEMBERS = {
    "store_event": "f89aed40602438b9",
    "store_event_batch": "d710189545dbace2",
    "_event_to_row": "93d47fbe7edc4f70",
    "run_connection": "54e64bd6f8b77093",
    "index_transaction": "00b2488c8cdfd277",
    "_store_asset_event": "fdb9340b9eef1c9b",
    "_get_asset_entry_values": "bb3b9df2c6c371fe",
    "_has_asset_key_index_cols_on_connection": "8d359e6b6224b3fd",
    "_store_asset_event_tags": "85d6f17ef04b926f",
    "store_asset_check_event": "6d148295fa69bb45",
    "_connect": "b8435f2665689760",
    "_initdb": "7a302d98eb61a34d",
    "dispose": "df16dafbfa8427c1",
}

# Events per batch: Dagster flushes a batch at this size or at its end. SQLAlchemy splits
# the batch's inserts to stay within SQLite's bound-variable limit.
EVENT_BATCH_SIZE = 500

# Shards whose engine (and open connection) is kept: the index and the runs written last.
# A process that runs many runs (the bench, a daemon) closes the oldest beyond this.
OPEN_SHARDS = 4


class BatchedSqliteEventLogStorage(SqliteEventLogStorage):
    """SqliteEventLogStorage whose `store_event_batch` uses one transaction per shard and
    whose shards keep their connection open (module docstring)."""

    def __init__(self, base_dir: str, inst_data: ConfigurableClassData | None = None):
        # Set before the parent's __init__, which may already write to the index shard.
        self._engines: OrderedDict[str, db.Engine] = OrderedDict()
        # Dagster hands events over in batches only when this is set (it reads it when it
        # stores them): the process that stores through this class gets batches.
        os.environ.setdefault("DAGSTER_EVENT_BATCH_SIZE", str(EVENT_BATCH_SIZE))
        super().__init__(base_dir, inst_data)

    @classmethod
    def config_type(cls) -> dict:
        """dagster.yaml may name this class without a folder: the stock one is used."""
        return {"base_dir": Field(StringSource, is_required=False)}

    @classmethod
    def from_config_value(
        cls, inst_data: ConfigurableClassData | None, config_value: dict
    ) -> "BatchedSqliteEventLogStorage":
        """The storage dagster.yaml names; without `base_dir`, the stock storage's folder
        under $DAGSTER_HOME (history/runs), which every process of the instance shares."""
        base_dir = config_value.get("base_dir")
        if base_dir is None:
            home = os.environ.get("DAGSTER_HOME")
            if not home:
                raise ValueError(
                    "pipelines.run_history.BatchedSqliteEventLogStorage has no base_dir: "
                    "set DAGSTER_HOME, or give the storage a base_dir in dagster.yaml"
                )
            base_dir = _event_logs_directory(home)
        return cls(base_dir, inst_data=inst_data)  # the parent builds its own class

    def _engine(self, shard: str) -> db.Engine:
        """The shard's engine: one pooled connection, `synchronous=NORMAL`, created (and
        the shard's tables with it) on first use."""
        engine = self._engines.pop(shard, None)
        if engine is None:
            engine = db.create_engine(
                self.conn_string_for_shard(shard),
                pool_size=1,
                # Creating a shard's tables opens a second connection for a moment.
                max_overflow=2,
                # The pooled connection serves whichever thread holds the storage's lock.
                connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
            )
            db.event.listen(engine, "connect", _no_fsync_per_commit)
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
        self._engines[shard] = engine
        while len(self._engines) > OPEN_SHARDS:
            self._engines.popitem(last=False)[1].dispose()
        return engine

    @contextmanager
    def _connect(self, shard: str) -> Iterator[db.Connection]:
        with self._db_lock:
            with self._engine(shard).connect() as conn:
                sqlite = conn.connection.dbapi_connection
                changes = sqlite.total_changes
                with conn.begin():
                    yield conn
                wrote = sqlite.total_changes != changes
            # Wakes a UI watching the run (module docstring); only after a write, since a
            # UI reading through this storage would otherwise wake itself with each read.
            if wrote and shard != INDEX_SHARD_NAME:
                os.utime(self.path_for_shard(shard))

    def dispose(self) -> None:
        super().dispose()
        with self._db_lock:
            while self._engines:
                self._engines.popitem()[1].dispose()

    def store_event_batch(self, events: Sequence[EventLogEntry]) -> None:
        if any(
            not e.is_dagster_event or e.dagster_event_type not in BATCH_WRITABLE_EVENTS
            for e in events
        ):
            super().store_event_batch(events)  # not a batch Dagster makes: event by event
            return
        rows = [self._event_to_row(event) for event in events]  # serialized once, for both shards
        by_run: dict[str, list[dict]] = defaultdict(list)
        for row in rows:
            by_run[row["run_id"]].append(row)
        for run_id, run_rows in by_run.items():
            with self.run_connection(run_id) as conn:
                conn.execute(SqlEventLogStorageTable.insert(), run_rows)
        # The same rows store_event mirrors into the index shard, in the same order.
        with self.index_transaction() as conn:
            inserted = conn.execute(
                SqlEventLogStorageTable.insert().returning(
                    SqlEventLogStorageTable.c.id, sort_by_parameter_order=True
                ),
                rows,
            )
            event_ids = [row.id for row in inserted]
            asset = [
                (e, i) for e, i in zip(events, event_ids) if e.dagster_event_type in ASSET_EVENTS
            ]
            if asset:
                self._store_asset_entries(conn, asset)
                self._store_asset_event_tags(conn, [e for e, _ in asset], [i for _, i in asset])
        for event, event_id in zip(events, event_ids):
            if event.dagster_event_type in ASSET_CHECK_EVENTS:
                self.store_asset_check_event(event, event_id)  # opens its own index connection

    def _store_asset_entries(
        self, conn: db.Connection, events: Sequence[tuple[EventLogEntry, int]]
    ) -> None:
        """The asset-key rows `_store_asset_event` leaves after the batch, one write per asset.

        Applied event by event, each event overwrites its own columns of the asset's row:
        materializations set last_materialization and last_run_id, planned events
        last_run_id, and all three kinds the timestamp. So only the last event of each kind
        per asset matters; they are applied in their order, the row written once.
        """
        last: dict[tuple[str, str], tuple[int, EventLogEntry, int]] = {}
        for order, (event, event_id) in enumerate(events):
            dagster_event = event.dagster_event
            if dagster_event is not None and dagster_event.asset_key is not None:
                key = dagster_event.asset_key.to_string()
                last[(key, dagster_event.event_type_value)] = (order, event, event_id)
        has_index_cols = self._has_asset_key_index_cols_on_connection(conn)
        merged: dict[str, dict] = defaultdict(dict)
        for (key, _), (_, event, event_id) in sorted(last.items(), key=lambda item: item[1][0]):
            merged[key].update(self._get_asset_entry_values(event, event_id, has_index_cols))
        values = {key: entry for key, entry in merged.items() if entry}
        existing = {
            row.asset_key
            for row in conn.execute(
                db.select(AssetKeyTable.c.asset_key).where(
                    AssetKeyTable.c.asset_key.in_(list(values))
                )
            )
        }
        for key, entry in values.items():
            if key in existing:
                conn.execute(
                    AssetKeyTable.update().values(**entry).where(AssetKeyTable.c.asset_key == key)
                )
            else:
                conn.execute(AssetKeyTable.insert().values(asset_key=key, **entry))


def _no_fsync_per_commit(dbapi_connection, _record) -> None:
    """SQLite in WAL mode with synchronous=NORMAL syncs at checkpoints, not at every commit."""
    dbapi_connection.execute("PRAGMA synchronous=NORMAL")
