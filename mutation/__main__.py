"""`python -m mutation`: mutate the chosen files, run their tests, write docs/mutation.md."""

from __future__ import annotations

import argparse
import shlex
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from mutation.mutant import Mutant
from mutation.python_mutants import count_python_mutants, python_mutants
from mutation.report import FileResult, render
from mutation.results import load, record
from mutation.runner import restore_leftovers, run_mutant, run_tests
from mutation.sql_mutants import sql_mutants
from mutation.targets import target_files, tests_for

ROOT = Path(__file__).resolve().parents[1]


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m mutation", description=__doc__)
    parser.add_argument(
        "--modules",
        help="comma-separated path prefixes to mutate, e.g. quality,assets/sql/marts/funnel "
        "(default: ingest, forecasting, quality and assets/sql)",
    )
    parser.add_argument("--limit", type=int, help="at most N mutants per file, evenly spread")
    parser.add_argument(
        "--timeout-factor",
        type=float,
        default=3.0,
        help="a mutant's tests time out after this many times the unmutated run (default 3)",
    )
    parser.add_argument("--min-timeout", type=float, default=30.0, help="seconds (default 30)")
    parser.add_argument("--report", default="docs/mutation.md", help="where to write the report")
    parser.add_argument(
        "--survivors",
        action="store_true",
        help="run only the mutants that survived each file's latest recorded run (to check "
        "the tests written against them); the file keeps that run's score, updated",
    )
    parser.add_argument(
        "--no-record",
        action="store_true",
        help="do not add this run to docs/mutation-results.json (a trial run)",
    )
    parser.add_argument(
        "--list", action="store_true", help="print the mutants and their tests only"
    )
    return parser.parse_args(argv)


def mutants_of(path: str) -> list[Mutant]:
    return sql_mutants(ROOT, path) if path.endswith(".sql") else python_mutants(ROOT, path)


def count_mutants(path: str) -> int:
    if path.endswith(".sql"):
        return len(sql_mutants(ROOT, path))
    return count_python_mutants(ROOT, path)


def spread(mutants: list[Mutant], limit: int | None) -> list[Mutant]:
    """At most `limit` mutants, taken at even steps so every part of the file is sampled."""
    if limit is None or len(mutants) <= limit:
        return mutants
    step = len(mutants) / limit
    return [mutants[int(index * step)] for index in range(limit)]


def survivors_only(mutants: list[Mutant], latest: dict) -> list[Mutant]:
    """The mutants among `mutants` that survived the recorded run `latest`."""
    survived = {(s["line"], s["change"]) for s in latest["survivors"]}
    return [m for m in mutants if (m.line, m.change) in survived]


def run_file(path: str, args: argparse.Namespace, latest: dict | None = None) -> FileResult:
    """Run the file's mutants (or, given its `latest` recorded run, that run's survivors)."""
    tests = tests_for(ROOT, path)
    mutants = mutants_of(path)
    result = FileResult(path, tests, len(mutants), rerun_of=latest)
    if latest is not None:
        mutants = survivors_only(mutants, latest)
    if not mutants:
        return result
    if not tests:
        result.note = "no covering tests"
        return result
    started = time.monotonic()
    baseline = run_tests(ROOT, tests, timeout=600)
    if baseline != "passed":
        result.note = f"tests {baseline} unmutated"
        return result
    timeout = max(args.min_timeout, args.timeout_factor * (time.monotonic() - started))
    for mutant in spread(mutants, args.limit):
        outcome = run_mutant(ROOT, mutant, tests, timeout)
        result.outcomes.append(outcome)
        print(
            f"  {outcome.status:8} {outcome.seconds:5.1f}s {path}:{mutant.line} {mutant.change[:90]}"
        )
    result.seconds = time.monotonic() - started
    return result


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    for path in restore_leftovers(ROOT):
        print(f"restored {path}, left mutated by an interrupted run")
    selected = args.modules.split(",") if args.modules else None
    files = target_files(ROOT, selected)
    if args.list:
        for path in files:
            print(
                f"{path}: {len(mutants_of(path))} mutants; tests: {' '.join(tests_for(ROOT, path))}"
            )
        return 0
    started_at = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    results = []
    recorded = load(ROOT)
    for path in files:
        if args.survivors and not recorded.get(path):
            continue  # never run: no survivors to re-run
        print(path, flush=True)
        latest = recorded[path][-1] if args.survivors else None
        results.append(run_file(path, args, latest))
    restore_leftovers(ROOT)  # every file is back by now; this removes the empty save folder
    given = sys.argv[1:] if argv is None else argv
    command = f"make mutation ARGS={shlex.quote(shlex.join(given))}" if given else "make mutation"
    if args.no_record:
        return 0
    stored = record(ROOT, results, command, started_at)
    all_mutants = sum(count_mutants(path) for path in target_files(ROOT))
    (ROOT / args.report).write_text(render(stored, command, all_mutants), encoding="utf-8")
    print(f"wrote {args.report}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
