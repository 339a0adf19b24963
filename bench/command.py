"""`orderpulse-bench` / `make bench`: options, then the stages per scale, table and record.

orderpulse-bench [--scale 1 [--scale 10]] [--years 1]
                 [--stages load,full,nightly,reference,text] [--repeats N] [--seed N]
                 [--data-dir DIR] [--memory-limit 6GB] [--text-sizes 100000,1000000]

`--years 3` benches a shop with three years of history before the nightly run's new day
(its own store, `sf1-seed0-3y`): the nightly run should cost what the new day costs,
whatever the history (`python -m bench.growth --scales 1 --years 1,3` compares the two).

The `text` stage (bench/text_analysis.py) times the review text analysis on that many
texts, whatever the scale, and appends its record to DIR/bench/text_results.jsonl.
"""

from __future__ import annotations

import argparse
from pathlib import Path

STAGE_NAMES = ("load", "full", "nightly", "reference", "text")
TEXT_RESULTS_FILE = "text_results.jsonl"
# The whole run should fit in ~8 GB of memory: DuckDB gets 6 GB and spills to disk past it,
# leaving the rest for Python, polars and statsforecast.
DEFAULT_MEMORY_LIMIT = "6GB"


def _scales(text: str) -> list[float]:
    return [float(part) for part in text.split(",") if part]


def _stages(text: str) -> list[str]:
    stages = [part for part in text.split(",") if part]
    unknown = sorted(set(stages) - set(STAGE_NAMES))
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown stage(s) {', '.join(unknown)}; choose from {', '.join(STAGE_NAMES)}"
        )
    return stages


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--scale", type=_scales, action="append", help="scale factor(s), e.g. 1 or 1,10 (default 1)"
    )
    parser.add_argument(
        "--stages",
        type=_stages,
        default=list(STAGE_NAMES),
        help="comma-separated: " + ",".join(STAGE_NAMES),
    )
    parser.add_argument(
        "--repeats", type=int, default=1, help="repeats per stage; the table shows median (min-max)"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--years", type=int, default=1, help="years of history before the new day (default 1)"
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=Path("data"),
        help="stores, runs and bench_results.jsonl go in DIR/bench",
    )
    parser.add_argument(
        "--memory-limit",
        default=DEFAULT_MEMORY_LIMIT,
        help=f"DuckDB memory_limit of every warehouse connection (default {DEFAULT_MEMORY_LIMIT}; 'none': DuckDB's 80 %% of RAM)",
    )
    parser.add_argument(
        "--text-sizes",
        default="100000,1000000",
        help="numbers of texts of the text stage, comma-separated",
    )


def run_text_stage(args: argparse.Namespace, bench_dir: Path) -> None:
    """The text stage: time the review text analysis at each size, print and record it."""
    from bench.report import append_record, git_commit
    from bench.text_analysis import bench_texts, format_text_bench

    sizes = tuple(int(part) for part in args.text_sizes.split(",") if part)
    results = bench_texts(sizes, args.seed)
    print(format_text_bench(results))
    commit = git_commit(Path(__file__).resolve().parents[1])
    append_record(bench_dir / TEXT_RESULTS_FILE, {"commit": commit, "results": results})


def run(args: argparse.Namespace) -> int:
    from bench.report import (
        RESULTS_FILE,
        append_record,
        compare,
        format_result,
        git_commit,
        new_record,
        previous_record,
    )
    from bench.run import bench_scale

    if args.repeats < 1:
        print("error: --repeats must be at least 1")
        return 2
    if "nightly" in args.stages and "full" not in args.stages:
        print("error: the nightly stage runs after the full run; add full to --stages")
        return 2
    bench_dir = args.data_dir.resolve() / "bench"
    results = bench_dir / RESULTS_FILE
    scales = [s for group in (args.scale or [[1.0]]) for s in group]
    failed = False
    commit = git_commit(
        Path(__file__).resolve().parents[1]
    )  # the code as it was when the run began
    pipeline_stages = [stage for stage in args.stages if stage != "text"]
    for scale in scales if pipeline_stages else []:
        print(
            f"SF{scale:g}: stages {', '.join(args.stages)}, {args.repeats} repeat(s) ...",
            flush=True,
        )
        memory_limit = None if args.memory_limit.lower() == "none" else args.memory_limit
        result = bench_scale(
            bench_dir, scale, args.seed, pipeline_stages, args.repeats, memory_limit, args.years
        )
        record = new_record(result, pipeline_stages, args.repeats, commit)
        previous = previous_record(results, scale, args.seed, args.years)
        append_record(results, record)
        print(format_result(record))
        if previous:
            print("\n" + compare(previous, record))
        failed |= any(not record[s]["success"] for s in ("full", "nightly") if s in record)
    if "text" in args.stages:
        run_text_stage(args, bench_dir)
    print(f"\nRecords appended to {results}")
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="orderpulse-bench", description=__doc__.splitlines()[0])
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
