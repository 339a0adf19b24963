"""A private PostgreSQL cluster on this machine, started in a temporary folder and removed
with it: the database of the deployment test (tests/deploy) and of the benchmarks that
measure Dagster's PostgreSQL storage (bench/instance_backfill.py, bench/event_store.py).

Debian's server binaries (scripts/ensure-postgres.sh installs them); initdb refuses to run
as root, so root runs the cluster as the package's `postgres` user.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


def postgres_bin() -> Path | None:
    """The newest installed PostgreSQL server's bin folder (Debian layout), or None."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4])
    )
    return Path(found[-1]).parent if found else None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Postgres:
    """A running private cluster: trust authentication on 127.0.0.1:`port`, user postgres."""

    port: int
    db_name: str = "dagster"
    user: str = "postgres"

    def env(self) -> dict[str, str]:
        """The DAGSTER_PG_* variables deploy/dagster.yaml reads."""
        return {
            "DAGSTER_PG_HOST": "127.0.0.1",
            "DAGSTER_PG_PORT": str(self.port),
            "DAGSTER_PG_DB": self.db_name,
            "DAGSTER_PG_USER": self.user,
            "DAGSTER_PG_PASSWORD": "",
        }

    def query(self, sql: str, *params: object) -> list[tuple]:
        import psycopg2

        with (
            contextlib.closing(
                psycopg2.connect(
                    host="127.0.0.1", port=self.port, user=self.user, dbname=self.db_name
                )
            ) as connection,
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, params)
            return cursor.fetchall()


def _as_postgres_user(command: list[str]) -> list[str]:
    # initdb refuses to run as root: root runs the server as the package's `postgres` user.
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextlib.contextmanager
def postgres_cluster(db_name: str = "dagster") -> Iterator[Postgres]:
    """A fresh cluster in a temporary folder (readable by the postgres user, which pytest's
    own temporary folders are not), with an empty database `db_name`; removed on exit."""
    bin_dir = postgres_bin()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL is not installed: run scripts/ensure-postgres.sh")
    folder = Path(tempfile.mkdtemp(prefix="orderpulse-pg-"))
    data = folder / "data"
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    port = free_port()
    pg_ctl = [str(bin_dir / "pg_ctl"), "-D", str(data)]
    try:
        subprocess.run(
            _as_postgres_user(
                [str(bin_dir / "initdb"), "-A", "trust", "-U", "postgres", "-D", str(data)]
            ),
            check=True,
            capture_output=True,
        )
        options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1"
        subprocess.run(
            _as_postgres_user(
                [*pg_ctl, "-o", options, "-l", str(folder / "server.log"), "-w", "start"]
            ),
            check=True,
            capture_output=True,
        )
        server = Postgres(port, db_name)
        subprocess.run(
            _as_postgres_user(
                [
                    str(bin_dir / "createdb"),
                    "-h",
                    str(folder),
                    "-p",
                    str(port),
                    "-U",
                    "postgres",
                    db_name,
                ]
            ),
            check=True,
            capture_output=True,
        )
        yield server
    finally:
        subprocess.run(_as_postgres_user([*pg_ctl, "-m", "immediate", "stop"]), capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)
