"""How each step's cost grows from one scale to the next, from the bench's own records.

    .venv/bin/python -m bench.growth --scales 1,10,30 [--results FILE ...]
    .venv/bin/python -m bench.growth --scales 1 --years 1,3

For each scale it takes the newest record that has the stage, of this machine's
`data/bench/bench_results.jsonl` and the committed `bench/records.jsonl` (or the files
given), and
prints one Markdown table per stage (full, nightly): every step's CPU seconds at each scale,
the growth factor of each scale step, and the growth of its input over the same step. A
step's input is the rows it reads (`rows in` of the record) in the full run; in the nightly
run it is one new day, which grows with the scale. A step whose CPU time grows faster than
its input is flagged: it does work that does not scale with what it was given.

With `--years`, the records compared are one scale's shop with more years of history
(`orderpulse-bench --years 3`): the full run's input grows with the years, the nightly
run's new day does not, so a nightly step that costs more with a longer history is
flagged: it reads the history rather than the day.
"""

from __future__ import annotations

import argparse
import itertools
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.report import COMMITTED_RECORDS, RESULTS_FILE, read_records

# Steps this cheap at the smaller scale are fixed costs (Dagster, a query plan): their
# growth factor says nothing about how they scale, so they are never flagged.
FIXED_COST_CPU_S = 1.0
# Growth above the input's by more than this share is flagged (timing noise on a shared
# machine is ~10-20 % per step).
TOLERANCE = 1.25


def read_all(results: Sequence[Path]) -> list[dict[str, Any]]:
    """The records of every file, oldest first by their time."""
    return sorted((r for f in results for r in read_records(f)), key=lambda r: r["time"])


def history_years(record: dict[str, Any]) -> int:
    """Years of history of a record's store (records before `--years` hold one)."""
    return record.get("years", 1)


def size_label(record: dict[str, Any]) -> str:
    """`SF10`, or `SF1 3y` for a store of three years."""
    years = history_years(record)
    return f"SF{record['scale']:g}" + (f" {years}y" if years != 1 else "")


def newest_records(
    records: list[dict[str, Any]], sizes: list[tuple[float, int]], stage: str
) -> list[dict[str, Any]]:
    """The newest of ``records`` (oldest first, as :func:`read_all` gives them) for each
    (scale, years) of `sizes` that ran `stage`, in that order."""
    chosen = []
    for scale, years in sizes:
        have = [
            r
            for r in records
            if r.get("scale") == scale
            and history_years(r) == years
            and r.get(stage, {}).get("success") is not None
        ]
        if not have:
            raise SystemExit(f"no {stage} record for SF{scale:g}, {years} year(s) in the results")
        chosen.append(have[-1])
    return chosen


def input_factor(before: dict[str, Any], after: dict[str, Any], stage: str) -> float:
    """How much more a step is given at `after` than at `before` when its rows are not
    counted: the whole store grows with scale and years, the nightly run's new day with
    the scale alone."""
    factor = after["scale"] / before["scale"]
    if stage == "full":
        factor *= history_years(after) / history_years(before)
    return factor


def _median(figure: Any) -> float | None:
    if figure is None:
        return None
    return figure["median"] if isinstance(figure, dict) else float(figure)


def _factor(before: float | None, after: float | None) -> float | None:
    return after / before if before and after is not None else None


def step_growth(records: list[dict[str, Any]], stage: str) -> list[dict[str, Any]]:
    """One row per step of `stage`: CPU s at each scale, CPU growth and input growth per
    scale step, and whether the step grew faster than its input. Sorted by CPU at the
    largest scale."""
    steps = sorted({s for r in records for s in r[stage]["steps"]})
    rows = []
    for step in steps:
        figures = [r[stage]["steps"].get(step) for r in records]
        cpu = [_median(f["cpu_s"]) if f else None for f in figures]
        rows_in = [f.get("rows_in") if f else None for f in figures]
        growth, input_growth, faster = [], [], False
        for i in range(1, len(records)):
            given = input_factor(records[i - 1], records[i], stage)
            read = _factor(rows_in[i - 1], rows_in[i]) if stage == "full" else None
            grew = _factor(cpu[i - 1], cpu[i])
            growth.append(grew)
            input_growth.append(read or given)
            if grew and cpu[i - 1] >= FIXED_COST_CPU_S:
                faster |= grew > TOLERANCE * (read or given)
        rows.append(
            {
                "step": step,
                "cpu_s": cpu,
                "growth": growth,
                "input_growth": input_growth,
                "faster_than_input": faster,
            }
        )
    return sorted(rows, key=lambda r: -(r["cpu_s"][-1] or 0.0))


def _number(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def markdown_table(records: list[dict[str, Any]], stage: str) -> str:
    """The stage's growth as a Markdown table, its totals first."""
    scales = [size_label(r) for r in records]
    steps_header = [f"{a} -> {b}" for a, b in itertools.pairwise(scales)]
    header = ["step", *[f"CPU s {s}" for s in scales]]
    header += [f"growth {s} (input)" for s in steps_header] + ["faster than input"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    totals = [sum(_median(f["cpu_s"]) for f in r[stage]["steps"].values()) for r in records]
    walls = [_median(r[stage]["wall_s"]) for r in records]
    peaks = [_median(r[stage]["peak_mb"]) for r in records]
    for label, values in (("all steps, CPU s", totals), ("run wall s", walls)):
        grew = [_factor(a, b) for a, b in itertools.pairwise(values)]
        lines.append(
            f"| **{label}** | "
            + " | ".join(_number(v) for v in values)
            + " | "
            + " | ".join(f"{_number(g, 2)}x" for g in grew)
            + " | |"
        )
    lines.append(
        "| **peak MB** | "
        + " | ".join(_number(v, 0) for v in peaks)
        + " | "
        + " | ".join(f"{_number(_factor(a, b), 2)}x" for a, b in itertools.pairwise(peaks))
        + " | |"
    )
    for row in step_growth(records, stage):
        cells = [
            f"{_number(g, 2)}x ({_number(i, 1)}x)"
            for g, i in zip(row["growth"], row["input_growth"])
        ]
        lines.append(
            f"| {row['step'].replace('__', '.')} | "
            + " | ".join(_number(c) for c in row["cpu_s"])
            + " | "
            + " | ".join(cells)
            + f" | {'**yes**' if row['faster_than_input'] else ''} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.growth", description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,10", help="comma-separated, smallest first")
    parser.add_argument(
        "--results",
        type=Path,
        action="append",
        help="a results file (repeatable; default: data/bench/bench_results.jsonl and "
        "bench/records.jsonl)",
    )
    parser.add_argument(
        "--years", default="1", help="years of history, comma-separated, shortest first"
    )
    parser.add_argument("--stages", default="full,nightly")
    args = parser.parse_args(argv)
    scales = [float(s) for s in args.scales.split(",") if s]
    years = [int(y) for y in args.years.split(",") if y]
    sizes = [(scale, y) for scale in scales for y in years]
    every = read_all(args.results or [Path("data/bench") / RESULTS_FILE, COMMITTED_RECORDS])
    for stage in args.stages.split(","):
        records = newest_records(every, sizes, stage)
        commits = ", ".join(f"{size_label(r)} {r['git_commit']}" for r in records)
        print(f"\n### {stage} run ({commits})\n")
        print(markdown_table(records, stage))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
