"""A failed run says why in its last lines (the cause, the file, the fix, the log file),
keeps tracebacks in the log file, and lists only the outputs it wrote."""

import re
import subprocess
import sys
from pathlib import Path

from dagster import DagsterEventType
from dagster_shared.error import SerializableErrorInfo

from config.resources import RunPaths
from pipelines.run_log import ROOT, cause_line
from pipelines.runner import instance_for
from tests.pipelines.cdnow_exports import write_cdnow_exports

RAW_STEPS = {
    "raw__orders",
    "raw__traffic_events",
    "raw__feedback",
    "raw__inventory",
    "raw__catalog",
    "raw__shipments",
}


def error(cls_name, message, stack=(), cause=None):
    return SerializableErrorInfo(message, list(stack), cls_name, cause)


def test_bad_mapping_fails_its_kind_and_the_last_lines_say_why(tmp_path):
    """Catches a summary that ends in a Dagster error class or a stack trace, a bad mapping
    file failing every raw step (exports.yaml was read by each), and an "Outputs:" block
    listing a site and reorder list that this run never wrote."""
    exports = write_cdnow_exports(tmp_path, with_inventory=True)
    (exports / "exports.yaml").write_text("orders: {mapping: my_orders.yaml}\n")
    (exports / "my_orders.yaml").write_text("columns: {order_no: Nr}\n")
    data = tmp_path / "data"
    result = subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "run", "--exports", str(exports)]
        + ["--data-dir", str(data)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    terminal = result.stdout + result.stderr
    assert "Traceback" not in terminal
    assert not re.search(r"Dagster\w*Error", terminal)
    last = result.stdout.strip().splitlines()[-4:]
    log_file = Path(last[-1].removeprefix("Details and tracebacks: "))
    assert last[0] == "Why it failed:"
    assert last[1].startswith("  raw.orders: ") and "my_orders.yaml" in last[1]
    assert "order_no not orders contract column(s); use order_id" in last[1]
    assert log_file.parent == data / "logs" and log_file.is_file()
    log = log_file.read_text()
    assert "Stack Trace:" in log and "raise ExportConfigError" in log  # the traceback
    assert "warehouse" in result.stdout  # the other kinds were loaded
    assert "dashboards" not in result.stdout and "reorder list" not in result.stdout

    run_id = log_file.stem.removeprefix("run-")
    instance = instance_for(RunPaths(data_dir=str(data)))
    failed = {
        record.dagster_event.step_key
        for record in instance.all_logs(run_id, of_type=DagsterEventType.STEP_FAILURE)
    }
    succeeded = {
        record.dagster_event.step_key
        for record in instance.all_logs(run_id, of_type=DagsterEventType.STEP_SUCCESS)
    }
    assert failed == {"raw__orders"}
    # shipments are judged against the loaded orders (shipped before ordered), so that step
    # waits on raw.orders; every other kind loads
    assert RAW_STEPS - {"raw__orders", "raw__shipments"} <= succeeded


def test_cause_is_our_message_not_dagsters_wrapper():
    """Catches a cause line showing Dagster's wrapper or the qualified class name."""
    ours = error(
        "ExportFileError", "ingest.read.ExportFileError: orders/x.csv: not a CSV; re-export"
    )
    wrapped = error(
        "DagsterExecutionStepExecutionError",
        'Error occurred while executing op "raw__orders"',
        cause=ours,
    )
    assert cause_line(wrapped) == "orders/x.csv: not a CSV; re-export"


def test_a_bug_names_its_class_and_where_it_was_raised():
    """Catches a bare `'price'` as the whole explanation of a KeyError."""
    frames = [
        '  File "/usr/lib/python3.11/site-packages/dagster/x.py", line 9, in run\n',
        f'  File "{ROOT / "assets" / "raw.py"}", line 57, in _asset\n',
    ]
    bug = error("KeyError", "KeyError: 'price'", frames)
    wrapped = error("DagsterExecutionStepExecutionError", "Error occurred", cause=bug)
    assert cause_line(wrapped) == "KeyError: 'price' (raised at assets/raw.py:57)"


def test_a_failed_check_step_leaves_the_reason_to_the_check():
    """Catches the same failed check reported twice, once as Dagster's error class."""
    assert (
        cause_line(error("DagsterAssetCheckFailedError", "1 blocking asset check failed")) is None
    )


def test_a_message_of_several_lines_is_kept_up_to_a_few():
    """Catches a cause cut to its first line when the problems are on the next ones."""
    lines = "\n".join(f"  problem {n}" for n in range(1, 10))
    cause = cause_line(
        error("ExportFileError", f"ExportFileError: orders/x.csv: 9 problems\n{lines}")
    )
    assert cause.splitlines()[:2] == ["orders/x.csv: 9 problems", "      problem 1"]
    assert len(cause.splitlines()) == 6
