"""Dagster resources of a deployment: where a run reads exports and writes the warehouse, site and files."""

from __future__ import annotations

import functools
import os
import re
import secrets
from pathlib import Path

import dagster as dg

from config.private_files import make_owner_only, private_dir
from config.settings import Settings
from config.settings_file import load_settings


class RunPaths(dg.ConfigurableResource):
    """Paths of one orderpulse deployment. Everything a run writes lives under `data_dir`.

    `exports_dir` defaults to `<data_dir>/exports`, `site_dir` (the published dashboards,
    replaced as a whole by each run, the run before kept in `<site_dir>.previous`) to
    `<data_dir>/site`. Analysts and notebooks read `analyst_copy`, never `warehouse` (the
    file the writer holds). The run settings are the `settings` resource (SettingsResource).
    """

    data_dir: str = "data"
    exports_dir: str = ""
    site_dir: str = ""

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
    def analyst_copy(self) -> Path:
        """The analyst schemas of the warehouse, republished atomically after each run."""
        return self.data / "analyst.duckdb"

    @property
    def site(self) -> Path:
        return Path(self.site_dir).resolve() if self.site_dir else self.data / "site"

    @property
    def reorder_csv(self) -> Path:
        return self.data / "reorder_recommendations.csv"

    @property
    def reorder_archive(self) -> Path:
        """Every run's reorder list, one `YYYY-MM-DD.csv` per as-of date (the last day of data
        it was planned from; reports/pages/reorder/archive.py). Kept beside the warehouse, not
        in it: the archive of record survives deleting and rebuilding the warehouse."""
        return self.data / "reorder"

    @property
    def purchase_orders(self) -> Path:
        """The draft purchase orders of the latest list, one CSV and one XLSX per supplier
        (reports/pages/reorder/purchase_order_files.py), replaced as a whole by each run."""
        return self.data / "purchase_orders"

    def run_log(self, run_id: str) -> Path:
        """The log file of one CLI run: every event, tracebacks included."""
        return self.data / "logs" / f"run-{run_id}.log"

    def ensure_data_dir(self) -> Path:
        """The data directory, created owner-only (0700) when missing.

        The warehouse file, its write-ahead log and the salt are made owner-only (0600)
        too, in case an older version left them readable (config/private_files.py).
        """
        private_dir(self.data)
        wal = self.warehouse.with_name(self.warehouse.name + ".wal")
        for path in (self.warehouse, wal, self.salt_file):
            make_owner_only(path)
        return self.data

    @property
    def salt_file(self) -> Path:
        return self.data / "salt"

    def salt(self) -> str:
        """This installation's secret salt for customer keys, created on first use.

        Customer keys are sha256(salt, id): without the salt nobody can test a guessed e-mail
        against the warehouse, and two installations never share keys. The file lives beside
        the warehouse and must be kept (and backed up) with it: a new salt gives every
        customer a new key, which splits their history between old and new rows.
        """
        path = self.salt_file
        self.ensure_data_dir()
        try:
            # Exclusive create with owner-only permissions: two processes starting at once
            # both end up reading the one salt that was written first.
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(descriptor, "w") as handle:
                handle.write(secrets.token_hex(32) + "\n")
        salt = path.read_text().strip()
        if not re.fullmatch(r"[0-9a-f]{64}", salt):
            raise ValueError(
                f"salt file {path} does not hold 64 hex digits; restore it from the backup of this "
                f"data directory (deleting it re-keys every customer in the next run)"
            )
        return salt


class SettingsResource(dg.ConfigurableResource):
    """The run settings: `settings_file` is optional YAML (docs/settings.md has every key).

    `get()` reads and validates the file once per process and file version: every asset
    of a run shares one `Settings`, and an edited file is read again by the next run.
    """

    settings_file: str = ""

    def get(self) -> Settings:
        """The validated settings (the defaults when no file is set).

        Raises:
            SettingsError: the file is missing or holds an invalid value.
        """
        if not self.settings_file:
            return _loaded("", None)
        path = Path(self.settings_file).resolve()
        stat = path.stat() if path.is_file() else None
        return _loaded(str(path), (stat.st_mtime_ns, stat.st_size) if stat else None)


@functools.cache
def _loaded(path: str, version: tuple[int, int] | None) -> Settings:
    # Keyed by the file's modification time and size too, so a long-lived process (the
    # Dagster daemon) reads an edited file again; a failed load raises and is not cached.
    return load_settings(path or None)
