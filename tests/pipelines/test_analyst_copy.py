"""Analysts read the analyst copy while the pipeline writes the warehouse: the real CLI
run in another process on tiny order exports, a notebook executed against the copy while
that run is in progress, and a run stopped by a blocking check that leaves the copy alone.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import nbformat
import polars as pl
import pytest
from nbclient import NotebookClient

from config.resources import RunPaths
from pipelines.cli import main
from simulator.tiny import FIRST_DAY, SKUS, write_tiny_orders

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
FIRST_RUN_DAYS, SECOND_RUN_DAYS = 10, 14
NOTEBOOK = "kpis"  # reads marts and inventory tables; its outputs name `conversion_rate`


def _last_order_day(copy: duckdb.DuckDBPyConnection) -> dt.date:
    return copy.execute("select max(day) from marts.orders_daily").fetchone()[0]


@pytest.fixture(scope="module")
def first_run(tmp_path_factory) -> Path:
    """A data folder after one successful run over the first ten days (copied by each test)."""
    root = tmp_path_factory.mktemp("analyst_first_run")
    write_tiny_orders(root / "exports", range(FIRST_RUN_DAYS))
    code = main(["run", "--exports", str(root / "exports"), "--data-dir", str(root / "data")])
    assert code == 0
    return root


@pytest.fixture
def shop(first_run, tmp_path) -> tuple[Path, RunPaths]:
    shutil.copytree(first_run, tmp_path, dirs_exist_ok=True)
    exports = tmp_path / "exports"
    return exports, RunPaths(data_dir=str(tmp_path / "data"), exports_dir=str(exports))


def _start_run(exports: Path, paths: RunPaths, console: Path) -> subprocess.Popen:
    """`orderpulse run` in another process, its terminal output going to `console` (a file,
    not a pipe, so the progress bar can never fill a pipe nobody reads and stall the run)."""
    command = [str(Path(sys.executable).parent / "orderpulse"), "run", "--exports", str(exports)]
    with console.open("w") as out:
        return subprocess.Popen(
            [*command, "--data-dir", str(paths.data)], stdout=out, stderr=subprocess.STDOUT
        )


def _wait_for_a_warehouse_write(paths: RunPaths, known_logs: set[Path], run) -> None:
    """Until the new run has loaded its first raw table (the writer has the warehouse)."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        assert run.poll() is None, "the run ended before it loaded raw.orders"
        for log in set(paths.data.glob("logs/run-*.log")) - known_logs:
            if "raw__orders STEP_SUCCESS" in log.read_text():
                return
        time.sleep(0.2)
    raise AssertionError("the run never loaded raw.orders")


def test_a_notebook_reads_the_analyst_copy_while_a_run_writes_the_warehouse(shop, monkeypatch):
    """Bug caught: a reader of the warehouse file itself (a notebook, or an analyst's
    connection) takes DuckDB's per-process lock and the writer's next step fails with
    `Could not set lock on file`; or the run never republishes the copy, so analysts read
    yesterday's numbers."""
    exports, paths = shop
    before = paths.analyst_copy.stat().st_ino
    write_tiny_orders(exports, range(FIRST_RUN_DAYS, SECOND_RUN_DAYS))
    # An analyst's session, open on the copy for the whole run.
    analyst = duckdb.connect(str(paths.analyst_copy), read_only=True)
    monkeypatch.setenv("ORDERPULSE_ANALYST_DB", str(paths.analyst_copy))
    notebook = nbformat.read(ROOT / "notebooks" / f"{NOTEBOOK}.ipynb", as_version=4)
    client = NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(ROOT / "notebooks")}},
    )
    known_logs = set(paths.data.glob("logs/run-*.log"))
    console = paths.data.parent / "run-console.txt"
    run = _start_run(exports, paths, console)
    try:
        with client.setup_kernel():  # the kernel, and the notebook's connection, live on
            _wait_for_a_warehouse_write(paths, known_logs, run)
            for index, cell in enumerate(notebook.cells):
                client.execute_cell(cell, index)
            assert run.poll() is None, "the run ended before the notebook did: nothing overlapped"
            run.wait(timeout=300)
    finally:
        if run.poll() is None:  # a writer stuck on a lock: stop it, the test has failed
            run.kill()
            run.wait()
    output = console.read_text()
    assert run.returncode == 0, output[-3000:]
    assert f"analyst copy     {paths.analyst_copy}" in output

    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("conversion_rate" in str(o.get("data", {})) for o in outputs)
    last_first_run_day = FIRST_DAY + dt.timedelta(days=FIRST_RUN_DAYS - 1)
    # The open session still reads the copy it opened, whole; a new one reads the new run.
    assert _last_order_day(analyst) == last_first_run_day
    analyst.close()
    assert paths.analyst_copy.stat().st_ino != before
    with duckdb.connect(str(paths.analyst_copy), read_only=True) as fresh:
        assert _last_order_day(fresh) == FIRST_DAY + dt.timedelta(days=SECOND_RUN_DAYS - 1)
    assert sorted(p.name for p in paths.data.glob("*analyst*")) == ["analyst.duckdb"]


def test_a_run_stopped_by_a_blocking_check_leaves_the_previous_copy(shop, capsys):
    """Bug caught: a copy published outside the asset graph (after every CLI run) or not
    downstream of the checked tables hands analysts a warehouse a blocking check rejected."""
    exports, paths = shop
    before = paths.analyst_copy.stat()
    write_tiny_orders(exports, range(FIRST_RUN_DAYS, SECOND_RUN_DAYS))
    # A stock count from the first day only: two weeks stale, which blocks the reorder list.
    (exports / "inventory").mkdir()
    pl.DataFrame(
        [{"snapshot_date": str(FIRST_DAY), "sku": sku, "on_hand": 50} for sku in SKUS]
    ).write_csv(exports / "inventory" / f"{FIRST_DAY}.csv")
    code = main(["run", "--exports", str(exports), "--data-dir", str(paths.data)])
    assert code == 3  # blocked by a quality gate
    assert "inventory_not_stale failed" in capsys.readouterr().out
    after = paths.analyst_copy.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    with duckdb.connect(str(paths.analyst_copy), read_only=True) as copy:
        assert _last_order_day(copy) == FIRST_DAY + dt.timedelta(days=FIRST_RUN_DAYS - 1)
    assert not [p for p in os.listdir(paths.data) if "incoming" in p]
