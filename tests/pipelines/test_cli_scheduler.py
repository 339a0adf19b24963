"""`orderpulse run` as cron or a systemd timer runs it: --since and --days load only recent
export days, --quiet, --log-format json, --version, exit code 3 when a quality gate stops
the run, and plain step lines without a progress bar when stdout is not a terminal.

The real CLI on the tiny CDNOW exports (three days of orders, 1997-01-01 .. 03): each run
takes seconds.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib.metadata
import io
import json
import os
import pty
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from pipelines.cli import EXIT_CODES, main
from pipelines.day_range import DayRange, days_to_load
from pipelines.run_log import ROOT
from pipelines.step_display import ProgressBar, StepLines, terminal_display
from tests.pipelines.cdnow_exports import write_cdnow_exports

DAY1, DAY2, DAY3 = (dt.date(1997, 1, day) for day in (1, 2, 3))


def _cli(*args: str) -> subprocess.CompletedProcess:
    """The command as cron runs it: a child process whose stdout is a pipe, not a terminal."""
    return subprocess.run(
        [sys.executable, "-m", "pipelines.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _warehouse(data):
    return duckdb.connect(str(data / "warehouse.duckdb"), read_only=True)


def _orders_per_day(data) -> dict[dt.date, int]:
    with _warehouse(data) as con:
        rows = con.execute("select _export_date, count(*) from raw.orders group by 1").fetchall()
    return dict(rows)


def _loaded_at(data) -> dict[dt.date, dt.datetime]:
    with _warehouse(data) as con:
        rows = con.execute("select export_date, max(loaded_at) from quality.load_log group by 1")
        return dict(rows.fetchall())


def _add_order(exports, day: dt.date, order_id: str) -> None:
    with (exports / "orders" / f"{day}.csv").open("a") as file:
        file.write(f"{order_id},{day} 13:00:00,CD,1,5.0000,99,USD\n")


@dataclass
class SinceRun:
    """What `--since 1997-01-02` left: the process's result and the warehouse's loads."""

    result: subprocess.CompletedProcess
    exports: Path
    data: Path
    orders_per_day: dict[dt.date, int]
    loaded_at: dict[dt.date, dt.datetime]


@pytest.fixture(scope="module")
def since_run(tmp_path_factory) -> SinceRun:
    """`--since 1997-01-02` on an empty data folder, as a child process writing to a pipe."""
    root = tmp_path_factory.mktemp("since")
    exports, data = write_cdnow_exports(root), root / "data"
    result = _cli("run", "--exports", str(exports), "--data-dir", str(data), "--since", str(DAY2))
    assert result.returncode == 0, result.stdout + result.stderr
    return SinceRun(result, exports, data, _orders_per_day(data), _loaded_at(data))


def test_since_loads_only_the_days_from_the_date_on(since_run):
    """Catches --since ignored (day 1 loaded too) or read as "after" (day 2 missing)."""
    assert since_run.orders_per_day == {DAY2: 4, DAY3: 4}
    assert sorted(since_run.loaded_at) == [DAY2, DAY3]


def test_output_to_a_pipe_has_plain_step_lines_and_no_bar(since_run):
    """Catches a progress bar drawn into a cron log or the journal (carriage returns and
    redrawn bars), or no step lines at all when stdout is not a terminal."""
    terminal = since_run.result.stdout + since_run.result.stderr
    assert "\r" not in terminal and "\x1b" not in terminal
    assert "step/s" not in terminal and "%|" not in terminal and "it/s" not in terminal
    assert "  done   raw.orders  " in since_run.result.stdout
    assert "  done   reports.site  " in since_run.result.stdout


@pytest.fixture(scope="module")
def days_run(since_run):
    """After the --since run, one more order on day 2 and day 3, then `--days 1 --quiet`."""
    _add_order(since_run.exports, DAY2, "LATE2")
    _add_order(since_run.exports, DAY3, "LATE3")
    out = io.StringIO()
    args = ["run", "--exports", str(since_run.exports), "--data-dir", str(since_run.data)]
    with contextlib.redirect_stdout(out):
        code = main([*args, "--days", "1", "--quiet"])
    return code, out.getvalue()


def test_days_reloads_only_the_last_days_and_keeps_the_rest(since_run, days_run):
    """Catches --days ignored (day 2's new order loaded), a range that clears the days
    before it (day 2's rows gone or day 1 loaded), or marts rebuilt from the range alone."""
    code, _ = days_run
    assert code == 0
    assert _orders_per_day(since_run.data) == {DAY2: 4, DAY3: 5}
    loaded = _loaded_at(since_run.data)
    assert loaded[DAY2] == since_run.loaded_at[DAY2] and loaded[DAY3] > since_run.loaded_at[DAY3]
    with _warehouse(since_run.data) as con:
        orders = con.execute("select day, sum(orders) from marts.orders_daily group by 1")
        assert dict(orders.fetchall()) == {DAY2: 4, DAY3: 5}


def test_quiet_prints_the_summary_and_no_step_lines(days_run):
    """Catches --quiet still printing the header and a line per step, or dropping the
    summary a cron mail needs (the verdict with the days loaded, the outputs)."""
    _, out = days_run
    assert "done" not in out and "Exports " not in out
    assert "(export days 1997-01-03 .. 1997-01-03) succeeded" in out
    assert "Outputs:" in out and "\r" not in out


def test_the_display_is_a_bar_on_a_terminal_and_lines_elsewhere():
    """Catches the choice of display inverted or fixed, which the pipe test alone would
    not see (a bar on no stream would pass it)."""
    leader, follower = pty.openpty()
    try:
        with os.fdopen(follower, "w", closefd=False) as terminal:
            assert isinstance(terminal_display(terminal), ProgressBar)
    finally:
        os.close(leader)
        os.close(follower)
    assert isinstance(terminal_display(io.StringIO()), StepLines)


@pytest.fixture(scope="module")
def two_currencies(tmp_path_factory):
    """CDNOW orders with day 2 in EUR: the blocking check single_currency fails."""
    root = tmp_path_factory.mktemp("currencies")
    exports = write_cdnow_exports(root)
    day2 = exports / "orders" / f"{DAY2}.csv"
    day2.write_text(day2.read_text().replace(",USD\n", ",EUR\n"))
    return exports


def test_a_failed_blocking_check_alone_exits_3(two_currencies, tmp_path, capsys):
    """Catches a quality gate that stopped the run reported as a crash (exit 1), or as a
    success (exit 0) while the reorder list was never written."""
    data = tmp_path / "data"
    code = main(["run", "--exports", str(two_currencies), "--data-dir", str(data)])
    out = capsys.readouterr().out
    assert code == 3, out
    assert "BLOCKED by a failed quality check" in out
    assert "check staging/stg_order_lines:single_currency failed" in out
    assert not (data / "reorder_recommendations.csv").exists()


@pytest.fixture(scope="module")
def json_run(two_currencies, tmp_path_factory):
    """Two currencies and an inventory mapping that names no contract column: a failed
    blocking check and a step that fails for another reason, with --log-format json."""
    root = tmp_path_factory.mktemp("json")
    exports = root / "exports"
    shutil.copytree(two_currencies, exports)
    (exports / "inventory").mkdir()
    (exports / "inventory" / f"{DAY3}.csv").write_text(
        "snapshot_date,sku,on_hand\n1997-01-03,CD,40\n"
    )
    (exports / "exports.yaml").write_text("inventory: {mapping: my_inventory.yaml}\n")
    (exports / "my_inventory.yaml").write_text("columns: {stock: Bestand}\n")
    args = ("run", "--exports", str(exports), "--data-dir", str(root / "data"))
    result = _cli(*args, "--log-format", "json")
    return result, [json.loads(line) for line in result.stdout.splitlines()]


def test_json_lines_are_step_events_then_a_summary_with_the_exit_code(json_run):
    """Catches anything but JSON on stdout (a header, the text summary, a library's print),
    step events without run id, time or duration, and a summary whose exit code is not
    the process's."""
    result, events = json_run
    assert result.stdout.count("\n") == len(events)
    run_id = events[0]["run_id"]
    assert events[0]["event"] == "run_start" and events[0]["first_day"] == "1997-01-01"
    assert {event["run_id"] for event in events} == {run_id}
    steps = events[1:-1]
    assert {event["event"] for event in steps} == {"step_start", "step_success", "step_failure"}
    for event in steps:
        assert dt.datetime.fromisoformat(event["time"]).tzinfo == dt.UTC
        assert event["event"] == "step_start" or event["seconds"] >= 0
    failed = {event["step"]: event for event in steps if event["event"] == "step_failure"}
    assert "my_inventory.yaml" in failed["raw.inventory"]["error"]
    assert not failed["raw.inventory"]["blocked_by_check"]
    assert failed["staging.stg_order_lines_single_currency"]["blocked_by_check"]
    summary = events[-1]
    assert summary["event"] == "run_summary" and summary["exit_code"] == result.returncode
    assert summary["outputs"]["run_log"].endswith(f"run-{run_id}.log")


def test_a_step_failure_beside_a_failed_check_exits_1(json_run):
    """Catches exit 3 ("a quality gate did its job") for a run where a step also failed
    for another reason (a bad mapping file), which needs a person to fix it."""
    result, events = json_run
    assert result.returncode == 1
    assert events[-1]["status"] == "failed"
    assert any(line.startswith("raw.inventory: ") for line in events[-1]["failures"])
    assert any("single_currency failed" in line for line in events[-1]["failures"])


def test_a_since_after_the_newest_export_day_exits_2_before_any_run(tmp_path, capsys):
    """Catches a range with no export days running anyway (an empty run that exits 0 and
    hides that the exports stopped arriving) instead of exiting 2 with the newest day."""
    exports, data = write_cdnow_exports(tmp_path), tmp_path / "data"
    code = main(
        ["run", "--exports", str(exports), "--data-dir", str(data), "--since", "1997-02-01"]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert "no export days from 1997-02-01 on" in err and "1997-01-03" in err
    assert not (data / "dagster_home").exists()


def test_bad_input_in_json_mode_still_ends_with_a_summary_object(tmp_path, capsys):
    """Catches a log collector left without a run_summary (or with a text line on stdout)
    when nothing ran."""
    exports = write_cdnow_exports(tmp_path)
    args = ["run", "--exports", str(exports), "--data-dir", str(tmp_path / "data")]
    code = main([*args, "--since", "1997-02-01", "--log-format", "json"])
    captured = capsys.readouterr()
    (line,) = captured.out.splitlines()
    summary = json.loads(line)
    assert code == 2
    assert (summary["event"], summary["status"], summary["exit_code"]) == (
        "run_summary",
        "bad_input",
        2,
    )
    assert "1997-02-01" in summary["error"] and "error: " in captured.err


def test_days_counts_calendar_days_back_from_the_newest_export_day():
    """Catches --days counting files instead of calendar days, counting back from today,
    or starting the range on a day without a file (which a range run clears)."""
    days = [dt.date(2024, 3, 1), dt.date(2024, 3, 5), dt.date(2024, 3, 10)]
    assert days_to_load(days, DayRange()) == (days[0], days[2])
    assert days_to_load(days, DayRange(last=1)) == (days[2], days[2])
    assert days_to_load(days, DayRange(last=3)) == (days[2], days[2])
    assert days_to_load(days, DayRange(last=6)) == (days[1], days[2])
    assert days_to_load(days, DayRange(since=dt.date(2024, 3, 2))) == (days[1], days[2])


def test_days_must_be_a_whole_number_of_at_least_one(capsys):
    """Catches --days 0 or --days -1 accepted (an empty or backwards range)."""
    for value in ("0", "-1", "two"):
        with pytest.raises(SystemExit) as stop:
            main(["run", "--exports", "x", "--days", value])
        assert stop.value.code == 2
    assert "not a whole number of days" in capsys.readouterr().err


def test_version_is_the_installed_package_version(capsys):
    """Catches --version missing, or printing a version other than the installed one."""
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out == f"orderpulse {importlib.metadata.version('orderpulse')}\n"


def test_every_exit_code_is_documented_with_its_status(capsys):
    """Catches an exit code added or renumbered in the CLI but not in docs/cli.md's table
    (which schedulers and alert rules are written from) or in `orderpulse run --help`."""
    doc = (ROOT / "docs" / "cli.md").read_text()
    with pytest.raises(SystemExit):
        main(["run", "--help"])
    help_codes = capsys.readouterr().out.split("Exit codes:", 1)[1]
    for status, code in EXIT_CODES.items():
        assert f"| {code} | `{status}` |" in doc, status
        assert f"{code} " in help_codes, status


def test_full_checks_validates_whole_tables(since_run, days_run):
    """Catches --full-checks not reaching the checks (or every run validating whole tables
    for that reason): the scope each expectations check of the last run recorded."""

    def last_run_scopes() -> list[str]:
        with _warehouse(since_run.data) as con:
            rows = con.execute(
                "select json_extract_string(details, '$.scope') from quality.check_results "
                "where check_name = 'expectations' and run_id = (select run_id from "
                "quality.check_results order by checked_at desc limit 1)"
            ).fetchall()
        return [scope for (scope,) in rows]

    asked = "full validation asked for by the run"
    assert len(last_run_scopes()) > 5 and asked not in last_run_scopes()
    args = ["run", "--exports", str(since_run.exports), "--data-dir", str(since_run.data)]
    with contextlib.redirect_stdout(io.StringIO()):
        assert main([*args, "--days", "1", "--quiet", "--full-checks"]) == 0
    assert set(last_run_scopes()) == {asked}
