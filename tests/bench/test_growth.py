"""The SF1 -> SF10 -> SF30 growth table (bench/growth.py) on hand-made records."""

import json

from bench.growth import markdown_table, newest_records, read_all, step_growth


def _step(cpu_s, rows_in):
    spread = {"median": cpu_s, "min": cpu_s, "max": cpu_s}
    return {"wall_s": spread, "cpu_s": spread, "peak_mb": spread, "rows_in": rows_in}


def _record(scale, steps, stage="full", time="2026-12-01T00:00:00+00:00", years=1):
    spread = {"median": 100.0 * scale, "min": 100.0 * scale, "max": 100.0 * scale}
    return {
        "scale": scale,
        "years": years,
        "time": time,
        "git_commit": "abc1234",
        stage: {"success": True, "wall_s": spread, "peak_mb": spread, "steps": steps},
    }


RECORDS = [
    _record(
        1.0, {"linear": _step(10.0, 1000), "quadratic": _step(2.0, 1000), "fixed": _step(0.2, 5)}
    ),
    _record(
        10.0,
        {"linear": _step(95.0, 10000), "quadratic": _step(200.0, 10000), "fixed": _step(0.3, 50)},
    ),
]


def test_a_step_growing_faster_than_its_input_is_flagged():
    """Catches a growth table that would call a quadratic step fine, or flag a step of a
    fraction of a second (a fixed cost) for its noisy factor."""
    rows = {row["step"]: row for row in step_growth(RECORDS, "full")}
    assert rows["quadratic"]["faster_than_input"]
    assert rows["quadratic"]["growth"] == [100.0] and rows["quadratic"]["input_growth"] == [10.0]
    assert not rows["linear"]["faster_than_input"]
    assert not rows["fixed"]["faster_than_input"]
    assert next(row["step"] for row in step_growth(RECORDS, "full")) == "quadratic"


def test_the_nightly_input_grows_with_the_scale():
    """The nightly run's input is one new day: its growth is the scale's, whatever the
    tables the steps read hold."""
    nightly = [_record(r["scale"], r["full"]["steps"], stage="nightly") for r in RECORDS]
    rows = {row["step"]: row for row in step_growth(nightly, "nightly")}
    assert rows["linear"]["input_growth"] == [10.0]


def test_the_table_and_the_newest_record_of_each_scale(tmp_path):
    results = tmp_path / "bench_results.jsonl"
    older = _record(1.0, {"linear": _step(99.0, 1000)})
    results.write_text("\n".join(json.dumps(r) for r in [older, *RECORDS]) + "\n")
    chosen = newest_records(read_all([results]), [(1.0, 1), (10.0, 1)], "full")
    assert chosen[0]["full"]["steps"]["linear"]["cpu_s"]["median"] == 10.0
    table = markdown_table(chosen, "full").splitlines()
    assert table[0].startswith("| step | CPU s SF1 | CPU s SF10 | growth SF1 -> SF10 (input)")
    assert "| quadratic | 2.0 | 200.0 | 100.00x (10.0x) | **yes** |" in table
    assert "| **all steps, CPU s** | 12.2 | 295.3 | 24.20x | |" in table


def test_the_newest_record_of_several_files_is_the_latest_in_time(tmp_path):
    """Catches taking the last file's record: the committed records are read after this
    machine's, and an old committed record must not hide a newer local one."""
    local, committed = tmp_path / "bench_results.jsonl", tmp_path / "records.jsonl"
    newer = _record(1.0, {"linear": _step(7.0, 1000)}, time="2026-12-07T10:00:00+00:00")
    older = _record(1.0, {"linear": _step(99.0, 1000)}, time="2026-11-01T10:00:00+00:00")
    local.write_text(json.dumps(newer) + "\n")
    committed.write_text(json.dumps(older) + "\n")
    chosen = newest_records(read_all([local, committed]), [(1.0, 1)], "full")
    assert chosen[0]["full"]["steps"]["linear"]["cpu_s"]["median"] == 7.0


def test_a_nightly_step_that_reads_the_history_is_flagged_when_the_history_grows():
    """Catches a nightly step whose cost follows the years of history kept (a scan of the
    whole history to find the new day): with three years instead of one, the new day is
    the same size, so the nightly input's growth is 1x and a step three times dearer is
    flagged, while the full run's input grows with the years and its step is not."""
    steps = {1: {"day": _step(5.0, 10), "history": _step(4.0, 10)}}
    steps[3] = {"day": _step(5.5, 10), "history": _step(12.0, 10)}
    nightly = [_record(1.0, steps[y], stage="nightly", years=y) for y in (1, 3)]
    rows = {row["step"]: row for row in step_growth(nightly, "nightly")}
    assert rows["history"]["input_growth"] == [1.0] and rows["history"]["faster_than_input"]
    assert not rows["day"]["faster_than_input"]
    full = [_record(1.0, {"history": _step(4.0 * y, None)}, years=y) for y in (1, 3)]
    assert step_growth(full, "full")[0]["input_growth"] == [3.0]
    assert not step_growth(full, "full")[0]["faster_than_input"]


def test_the_records_of_a_longer_history_are_chosen_by_their_years(tmp_path):
    """Catches a three-year record standing in for the one-year record of the same scale
    (it is newer), which would make every growth factor a history's."""
    results = tmp_path / "bench_results.jsonl"
    one = _record(1.0, {"linear": _step(10.0, 1000)})
    three = _record(1.0, {"linear": _step(30.0, 3000)}, years=3, time="2026-12-02T00:00:00+00:00")
    results.write_text(json.dumps(one) + "\n" + json.dumps(three) + "\n")
    chosen = newest_records(read_all([results]), [(1.0, 1), (1.0, 3)], "full")
    assert [r["years"] for r in chosen] == [1, 3]
    assert (
        markdown_table(chosen, "full")
        .splitlines()[0]
        .startswith("| step | CPU s SF1 | CPU s SF1 3y | growth SF1 -> SF1 3y (input)")
    )
