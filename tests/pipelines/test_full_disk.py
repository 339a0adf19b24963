"""A full disk: the run says so in one line, leaves every published file as it was, and
the next run with space carries on; each writer (DuckDB, the analyst copy, the reorder
list) fails without leaving a half-written or temporary file.

The data dir (or the site, or one file) lives on a size-limited tmpfs; a ballast file
takes the free space. Mounting needs root (CI runs as root): without it, or where mount
is not permitted, the tests skip, saying so; any other failure to mount fails them.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import subprocess
from pathlib import Path

import duckdb
import pytest

from pipelines.cli import main
from reports.site.publish import copy_published_file
from simulator.tiny import FIRST_DAY, SKUS, TINY_DAYS, write_tiny_orders
from warehouse.analyst_copy import publish_analyst_copy
from warehouse.connect import connect

pytestmark = pytest.mark.e2e

DAYS = TINY_DAYS
# A tiny run writes about 13 MB (warehouse, analyst copy, Dagster's run history, site,
# logs); the disk leaves room for a few runs.
DISK_MB = 48
# The site is about 1.3 MB: one site fits, a second one written beside it does not.
SITE_DISK_MB = 2


def _mount_tmpfs(folder: Path, megabytes: int) -> None:
    """Mount a tmpfs of `megabytes` on `folder`; skip the test when mounting is not allowed."""
    folder.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a size-limited tmpfs needs root (CI runs the tests as root)")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={megabytes}m", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    # mount(8) words EPERM (no CAP_SYS_ADMIN, e.g. an unprivileged container) either way.
    refused = (os.strerror(errno.EPERM).lower(), "permission denied")
    if done.returncode != 0 and any(text in done.stderr.lower() for text in refused):
        pytest.skip(f"mount is not permitted here: {done.stderr.strip()}")
    assert done.returncode == 0, done.stderr


@pytest.fixture
def disks(tmp_path):
    """A factory of tmpfs folders under tmp_path, unmounted after the test."""
    mounted: list[Path] = []

    def mount(name: str, megabytes: int) -> Path:
        folder = tmp_path / name
        _mount_tmpfs(folder, megabytes)
        mounted.append(folder)
        return folder

    yield mount
    for folder in mounted:
        subprocess.run(["umount", str(folder)], check=True)


def _fill(disk: Path) -> Path:
    """A ballast file taking all the free space of `disk`."""
    ballast = disk / "ballast"
    descriptor = os.open(ballast, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        os.posix_fallocate(descriptor, 0, os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize)
    finally:
        os.close(descriptor)
    return ballast


def _run(exports: Path, data: Path, capsys, *more: str) -> tuple[int, list[str]]:
    code = main(["run", "--exports", str(exports), "--data-dir", str(data), "--quiet", *more])
    return code, capsys.readouterr().out.splitlines()


def _loaded(data: Path) -> tuple[int, dt.date]:
    """Rows and the newest export day of raw.orders, read as an analyst would (read-only)."""
    with duckdb.connect(str(data / "warehouse.duckdb"), read_only=True) as con:
        return con.execute("select count(*), max(_export_date) from raw.orders").fetchone()


def _leftovers(folder: Path) -> list[str]:
    """Temporary files a failed run must not leave: the site's and the analyst copy's
    incoming copies, DuckDB's spill folder and write-ahead logs of a copy."""
    names = [path.name for path in folder.rglob("*")]
    return [name for name in names if ".incoming-" in name or name.endswith(".tmp")]


def test_a_full_data_disk_says_so_keeps_the_warehouse_and_the_next_run_recovers(
    tmp_path, disks, capsys
):
    """Catches a full disk reported as a traceback (Dagster's SQLite storage, the run log
    file) or a misleading "the run did not start", a failed run that damages the warehouse
    or leaves half-written copies behind, and a run that cannot recover once space is freed."""
    disk = disks("disk", DISK_MB)
    exports, data = tmp_path / "exports", disk / "data"
    for offset in range(DAYS - 1):
        write_tiny_orders(exports, [offset])
    assert _run(exports, data, capsys)[0] == 0
    before = _loaded(data)
    published = {path: path.stat().st_mtime_ns for path in (data / "analyst.duckdb", data / "site")}

    write_tiny_orders(exports, [DAYS - 1])
    ballast = _fill(disk)
    code, lines = _run(exports, data, capsys)

    assert code == 1
    why = lines[lines.index("Why it failed:") + 1 :]
    assert re.fullmatch(
        rf"  disk full: {re.escape(str(data))} has \d+\.\d MB free; "
        r"free space there or move the data dir \(--data-dir, or ORDERPULSE_DATA_DIR for the Dagster service\)",
        why[0],
    ), "\n".join(lines)
    assert _loaded(data) == before
    assert {path: path.stat().st_mtime_ns for path in published} == published
    assert _leftovers(data) == []

    ballast.unlink()
    code, lines = _run(exports, data, capsys)
    assert code == 0, "\n".join(lines)
    rows, newest = _loaded(data)
    assert rows == before[0] + len(SKUS) and newest == FIRST_DAY + dt.timedelta(days=DAYS - 1)


def test_a_full_site_disk_keeps_the_published_site(tmp_path, disks, capsys):
    """Catches a site that fails to publish on a full disk leaving its half-written
    `.site.incoming-*` folder, losing the site published before, or a cause line naming
    the data dir when the site's own disk is full."""
    site_disk = disks("site_disk", SITE_DISK_MB)
    exports, data, site = tmp_path / "exports", tmp_path / "data", site_disk / "site"
    for offset in range(DAYS - 1):
        write_tiny_orders(exports, [offset])
    assert _run(exports, data, capsys, "--site-dir", str(site))[0] == 0
    index = (site / "index.html").read_text()

    write_tiny_orders(exports, [DAYS - 1])
    code, lines = _run(exports, data, capsys, "--site-dir", str(site))

    assert code == 1
    assert any(
        re.fullmatch(
            rf"  reports\.site: disk full: {re.escape(str(site_disk))} has \d+\.\d MB free; "
            "free space there",
            line,
        )
        for line in lines
    ), "\n".join(lines)
    assert (site / "index.html").read_text() == index
    assert _leftovers(site_disk) == []


def test_a_published_file_copied_onto_a_full_disk_stays_as_it_was(tmp_path, disks):
    """Catches reorder_recommendations.csv copied in place: a copy cut short by a full disk
    left merchandisers a truncated list."""
    disk = disks("disk", 1)
    target = disk / "reorder_recommendations.csv"
    target.write_text("sku,order_qty\nMUG,4\n")
    source = tmp_path / "new.csv"
    source.write_text("sku,order_qty\n" + "MUG,5\n" * 400_000)  # about 2.4 MB
    with pytest.raises(OSError) as raised:
        copy_published_file(source, target)
    assert raised.value.errno == errno.ENOSPC
    assert target.read_text() == "sku,order_qty\nMUG,4\n"
    assert sorted(path.name for path in disk.iterdir()) == [target.name]


def test_duckdb_keeps_every_committed_write_when_the_disk_fills(disks):
    """Catches a DuckDB version that loses or corrupts committed data on ENOSPC: a
    checkpoint that cannot be written (a FATAL error that closes the database) leaves its
    write-ahead log, replayed by the next reader, read-only or not; a commit that cannot be
    written is rolled back."""
    disk = disks("disk", 16)
    path = disk / "warehouse.duckdb"
    with connect(path) as con:
        con.execute("create table t as select range as i from range(100000)")
    with connect(path) as con:
        con.execute("set checkpoint_threshold = '1GB'")  # keep the next writes in the log
        con.execute("delete from t where i < 50000")
        con.execute("insert into t select range + 1e6 from range(300)")
        ballast = _fill(disk)
        with pytest.raises(duckdb.Error, match="No space left on device"):
            con.execute("checkpoint")
    with connect(path, read_only=True) as con:
        assert con.execute("select count(*) from t").fetchone() == (50300,)
    ballast.unlink()
    with connect(path) as con:  # replays the log and checkpoints it, with space now
        assert con.execute("select count(*) from t").fetchone() == (50300,)
        ballast = _fill(disk)
        with pytest.raises(duckdb.Error, match="No space left on device"):
            con.execute("insert into t select range + 2e6 from range(1000000)")
        assert con.execute("select count(*) from t").fetchone() == (50300,)
    with connect(path, read_only=True) as con:
        assert con.execute("select count(*) from t").fetchone() == (50300,)


def test_an_analyst_copy_that_does_not_fit_leaves_the_old_copy_and_no_temporary_file(
    tmp_path, disks
):
    """Catches a failed analyst copy leaving its `.analyst.duckdb.incoming-*` file (or its
    write-ahead log) on the full disk, or touching the copy analysts have open."""
    warehouse = tmp_path / "warehouse.duckdb"
    with connect(warehouse) as con:
        con.execute("create schema marts")
        con.execute("create table marts.t as select range as i from range(10)")
    disk = disks("disk", 4)
    target = disk / "analyst.duckdb"
    publish_analyst_copy(warehouse, target)
    with connect(warehouse) as con:  # a few MB of random numbers: more than the disk has left
        con.execute("create table marts.big as select random() as x from range(1000000)")
    old = target.read_bytes()

    with pytest.raises(duckdb.Error, match="No space left on device"):
        publish_analyst_copy(warehouse, target)

    assert target.read_bytes() == old
    assert sorted(path.name for path in disk.iterdir()) == [target.name]
