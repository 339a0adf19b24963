"""Each writer's way of saying "disk full" becomes the one line naming the folder and the fix;
the run log file never fails a run when it cannot be written."""

from __future__ import annotations

import errno
import re
from pathlib import Path

from dagster_shared.error import SerializableErrorInfo

from pipelines.disk_full import disk_full_line, exception_messages
from pipelines.run_log import RunLogFile, cause_line

FIX = r"free space there or move the data dir \(--data-dir, or ORDERPULSE_DATA_DIR for the Dagster service\)"


def test_duckdbs_failed_commit_names_the_data_dir_and_the_fix(tmp_path):
    """Catches DuckDB's "Failed to commit: Could not write file" shown as it is."""
    message = (
        "TransactionContext Error: Failed to commit: Could not write file "
        f'"{tmp_path / "warehouse.duckdb"}": No space left on device'
    )
    error = SerializableErrorInfo(message, [], "TransactionException")
    wrapped = SerializableErrorInfo(
        "Error occurred", [], "DagsterExecutionStepExecutionError", error
    )
    line = cause_line(wrapped, tmp_path)
    assert re.fullmatch(rf"disk full: {re.escape(str(tmp_path))} has \d+\.\d MB free; {FIX}", line)


def test_sqlites_disk_full_behind_sqlalchemys_error_is_found(tmp_path):
    """Catches Dagster's run storage failing with an error whose cause says the disk is full."""
    try:
        try:
            raise OSError(errno.ENOSPC, "No space left on device")
        except OSError as inner:
            raise RuntimeError("(sqlite3.OperationalError) database or disk is full") from inner
    except RuntimeError as error:
        line = disk_full_line(exception_messages(error), tmp_path)
    assert line is not None and line.startswith(f"disk full: {tmp_path} has ")


def test_a_copy_to_another_disk_names_that_disk_not_the_data_dir(tmp_path):
    """Catches a full site disk (--site-dir elsewhere) blamed on the data dir, or named by
    the temporary folder the failed copy has already removed."""
    site_parent = tmp_path / "www"
    site_parent.mkdir()
    message = (
        "[Errno 28] No space left on device: '/src/plotly.min.js' -> "
        f"'{site_parent / '.site.incoming-7' / 'plotly.min.js'}'"
    )
    line = disk_full_line([message], tmp_path / "data")
    assert re.fullmatch(
        rf"disk full: {re.escape(str(site_parent))} has \d+\.\d MB free; free space there", line
    )


def test_an_io_error_with_space_to_spare_is_not_called_a_full_disk(tmp_path):
    """Catches every SQLite I/O error blamed on the disk (here the disk has room)."""
    assert disk_full_line(["(sqlite3.OperationalError) disk I/O error"], tmp_path) is None
    assert disk_full_line(["some other error"], tmp_path) is None


def test_the_run_log_stops_writing_on_a_full_disk_without_failing_the_run():
    """Catches the log file's flush raising ENOSPC out of the run (a traceback instead of
    the summary): /dev/full fails every write with ENOSPC."""
    log = RunLogFile(Path("/dev/full"))
    log.write_exception(ValueError("x" * 10_000))
    log.write_exception(ValueError("y"))
    log.close()
    assert log.write_error is not None and log.write_error.errno == errno.ENOSPC
