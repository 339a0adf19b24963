"""Crash-only recovery: a run killed with SIGKILL never stops the next one, half-written
files of dead processes go, and a warehouse held by someone else ends in exit code 4
naming the holder instead of a silent wait. Real processes throughout: the CLI in a
subprocess, a real kill, a real DuckDB writer in another process."""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from pathlib import Path

import dagster as dg
import pytest

from config.resources import RunPaths
from pipelines.cli import EXIT_CODES
from pipelines.recovery import (
    HOST_TAG,
    PID_TAG,
    WarehouseBusyError,
    prepare_run,
    process_tags,
    remove_leftovers,
)
from pipelines.resources import WarehouseResource
from pipelines.runner import instance_for
from simulator.tiny import write_tiny_orders
from tests.pipelines.crash_fixtures import (
    copy_salt,
    kill_at_step,
    run,
)
from warehouse.compare import differences
from warehouse.history_trim import PER_RUN_TABLES

pytestmark = pytest.mark.e2e

RUN_TIMEOUT = 180  # seconds: a tiny run takes ~20 s; a wait on a dead run's slot never ends


@pytest.fixture(scope="module")
def exports(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("crash") / "exports"
    write_tiny_orders(folder)
    return folder


@pytest.fixture(scope="module")
def clean_run(exports) -> Path:
    data = exports.parent / "clean"
    assert run(exports, data, RUN_TIMEOUT).returncode == 0
    return data


def _dead_pid() -> int:
    """The id of a process that has just ended."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


@pytest.fixture
def live_process():
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    yield process
    process.kill()
    process.wait()


def test_a_run_killed_mid_step_does_not_stop_the_next_run(exports, clean_run):
    """Bug caught: `kill -9` left the dead run's `duckdb` pool slot claimed, and the next run
    sat at `starting: 0/58` printing nothing until stopped by hand; also a recovery run
    whose tables differ from a run that was never killed."""
    data = exports.parent / "killed"
    copy_salt(clean_run, data)
    assert kill_at_step(exports, data, step=20), "the run ended before its 20th step"
    instance = instance_for(RunPaths(data_dir=str(data)))
    held = instance.event_log_storage.get_concurrency_info("duckdb").claimed_slots
    assert held, "the killed run should still hold its slot (else this test proves nothing)"
    started = time.monotonic()
    result = run(exports, data, RUN_TIMEOUT, "--quiet")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Recovered run " in result.stdout and "1 pool slot(s) freed" in result.stdout
    assert time.monotonic() - started < RUN_TIMEOUT
    # bit for bit, but for the tables that keep a row per run (the killed run's own rows)
    per_run = tuple(table.name for table in PER_RUN_TABLES)
    assert differences(clean_run / "warehouse.duckdb", data / "warehouse.duckdb", per_run) == []
    statuses = [r.status for r in instance_for(RunPaths(data_dir=str(data))).get_runs()]
    assert sorted(s.value for s in statuses) == ["FAILURE", "SUCCESS"]


def test_leftovers_of_dead_processes_go_and_a_live_ones_stay(tmp_path, live_process):
    """Bug caught: an empty `.site.incoming-<pid>/` (and the analyst copy's and reorder
    archive's `.incoming-<pid>` files) stayed behind after every kill, forever; removing
    them must not touch a live run's half-written site."""
    paths = RunPaths(data_dir=str(tmp_path))
    dead, live = _dead_pid(), live_process.pid
    (tmp_path / "reorder").mkdir()
    leftovers = [
        tmp_path / f".site.incoming-{dead}",
        tmp_path / f".analyst.duckdb.incoming-{dead}",
        tmp_path / f".analyst.duckdb.incoming-{dead}.wal",
        tmp_path / "reorder" / f".2024-01-14.csv.incoming-{dead}",
    ]
    leftovers[0].mkdir()
    (leftovers[0] / "index.html").write_text("half")
    for path in leftovers[1:]:
        path.write_text("half")
    kept = tmp_path / f".site.incoming-{live}"
    kept.mkdir()
    assert sorted(remove_leftovers(paths)) == sorted(leftovers)
    assert kept.is_dir() and not any(path.exists() for path in leftovers)


def _run_holding_slot(instance: dg.DagsterInstance, pid: int) -> str:
    """Store a started run tagged with `pid` on this host, holding the `duckdb` slot."""
    run_id = str(uuid.uuid4())
    tags = {**process_tags(), PID_TAG: str(pid)}
    instance.add_run(
        dg.DagsterRun(
            job_name="refresh", run_id=run_id, status=dg.DagsterRunStatus.STARTED, tags=tags
        )
    )
    instance.event_log_storage.initialize_concurrency_limit_to_default("duckdb")
    claim = instance.event_log_storage.claim_concurrency_slot("duckdb", run_id, "raw__orders")
    assert claim.is_claimed
    return run_id


def test_a_slot_of_a_live_run_is_waited_for_then_busy_naming_the_run(tmp_path, live_process):
    """Bug caught: a run waited silently, without end, for a slot another run held; and a
    recovery that marked a live run failed (stealing its slot) would pass a dead-only test."""
    paths = RunPaths(data_dir=str(tmp_path))
    instance = instance_for(paths)
    run_id = _run_holding_slot(instance, live_process.pid)
    said = []
    started = time.monotonic()
    with pytest.raises(WarehouseBusyError, match=run_id):
        prepare_run(instance, paths, timeout=1, say=said.append)
    assert time.monotonic() - started < 10
    assert any(run_id in line and str(live_process.pid) in line for line in said)
    assert instance.get_run_by_id(run_id).status == dg.DagsterRunStatus.STARTED


def test_runs_of_another_host_are_left_alone_and_named(tmp_path):
    """Bug caught: a run started on another machine (shared storage) marked failed because
    its pid is not alive here."""
    paths = RunPaths(data_dir=str(tmp_path))
    instance = instance_for(paths)
    run_id = str(uuid.uuid4())
    tags = {HOST_TAG: "elsewhere", PID_TAG: "1"}
    instance.add_run(
        dg.DagsterRun(
            job_name="refresh", run_id=run_id, status=dg.DagsterRunStatus.STARTED, tags=tags
        )
    )
    said = []
    prepare_run(instance, paths, timeout=1, say=said.append)
    assert any(f"Left run {run_id}" in line and "elsewhere" in line for line in said)
    assert instance.get_run_by_id(run_id).status == dg.DagsterRunStatus.STARTED


@pytest.fixture
def warehouse_holder(tmp_path):
    """Another process holding the read-write lock of `tmp_path/data/warehouse.duckdb`."""
    data = tmp_path / "data"
    data.mkdir()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('open', flush=True);"
            " time.sleep(120)",
            str(data / "warehouse.duckdb"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        yield data, holder.pid
    finally:
        holder.kill()
        holder.wait()


def test_a_writer_holding_the_warehouse_ends_the_run_with_exit_4(
    exports, tmp_path, warehouse_holder
):
    """Bug caught: a run waited silently ~100 s for a DuckDB lock another process held,
    then failed with a step error; it must give up after warehouse.lock_timeout_seconds
    with the busy exit code, naming the holder's pid."""
    data, pid = warehouse_holder
    settings = tmp_path / "settings.yaml"
    settings.write_text("warehouse:\n  lock_timeout_seconds: 2\n")
    started = time.monotonic()
    result = run(exports, data, 90, "--settings", str(settings))
    seconds = time.monotonic() - started
    assert result.returncode == EXIT_CODES["busy"] == 4, result.stdout + result.stderr
    assert f"pid {pid}" in result.stderr and "busy" in result.stderr
    assert seconds < 60


def test_a_step_that_meets_the_lock_mid_run_says_who_and_gives_up_in_time(warehouse_holder):
    """Bug caught: a process taking the warehouse's lock between two steps (an analyst
    opening the warehouse instead of the analyst copy) made the next step retry silently
    for ~100 s, whatever warehouse.lock_timeout_seconds said, and fail without naming it."""
    data, pid = warehouse_holder
    resource = WarehouseResource(database=str(data / "warehouse.duckdb"), lock_timeout_seconds=2)
    started = time.monotonic()
    busy = pytest.raises(WarehouseBusyError, match=rf"busy: .*pid {pid} .*after 2 s")
    with busy, resource.get_connection():
        pass
    assert 2 <= time.monotonic() - started < 20


def test_spill_files_of_a_killed_writer_go_once_the_warehouse_is_free(tmp_path):
    """Bug caught: DuckDB's spill folder `<warehouse>.tmp` of a writer killed mid-sort kept
    its (possibly large) files for good."""
    paths = RunPaths(data_dir=str(tmp_path))
    spill = tmp_path / "warehouse.duckdb.tmp"
    spill.mkdir()
    (spill / "duckdb_temp_storage_DEFAULT-0.tmp").write_bytes(b"x" * 1024)
    prepare_run(instance_for(paths), paths, timeout=1, say=lambda line: None)
    assert not spill.exists()
