"""Every file's mutation runs, kept across runs, so the report covers more than the last one.

A full run of every target file takes hours, so files are run a few at a time
(`--modules`). Each run appends its files' results to docs/mutation-results.json; the report
is rendered from the whole record: per file the latest run (the score that counts now) and
the first one (the score before the tests written since).
"""

from __future__ import annotations

import json
from pathlib import Path

from mutation.mutant import Mutant
from mutation.report import FileResult
from mutation.runner import Outcome

RESULTS = "docs/mutation-results.json"


def load(root: Path) -> dict[str, list[dict]]:
    """File path -> its runs, oldest first (empty when nothing was recorded yet)."""
    path = root / RESULTS
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def as_record(result: FileResult, command: str, started: str) -> dict:
    """One file's run as stored: scores, time, tests and every surviving mutant.

    A re-run of an earlier run's survivors is stored as that run with those survivors'
    new outcomes: the mutants it killed before stay killed, its time per mutant is kept.
    """
    if result.rerun_of is not None:
        return _updated(result.rerun_of, result, command, started)
    return {
        "started": started,
        "command": command,
        "killed": result.killed,
        "run": len(result.outcomes),
        "mutants": result.total_mutants,
        "seconds": round(result.seconds, 1),
        "mutant_seconds": round(sum(o.seconds for o in result.outcomes), 1),
        "note": result.note,
        "engine": result.engine,
        "tests": result.tests,
        "survivors": [_survivor(o) for o in result.outcomes if not o.killed],
    }


def _survivor(outcome: Outcome) -> dict:
    """A survivor as stored; `not_covered` (fork engine) when no test runs its line."""
    entry = {"line": outcome.mutant.line, "change": outcome.mutant.change}
    if outcome.status == "not covered":
        entry["not_covered"] = True
    return entry


def match_survivors(mutants: list[Mutant], survivors: list[dict]) -> dict[int, Mutant]:
    """Each recorded survivor (by its index in `survivors`) paired with the mutant of today's
    file that is the same change: on the same line, else on the nearest line making that
    change (lines added or removed above it moved it). A survivor whose change no line
    makes any more (its line was rewritten) is not paired. Each mutant pairs once."""
    paired: dict[int, Mutant] = {}
    taken: set[Mutant] = set()
    for same_line in (True, False):
        for index, survivor in enumerate(survivors):
            if index in paired:
                continue
            found = [
                m
                for m in mutants
                if m.change == survivor["change"]
                and m not in taken
                and (m.line == survivor["line"] or not same_line)
            ]
            if found:
                mutant = min(found, key=lambda m: (abs(m.line - survivor["line"]), m.line))
                paired[index] = mutant
                taken.add(mutant)
    return paired


def _updated(previous: dict, rerun: FileResult, command: str, started: str) -> dict:
    # A survivor the re-run did not find (its line rewritten since) stays a survivor; one it
    # re-ran is dropped when killed and kept at its line of today when it survived again.
    outcomes = {o.mutant: o for o in rerun.outcomes}
    paired = match_survivors(list(outcomes), previous["survivors"])
    survivors = []
    for index, survivor in enumerate(previous["survivors"]):
        outcome = outcomes.get(paired.get(index))
        if outcome is None:
            survivors.append(survivor)
        elif not outcome.killed:
            survivors.append(_survivor(outcome))
    return {
        **previous,
        "started": started,
        "command": f"{command} (survivors of the run of {previous['started']})",
        "killed": previous["killed"] + rerun.killed,
        "tests": rerun.tests,
        "survivors": survivors,
    }


def record(root: Path, results: list[FileResult], command: str, started: str) -> dict:
    """Append this run's files to the record on disk; returns the whole record."""
    stored = load(root)
    for result in results:
        stored.setdefault(result.path, []).append(as_record(result, command, started))
    (root / RESULTS).write_text(
        json.dumps(stored, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    return stored
