"""The resource dictionary of the one Definitions (and of every test run)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb
from dagster_duckdb import DuckDBResource

from config.resources import RunPaths, SettingsResource
from config.settings import Settings
from config.settings_errors import SettingsError
from forecasting.models import check_candidates
from warehouse.connect import warehouse_config


class WarehouseResource(DuckDBResource):
    """dagster-duckdb's resource, closing its connection when the step raises too.

    The stock `get_connection` closes only after a clean exit: a step that fails holds
    its read-write connection until garbage collection, and the read-only connection the
    CLI opens after the run for its summary then fails ("different configuration").
    """

    @contextmanager
    def get_connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with super().get_connection() as con:
            try:
                yield con
            finally:
                con.close()


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
    config = warehouse_config(checked_settings(settings).warehouse)
    # The warehouse file is derived from the data dir, so it is fixed when the Definitions
    # load (`paths` itself may hold a `dg.EnvVar`, resolved here).
    warehouse = paths.process_config_and_initialize().warehouse
    return {
        "paths": paths,
        "settings": settings,
        "duckdb": WarehouseResource(database=str(warehouse), connection_config=config),
    }
