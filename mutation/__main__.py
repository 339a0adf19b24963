"""`python -m mutation`: mutate the chosen files, run their tests, write docs/mutation.md."""

from __future__ import annotations

import os

# BLAS's thread pool would be missing in the fork engine's forked children (see
# mutation/fork_runner.py), so BLAS runs on one thread: set here, before anything the
# runner or the tests import loads numpy (tests importing the runner's modules are
# not affected).
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import argparse
import itertools
import resource
import shlex
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from mutation.mutant import Mutant
from mutation.python_mutants import count_python_mutants, python_mutants
from mutation.report import FileResult, render
from mutation.results import load, match_survivors, record
from mutation.runner import Outcome, restore_leftovers, run_mutant, run_tests
from mutation.sql_mutants import sql_mutants
from mutation.sql_reads import ReadMap, cached_trace, mutant_may_change_references
from mutation.targets import candidate_tests, target_files, tests_for

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
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="run nothing: write the report again from the record (after editing "
        "mutation/equivalent.py)",
    )
    parser.add_argument(
        "--engine",
        choices=("fork", "subprocess"),
        default="fork",
        help="fork (default): Python files run in one process forked per mutant, only the "
        "tests that execute the mutant's line; subprocess: a fresh pytest over every "
        "covering test file per mutant (SQL files always run this way)",
    )
    parser.add_argument(
        "--sql-tests",
        choices=("read", "named"),
        default="read",
        help="read (default): a SQL model's mutants run the covering test files that read "
        "its file in one traced run (mutation/sql_reads.py); named: every test file naming "
        "its table (mutation/targets.py)",
    )
    parser.add_argument(
        "--import-rule-only",
        action="store_true",
        help="fork engine: candidate tests are the importing test files only, as for the "
        "subprocess engine (default: also every test file of the package's tests folder)",
    )
    return parser.parse_args(argv)


def mutants_of(path: str) -> list[Mutant]:
    return sql_mutants(ROOT, path) if path.endswith(".sql") else python_mutants(ROOT, path)


def count_mutants(path: str) -> int:
    if path.endswith(".sql"):
        return len(sql_mutants(ROOT, path))
    return count_python_mutants(ROOT, path)


def spread(mutants: list[Mutant], limit: int | None) -> list[Mutant]:
    """At most `limit` mutants, taken at even steps so every part of the file is sampled.

    The picks are mutant number int(i x count / limit): a limit that is a multiple of an
    earlier one picks the earlier sample again (plus new mutants between them); other
    limits mostly miss it (see the report's note on widening a sample)."""
    if limit is None or len(mutants) <= limit:
        return mutants
    step = len(mutants) / limit
    return [mutants[int(index * step)] for index in range(limit)]


def survivors_only(mutants: list[Mutant], latest: dict) -> list[Mutant]:
    """The mutants among `mutants` that survived the recorded run `latest`, found by their
    change when their line moved since (mutation.results.match_survivors)."""
    chosen = set(match_survivors(mutants, latest["survivors"]).values())
    return [m for m in mutants if m in chosen]


def _print(outcome, path: str) -> None:
    mutant = outcome.mutant
    print(
        f"  {outcome.status:11} {outcome.seconds:5.1f}s {outcome.tests:4}t "
        f"{path}:{mutant.line} {mutant.change[:80]}",
        flush=True,
    )


def _children_cpu() -> float:
    """CPU seconds used by the finished child processes so far (user and system)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_file(
    path: str, args: argparse.Namespace, latest: dict | None = None, reads: ReadMap | None = None
) -> FileResult:
    """Run the file's mutants (or, given its `latest` recorded run, that run's survivors).

    With `reads` (a SQL model's traced run, mutation/sql_reads.py) only the covering test
    files that read the model run, all of them for a mutant that may change its references.
    """
    print(path, flush=True)
    candidates = tests_for(ROOT, path)
    tests = reads.test_files(path, candidates) if reads is not None else candidates
    mutants = mutants_of(path)
    result = FileResult(path, tests, len(mutants), rerun_of=latest)
    if latest is not None:
        mutants = survivors_only(mutants, latest)
    if mutants and not candidates:
        result.note = "no covering tests"
        return result
    original = (ROOT / path).read_text(encoding="utf-8")
    timeouts: dict[tuple[str, ...], float] = {}  # per set of tests, from its unmutated run
    started = time.monotonic()
    for mutant in spread(mutants, args.limit):
        chosen = tests
        if reads is not None and mutant_may_change_references(original, mutant.text):
            chosen = candidates
        if not chosen:  # no test reads the model: nothing could kill the mutant
            outcome = Outcome(mutant, "not covered", 0.0)
            result.outcomes.append(outcome)
            _print(outcome, path)
            continue
        if tuple(chosen) not in timeouts:
            baseline_started, cpu = time.monotonic(), _children_cpu()
            # generous: the slowest covering tests run the whole pipeline in a child process
            baseline = run_tests(ROOT, chosen, timeout=3600)
            if baseline != "passed":
                result.note = f"tests {baseline} unmutated"
                result.outcomes = []
                return result
            seconds = time.monotonic() - baseline_started
            cpu = _children_cpu() - cpu
            print(
                f"  baseline {seconds:.1f} s, {cpu:.1f} CPU s, {len(chosen)} test files", flush=True
            )
            timeouts[tuple(chosen)] = max(args.min_timeout, args.timeout_factor * seconds)
        outcome = run_mutant(ROOT, mutant, chosen, timeouts[tuple(chosen)])
        result.outcomes.append(outcome)
        _print(outcome, path)
    result.seconds = time.monotonic() - started
    return result


def trace_sql_reads(paths: list[str]) -> ReadMap | None:
    """One traced run of every covering test file of the SQL files `paths`."""
    every_test = sorted({test for path in paths for test in tests_for(ROOT, path)})
    if not every_test:
        return None
    started, cpu = time.monotonic(), _children_cpu()
    reads = cached_trace(ROOT, paths, every_test, timeout=3600)
    print(
        f"traced the reads of {len(paths)} SQL files by the {len(every_test)} covering test "
        f"files ({len(reads.fixtures)} tests known) in {time.monotonic() - started:.0f} s, "
        f"{_children_cpu() - cpu:.0f} CPU s",
        flush=True,
    )
    return reads


def run_python_files(
    paths: list[str], args: argparse.Namespace, latest: dict[str, dict | None]
) -> Iterator[FileResult]:
    """The fork engine over Python files: one collection and one traced run for them all.

    `latest` maps a file to the recorded run whose survivors alone are run (or None).
    """
    from mutation.fork_runner import ForkRunner, preload, trace

    rule = tests_for if args.import_rule_only else candidate_tests
    tests = {path: rule(ROOT, path) for path in paths}
    every_test = sorted({test for file_tests in tests.values() for test in file_tests})
    if every_test:
        started = time.monotonic()
        line_map = trace(ROOT, paths, every_test, timeout=3600)
        preload(ROOT, line_map.modules)
        print(
            f"traced {len(line_map.durations)} tests ({len(line_map.failed)} failing unmutated,"
            f" left out) in {time.monotonic() - started:.0f} s",
            flush=True,
        )
    for path in paths:
        print(path, flush=True)
        result = FileResult(path, tests[path], count_mutants(path), rerun_of=latest[path])
        result.engine = "fork"
        mutants = mutants_of(path)
        if latest[path] is not None:
            mutants = survivors_only(mutants, latest[path])
        runner = ForkRunner(ROOT, path, line_map, tests[path]) if tests[path] else None
        if runner is not None and not runner.can_fork:
            print("  threads started while importing: each mutant runs in a fresh process")
        if mutants and (runner is None or not runner.candidates):
            result.note = "no covering tests"
        elif mutants:
            started = time.monotonic()
            for mutant in spread(mutants, args.limit):
                outcome = runner.run(mutant, args.timeout_factor, args.min_timeout)
                result.outcomes.append(outcome)
                _print(outcome, path)
            result.seconds = time.monotonic() - started
        yield result


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
    recorded = load(ROOT)
    if args.report_only:
        counts = {path: count_mutants(path) for path in target_files(ROOT)}
        report = render(recorded, "make mutation ARGS=--report-only", counts)
        (ROOT / args.report).write_text(report, encoding="utf-8")
        return 0
    if args.survivors:
        files = [path for path in files if recorded.get(path)]  # never run: no survivors
    latest = {path: recorded[path][-1] if args.survivors else None for path in files}
    forked = [p for p in files if p.endswith(".py")] if args.engine == "fork" else []
    given = sys.argv[1:] if argv is None else argv
    command = f"make mutation ARGS={shlex.quote(shlex.join(given))}" if given else "make mutation"
    counts = {path: count_mutants(path) for path in target_files(ROOT)}
    others = [path for path in files if path not in forked]
    sql = [path for path in others if path.endswith(".sql")]
    reads = trace_sql_reads(sql) if sql and args.sql_tests == "read" else None
    results = itertools.chain(
        run_python_files(forked, args, latest) if forked else (),
        (run_file(path, args, latest[path], reads if path in sql else None) for path in others),
    )
    # Each file is recorded as soon as it is done, so a run stopped halfway keeps its files.
    for result in results:
        if args.no_record:
            continue
        stored = record(ROOT, [result], command, started_at)
        (ROOT / args.report).write_text(render(stored, command, counts), encoding="utf-8")
        print(f"recorded {result.path}; wrote {args.report}", flush=True)
    restore_leftovers(ROOT)  # every file is back by now; this removes the empty save folder
    return 0


if __name__ == "__main__":
    sys.exit(main())
