"""The resource dictionary of the one Definitions (and of every test run)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg
import duckdb
from dagster_duckdb import DuckDBResource

from config.resources import RunPaths, SettingsResource
from config.settings import Settings
from config.settings_errors import SettingsError
from forecasting.models import check_candidates
from pipelines.recovery import POLL_SECONDS, WarehouseBusyError, lock_holder_of
from warehouse.connect import warehouse_config


class WarehouseResource(DuckDBResource):
    """dagster-duckdb's resource, with two changes.

    - It closes its connection when the step raises too. The stock `get_connection` closes
      only after a clean exit: a failed step held its read-write connection until garbage
      collection, and the CLI's read-only connection after the run then failed
      ("different configuration").
    - Another process holding the warehouse's lock (an analyst's session on the warehouse
      instead of the analyst copy) is waited for at most `lock_timeout_seconds`, the step
      saying once who holds it; then the step fails with "busy: ..." naming the holder.
      The stock resource retried ~100 s without a word.
    """

    lock_timeout_seconds: float = 300.0

    @contextmanager
    def get_connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        con = self._connect()
        try:
            yield con
        finally:
            con.close()

    def _connect(self) -> duckdb.DuckDBPyConnection:
        config = {"custom_user_agent": "dagster", **self.connection_config}
        deadline = time.monotonic() + self.lock_timeout_seconds
        said = False
        while True:
            try:
                return duckdb.connect(self.database, read_only=False, config=config)
            except duckdb.IOException as error:
                holder = lock_holder_of(error)
                if holder is None:
                    raise
                if time.monotonic() >= deadline:
                    raise WarehouseBusyError(
                        f"busy: the warehouse lock is still held by {holder} after "
                        f"{self.lock_timeout_seconds:g} s (warehouse.lock_timeout_seconds); "
                        "close that process's connection (analysts read the analyst copy)"
                    ) from None
                if not said:
                    dg.get_dagster_logger().warning(
                        f"waiting up to {self.lock_timeout_seconds:g} s for the warehouse "
                        f"lock, held by {holder}"
                    )
                    said = True
                time.sleep(POLL_SECONDS)


def checked_settings(settings: SettingsResource) -> Settings:
    """The run's settings, validated before any step runs, model names included.

    config/ checks every value but the names in forecasting.candidate_models: only
    forecasting knows its models, and config imports no project package.

    The resource may name its file by `dg.EnvVar`: it is resolved here, as a run would.

    Raises:
        SettingsError: the file holds an invalid value or an unknown model name.
    """
    resolved = settings.process_config_and_initialize()
    loaded = resolved.get()
    try:
        check_candidates(loaded.forecasting.candidate_models)
    except ValueError as error:
        raise SettingsError(resolved.settings_file or "(defaults)", [str(error)]) from None
    return loaded


def build_resources(paths: RunPaths, settings: SettingsResource | None = None) -> dict[str, object]:
    """The resource dictionary every Definitions and test run uses.

    Args:
        paths: where the run reads exports and writes the warehouse, site and files.
        settings: the run settings; None: the documented defaults.
    """
    settings = settings or SettingsResource()
    warehouse_settings = checked_settings(settings).warehouse
    config = warehouse_config(warehouse_settings)
    # The warehouse file is derived from the data dir, so it is fixed when the Definitions
    # load (`paths` itself may hold a `dg.EnvVar`, resolved here).
    warehouse = paths.process_config_and_initialize().warehouse
    return {
        "paths": paths,
        "settings": settings,
        "duckdb": WarehouseResource(
            database=str(warehouse),
            connection_config=config,
            lock_timeout_seconds=warehouse_settings.lock_timeout_seconds,
        ),
    }
