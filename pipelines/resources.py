"""Resources: where the run reads exports and writes the warehouse, site and files."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipelines.settings import Settings, load_settings


class RunPaths(dg.ConfigurableResource):
    """Paths of one orderpulse deployment. Everything a run writes lives under `data_dir`.

    `exports_dir` defaults to `<data_dir>/exports`; `settings_file` is optional YAML
    (see pipelines/settings.py for every key and its default).
    """

    data_dir: str = "data"
    exports_dir: str = ""
    settings_file: str = ""

    @property
    def data(self) -> Path:
        return Path(self.data_dir).resolve()

    @property
    def exports(self) -> Path:
        return Path(self.exports_dir).resolve() if self.exports_dir else self.data / "exports"

    @property
    def warehouse(self) -> Path:
        return self.data / "warehouse.duckdb"

    @property
    def site(self) -> Path:
        return self.data / "site"

    @property
    def reorder_csv(self) -> Path:
        return self.data / "reorder_recommendations.csv"

    def settings(self) -> Settings:
        return load_settings(self.settings_file or None)


def build_resources(paths: RunPaths) -> dict[str, object]:
    """The resource dictionary every Definitions and test run uses."""
    return {"paths": paths, "duckdb": DuckDBResource(database=str(paths.warehouse))}
