"""The resource dictionary of the one Definitions (and of every test run)."""

from __future__ import annotations

from dagster_duckdb import DuckDBResource

from config.resources import RunPaths
from warehouse.connect import warehouse_config


def build_resources(paths: RunPaths) -> dict[str, object]:
    """The resource dictionary every Definitions and test run uses."""
    config = warehouse_config(paths.settings().warehouse)
    return {
        "paths": paths,
        "duckdb": DuckDBResource(database=str(paths.warehouse), connection_config=config),
    }
