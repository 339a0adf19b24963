"""Runs of a few files at a time add up: the report keeps every file ever run, scores each
by its latest run beside its first, and marks the survivors known to be equivalent."""

from __future__ import annotations

from mutation.equivalent import EQUIVALENT
from mutation.mutant import Mutant
from mutation.report import FileResult, render
from mutation.results import as_record, load, match_survivors, record
from mutation.runner import Outcome


def _result(path: str, killed: int, survivors: list[str]) -> FileResult:
    result = FileResult(path, ["tests/test_x.py"], total_mutants=killed + len(survivors) + 5)
    for n in range(killed):
        result.outcomes.append(Outcome(Mutant(path, n + 1, f"k{n}", ""), "killed", 2.0))
    for change in survivors:
        result.outcomes.append(Outcome(Mutant(path, 99, change, ""), "survived", 2.0))
    result.seconds = 2.0 * len(result.outcomes)
    return result


def test_a_later_run_of_other_files_keeps_the_earlier_files(tmp_path):
    """Bug caught: each `--modules` run overwriting the report, so per-module runs never add
    up to a score per package (the issue's 80 % is per package)."""
    (tmp_path / "docs").mkdir()
    record(tmp_path, [_result("quality/checks.py", 3, ["a -> b"])], "run 1", "t1")
    record(tmp_path, [_result("ingest/cast.py", 4, [])], "run 2", "t2")
    stored = record(tmp_path, [_result("quality/checks.py", 4, [])], "run 3", "t3")
    assert stored == load(tmp_path)
    assert [r["killed"] for r in stored["quality/checks.py"]] == [3, 4]
    report = render(stored, "run 3", counts={"quality/checks.py": 50, "ingest/cast.py": 50})
    assert "| quality/checks.py | 4/4 (100 %) | 3/4 (75 %) |" in report  # now, first
    assert "| ingest/cast.py | 4/4 (100 %) | 4/4 (100 %) |" in report
    assert "a -> b" not in report  # killed by the latest run
    # 8 recorded mutants at 2 s each, times 100 mutants in all.
    assert "the full run (100 mutants in every target file) would take about 0.1 h" in report


def test_an_equivalent_survivor_is_marked_and_counted_apart_from_the_killed():
    """Bug caught: an equivalent mutant reported as a plain survivor (or silently counted as
    killed), so a reader cannot tell a missed bug from a change no input can show."""
    path, change = next(key for key in EQUIVALENT if key[0].startswith("assets/sql/marts/"))
    stored = {path: [as_record(_result(path, 3, [change, "x -> y"]), "run", "t")]}
    report = render(stored, "run", counts={path: 10})
    assert "| assets/sql/marts | 3/5 (60 %) | 4/5 (80 %) | 80 % (50-100 %) | 1 of 1 | 10 | 0 |" in (
        report
    )
    assert f"`` {change} `` **equivalent:** {EQUIVALENT[(path, change)]}" in report
    assert "`` x -> y ``\n" in report  # a real survivor carries no reason


def test_a_rerun_of_the_survivors_updates_the_latest_run(tmp_path):
    """Bug caught: re-running only the survivors recorded as a run of its own (a score of
    1/2 where the file's mutants are 5/6 killed), or losing a survivor it did not re-run."""
    (tmp_path / "docs").mkdir()
    path = "quality/checks.py"
    [first] = record(tmp_path, [_result(path, 3, ["a -> b", "c -> d", "e -> f"])], "r1", "t1")[path]
    rerun = FileResult(path, ["tests/test_x.py"], 13, rerun_of=first)
    rerun.outcomes = [
        Outcome(Mutant(path, 99, "a -> b", ""), "killed", 1.0),
        Outcome(Mutant(path, 99, "c -> d", ""), "survived", 1.0),
    ]  # "e -> f" no longer made (its line changed): it stays a survivor
    latest = record(tmp_path, [rerun], "r2", "t2")[path][-1]
    assert (latest["killed"], latest["run"], latest["started"]) == (4, 6, "t2")
    assert [s["change"] for s in latest["survivors"]] == ["c -> d", "e -> f"]
    assert latest["mutant_seconds"] == first["mutant_seconds"]


def test_a_survivor_whose_line_moved_is_found_by_its_change(tmp_path):
    """Bug caught: survivors matched by line and change only, so after a line was added
    above them (a comment, an import) a re-run of the survivors ran none of them and kept
    them listed as open although a new test kills them. Two survivors make the same
    change on lines 10 and 20; both moved down by 2; a third's line was rewritten."""
    path = "forecasting/x.py"
    survivors = [
        {"line": 10, "change": "a -> b"},
        {"line": 20, "change": "a -> b"},
        {"line": 30, "change": "gone -> x"},
    ]
    today = [Mutant(path, line, "a -> b", "") for line in (12, 22)]
    today.append(Mutant(path, 40, "c -> d", ""))
    paired = match_survivors(today, survivors)
    assert {index: m.line for index, m in paired.items()} == {0: 12, 1: 22}
    # Recorded: the one killed at 12 is dropped, the one surviving at 22 is kept at its
    # new line, the unmatched one stays as it was.
    (tmp_path / "docs").mkdir()
    first = {
        "started": "t1", "command": "r1", "killed": 5, "run": 8, "mutants": 8, "seconds": 1.0,
        "mutant_seconds": 1.0, "note": "", "engine": "fork", "tests": [], "survivors": survivors,
    }  # fmt: skip
    rerun = FileResult(path, ["tests/test_x.py"], 8, rerun_of=first)
    rerun.outcomes = [
        Outcome(today[0], "killed", 1.0),
        Outcome(today[1], "survived", 1.0),
    ]
    latest = record(tmp_path, [rerun], "r2", "t2")[path][-1]
    assert latest["killed"] == 6
    assert latest["survivors"] == [
        {"line": 22, "change": "a -> b"},
        {"line": 30, "change": "gone -> x"},
    ]
