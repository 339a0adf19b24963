"""Crash-only recovery: what a run does before it starts so that a run killed at any moment
(`kill -9`, a power cut) never stops the next one.

A run records the host and process id that runs it in its tags. Before a run starts:

- runs still marked as running whose process on this host is gone are marked failed, and
  the concurrency-pool slots they held are freed (Dagster keeps a killed run's slot, and
  the next run would wait on it forever); runs of another host, or without the tags, are
  left alone and named;
- files and folders a dead process was writing (`.<name>.incoming-<pid>` beside the site,
  the analyst copy and the reorder archive) are removed, and DuckDB's default spill
  folder `<warehouse>.tmp` once no process holds the warehouse;
- a slot held by a live run, or the warehouse's lock held by another process, is waited
  for up to `warehouse.lock_timeout_seconds`, saying who holds it; then the run gives up
  with `WarehouseBusyError` (the CLI's exit code 4).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import dagster as dg
import duckdb
from dagster._core.storage.dagster_run import FINISHED_STATUSES

from config.pools import DUCKDB_POOL
from config.resources import RunPaths

HOST_TAG = "orderpulse/host"
PID_TAG = "orderpulse/pid"
# Statuses of a run that has not ended: a run killed in any of them stays there for good.
UNFINISHED = [
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.QUEUED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
    dg.DagsterRunStatus.CANCELING,
]
# `.site.incoming-123`, `.analyst.duckdb.incoming-123.wal`: the pid is the digits after it.
LEFTOVER = re.compile(r"^\..+\.incoming-(\d+)(\.wal)?$")
# DuckDB's lock error names the holder: "... Conflicting lock is held in /usr/bin/python3
# (PID 1234) by user root ..."
LOCK_HOLDER = re.compile(r"lock is held in (.*?) \(PID (\d+)\)")
POLL_SECONDS = 1.0


class WarehouseBusyError(RuntimeError):
    """Another process held the warehouse's lock or pool slot for longer than the timeout."""


def process_tags() -> dict[str, str]:
    """The run tags that let a later run tell whether this run's process is still alive."""
    return {HOST_TAG: socket.gethostname(), PID_TAG: str(os.getpid())}


def pid_alive(pid: int) -> bool:
    """Whether a process with this id runs on this host (this process counts as dead: it
    has not started a run yet, so a run recorded under its id is from a process before)."""
    if pid == os.getpid() or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, owned by another user
        return True
    return True


def recover_dead_runs(instance: dg.DagsterInstance) -> list[str]:
    """Mark failed the unfinished runs whose process on this host is dead, and free every
    pool slot held by a run that has ended. One line per run recovered or left alone."""
    lines = []
    host = socket.gethostname()
    for run in instance.get_runs(filters=dg.RunsFilter(statuses=UNFINISHED)):
        run_host, pid = run.tags.get(HOST_TAG), run.tags.get(PID_TAG, "")
        if run_host != host or not pid.isdigit():
            where = f"host {run_host}" if run_host else "no host/pid tags"
            lines.append(
                f"Left run {run.run_id} ({run.status.value}, {where}) alone: cannot tell if "
                "it is alive (if it is not: `dagster run delete` it with DAGSTER_HOME="
                f"{os.environ.get('DAGSTER_HOME', '<data dir>/dagster_home')})"
            )
            continue
        if pid_alive(int(pid)):
            continue
        held = _slots_held_by(instance, run.run_id)
        instance.report_run_failed(
            run, f"Its process {pid} on {host} died; marked failed by the next run."
        )
        instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        lines.append(
            f"Recovered run {run.run_id}: its process {pid} died while it was "
            f"{run.status.value.lower()}; marked failed, {held} pool slot(s) freed"
        )
    _free_slots_of_ended_runs(instance)
    return lines


def _slots_held_by(instance: dg.DagsterInstance, run_id: str) -> int:
    info = instance.event_log_storage.get_concurrency_info(DUCKDB_POOL)
    return sum(slot.run_id == run_id for slot in info.claimed_slots)


def _free_slots_of_ended_runs(instance: dg.DagsterInstance) -> None:
    """Free the slots still held by runs that ended (e.g. marked failed by hand)."""
    storage = instance.event_log_storage
    if not storage.supports_global_concurrency_limits:
        return
    run_ids = list(storage.get_concurrency_run_ids())
    if run_ids:
        ended = instance.get_runs(
            filters=dg.RunsFilter(run_ids=run_ids, statuses=FINISHED_STATUSES)
        )
        for run in ended:
            storage.free_concurrency_slots_for_run(run.run_id)


def leftover_folders(paths: RunPaths) -> set[Path]:
    """The folders where a run writes `.<name>.incoming-<pid>` before renaming it."""
    return {paths.data, paths.site.parent, paths.analyst_copy.parent, paths.reorder_archive}


def remove_leftovers(paths: RunPaths) -> list[Path]:
    """Remove what dead processes left half-written; the paths removed. A live process's
    files stay: another run may be writing them right now."""
    removed = []
    for folder in leftover_folders(paths):
        for entry in _dead_incoming(folder):
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
            removed.append(entry)
    return removed


def _dead_incoming(folder: Path) -> Iterator[Path]:
    if not folder.is_dir():
        return
    for entry in folder.iterdir():
        match = LEFTOVER.match(entry.name)
        if match and not pid_alive(int(match.group(1))):
            yield entry


def slot_holders(instance: dg.DagsterInstance) -> list[str]:
    """The runs holding a slot of the warehouse pool, each with its host and pid."""
    info = instance.event_log_storage.get_concurrency_info(DUCKDB_POOL)
    holders = []
    for run_id in sorted(info.active_run_ids):
        run = instance.get_run_by_id(run_id)
        tags = run.tags if run else {}
        holders.append(f"run {run_id} (pid {tags.get(PID_TAG, '?')} on {tags.get(HOST_TAG, '?')})")
    return holders


def lock_holder_of(error: duckdb.IOException) -> str | None:
    """Who holds the lock DuckDB's error is about, e.g. "pid 1234 (/usr/bin/python3)";
    None when the error is not about a lock."""
    if "lock" not in str(error).lower():
        return None
    match = LOCK_HOLDER.search(str(error))
    return f"pid {match.group(2)} ({match.group(1)})" if match else "another process"


def lock_holder(warehouse: Path) -> str | None:
    """Who holds the warehouse's DuckDB lock; None when a writer could open it now."""
    if not warehouse.exists():
        return None
    try:
        duckdb.connect(str(warehouse)).close()
    except duckdb.IOException as error:
        holder = lock_holder_of(error)
        if holder is None:
            raise
        return holder
    return None


def wait_until_free(
    what: str, holders: Callable[[], object], timeout: float, say: Callable[[str], None]
) -> None:
    """Wait while `holders()` names someone, saying who once, for at most `timeout` s.

    Raises:
        WarehouseBusyError: still held after `timeout` seconds.
    """
    deadline = time.monotonic() + timeout
    held = holders()
    if held:
        say(f"Waiting up to {timeout:g} s for {what}, held by {held}")
    while held:
        if time.monotonic() >= deadline:
            raise WarehouseBusyError(
                f"busy: {what} is still held by {held} after {timeout:g} s "
                "(warehouse.lock_timeout_seconds); nothing ran"
            )
        time.sleep(POLL_SECONDS)
        held = holders()


def prepare_run(
    instance: dg.DagsterInstance, paths: RunPaths, timeout: float, say: Callable[[str], None]
) -> None:
    """Everything a run does before it starts: recover dead runs, remove their leftovers,
    then wait for the pool slot and the warehouse lock.

    Raises:
        WarehouseBusyError: a live run or another process kept the slot or the lock.
    """
    for line in recover_dead_runs(instance):
        say(line)
    removed = remove_leftovers(paths)
    if removed:
        say(f"Removed {len(removed)} files left by dead runs: {', '.join(p.name for p in removed)}")
    wait_until_free(
        f"the `{DUCKDB_POOL}` pool slot", lambda: ", ".join(slot_holders(instance)), timeout, say
    )
    wait_until_free("the warehouse lock", lambda: lock_holder(paths.warehouse), timeout, say)
    remove_spill_files(paths.warehouse)


def remove_spill_files(warehouse: Path) -> None:
    """Empty DuckDB's default spill folder, `<warehouse>.tmp`, left by a killed writer.

    Called once the warehouse's lock is free: then no process has the warehouse open, so
    nothing in the folder is in use. A temp_directory set in the settings is left alone
    (it may be shared with other programs).
    """
    spill = warehouse.with_name(warehouse.name + ".tmp")
    if spill.is_dir():
        shutil.rmtree(spill, ignore_errors=True)
