"""The `orderpulse` command line: run the pipeline on an exports folder without Dagster.

orderpulse demo [--data-dir DIR]
orderpulse run --exports DIR [--data-dir DIR] [--settings FILE] [--since DATE | --days N]
               [--quiet] [--log-format text|json] [--full-checks]
orderpulse simulate --out DIR [--scale SF] [--seed N]
orderpulse serve [--data-dir DIR | --site DIR] [--port N]
orderpulse --version

Export days: without --since or --days a run loads every export day the folder holds.
--since DATE loads the days from DATE to the newest export day; --days N loads the N
calendar days ending on the newest export day (--days 3 with files up to 2024-03-10 loads
2024-03-08 .. 2024-03-10), counted from the files, not from today's date, so a late or
re-run job loads the same days. Days outside the range stay as loaded before; everything
downstream is rebuilt from all the days loaded so far. A range holding no export day
exits 2. The asset checks validate the rows the run wrote; --full-checks makes them
validate whole tables (docs/operations.md).

Output: on a terminal a progress bar and a line per finished step, then the summary; when
stdout is a file or a pipe (cron, systemd) plain lines, no bar. --quiet prints only the
summary and errors. --log-format json prints only JSON objects on stdout, one per line:
run_start, step_start, step_success and step_failure, then a run_summary with the status
and exit code (also for bad input); error messages still go to stderr (docs/cli.md).

Exit codes: 0 the run succeeded; 1 the run failed (a step failed for any reason other
than a quality check; the last lines say why and name the log file with the tracebacks);
2 bad input or settings (nothing ran); 3 blocked by a quality gate (a blocking check
failed and stopped the steps after it, and nothing else failed); 4 busy: another process
held the warehouse's lock, or a live run its pool slot, for longer than
warehouse.lock_timeout_seconds (nothing ran; the message names the holder).

The benchmark is its own command, `orderpulse-bench` (bench/command.py), so that the CLI
never imports the measuring code.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib.metadata
import sys
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pipelines.day_range import EVERY_DAY, DayRange, DayRangeError, days_to_load
from pipelines.serve import serve

if TYPE_CHECKING:  # the CLI imports Dagster and the assets only once a run needs them
    from config.resources import RunPaths, SettingsResource
    from pipelines.runner import RunOutcome

DEFAULT_DATA_DIR = "data"
DEFAULT_PORT = 8000
# The exit code of each run status (pipelines/run_summary.py: run_status).
EXIT_CODES = {"succeeded": 0, "failed": 1, "bad_input": 2, "blocked": 3, "busy": 4}


@dataclass(frozen=True)
class Report:
    """How a run reports: `quiet` drops the header and the step lines; `json` writes JSON
    objects only (pipelines/step_display.py, run_summary.summary_record) on stdout."""

    quiet: bool = False
    json: bool = False


def _bad_input(message: str, report: Report, status: str = "bad_input") -> int:
    """Say why nothing ran, on stderr (and as the JSON summary), and return the exit code
    of `status` (2 for bad input, 4 when the warehouse stayed busy)."""
    print(f"error: {message}", file=sys.stderr, flush=True)
    code = EXIT_CODES[status]
    if report.json:
        from pipelines.step_display import json_line

        fields = {"status": status, "exit_code": code, "error": message}
        print(json_line("run_summary", time.time(), **fields), flush=True)
    return code


def run_exports(
    exports: Path,
    data_dir: Path,
    settings: str | None,
    site_dir: Path | None = None,
    wanted: DayRange = EVERY_DAY,
    report: Report = Report(),
    full_checks: bool = False,
) -> int:
    """Run the pipeline on the export days of `exports` that `wanted` selects; the exit code."""
    from config.partitions import HistoryRangeError
    from config.resources import RunPaths, SettingsResource
    from config.settings_errors import SettingsError
    from ingest.bounds import RowBounds
    from ingest.discover import ExportLayoutError, discover_exports
    from ingest.exports_config import ExportConfigError
    from ingest.multi_day import export_days
    from ingest.source_text import ExportFileError
    from pipelines.resources import checked_settings

    paths = RunPaths(data_dir=str(data_dir), exports_dir=str(exports), site_dir=str(site_dir or ""))
    run_settings = SettingsResource(settings_file=settings or "")
    try:
        cfg = checked_settings(run_settings)  # a bad settings file fails here, before any work
        files = discover_exports(exports)
        if not files:
            return _bad_input(
                f"no export files in {exports}; expected <kind>/YYYY-MM-DD.csv", report
            )
        # A multi-day file is read for the days it holds (rows dated outside the bounds give none).
        days = export_days(
            exports, files, RowBounds.from_settings(cfg.ingest, cfg.history, schedule=cfg.schedule)
        )
        first, last = days_to_load(days, wanted)
    except (
        SettingsError,
        ExportLayoutError,
        FileNotFoundError,
        ExportFileError,
        ExportConfigError,
        DayRangeError,
    ) as error:
        return _bad_input(str(error), report)
    if not (report.quiet or report.json):
        kinds = sorted({f.kind for f in files})
        print(
            f"Exports {exports}: {len(files)} files, kinds {', '.join(kinds)}, "
            f"days {days[0]} .. {days[-1]}; loading {first} .. {last}",
            flush=True,
        )
    from pipelines.recovery import WarehouseBusyError

    try:
        outcome = _run(paths, first, last, run_settings, report, full_checks)
    except HistoryRangeError as error:
        return _bad_input(str(error), report)
    except WarehouseBusyError as error:
        return _bad_input(str(error), report, "busy")
    from pipelines.run_summary import run_status, summary_lines, summary_record

    code = EXIT_CODES[run_status(outcome)]
    if report.json:
        print(summary_record(outcome, paths, code), flush=True)
    else:
        print("\n".join(summary_lines(outcome, paths)), flush=True)
    return code


def _run(
    paths: RunPaths,
    first: dt.date,
    last: dt.date,
    settings: SettingsResource,
    report: Report,
    full_checks: bool = False,
) -> RunOutcome:
    """`run_refresh` with the step display the report asks for. In JSON mode the JSON
    lines keep stdout to themselves: anything else printed during the run goes to stderr."""
    from pipelines.runner import run_refresh  # Dagster and every asset: imported once needed
    from pipelines.step_display import JsonSteps

    if not report.json:
        return run_refresh(
            paths,
            first.isoformat(),
            last.isoformat(),
            not report.quiet,
            settings=settings,
            full_checks=full_checks,
        )
    display = False if report.quiet else JsonSteps(sys.stdout)
    with contextlib.redirect_stdout(sys.stderr):
        return run_refresh(
            paths,
            first.isoformat(),
            last.isoformat(),
            display,
            settings=settings,
            full_checks=full_checks,
        )


def demo(data_dir: Path, seed: int = 0, site_dir: Path | None = None) -> int:
    import simulator
    from config.private_files import private_dir

    exports = private_dir(data_dir) / "exports"
    if not (exports / "ground_truth.json").exists():
        print(f"Writing the demo exports (UCI Online Retail + simulated store) to {exports} ...")
        simulator.build_demo_exports(exports, seed=seed)
    else:
        print(f"Using the demo exports in {exports} (delete the folder to regenerate)")
    return run_exports(exports, data_dir, None, site_dir)


def simulate(out: Path, scale: float | None, seed: int) -> int:
    import simulator

    if scale is None:
        truth = simulator.build_demo_exports(out, seed=seed)
    else:
        truth = simulator.build_synthetic_exports(out, scale=scale, seed=seed)
    print(f"Wrote exports to {out} (ground truth: {out / 'ground_truth.json'})")
    traffic, orders = truth["traffic"], truth["orders"]
    print(
        f"  {orders['order_lines']:,} order lines, {orders['orders_placed']:,} orders, "
        f"{traffic['events']:,} events in {traffic['sessions']:,} sessions; true conversion "
        f"{traffic['conversion_rate']:.2%}, cart abandonment {traffic['cart_abandonment_rate']:.2%}"
    )
    return 0


def _doc_section(title: str) -> str:
    """The paragraph of this module's docstring that starts with `title`."""
    return next(part for part in __doc__.split("\n\n") if part.startswith(title))


def _version() -> str:
    try:
        return importlib.metadata.version("orderpulse")
    except importlib.metadata.PackageNotFoundError:  # run from a source tree never installed
        return "unknown (not installed)"


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a day (YYYY-MM-DD)") from None


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of days, 1 or more")
    return int(text)


def _add_run_parser(commands) -> argparse.ArgumentParser:
    p_run = commands.add_parser(
        "run",
        help="run the pipeline on an exports folder",
        epilog="\n\n".join(_doc_section(t) for t in ("Export days:", "Output:", "Exit codes:")),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p_run.add_argument(
        "--exports", type=Path, required=True, help="folder with orders/ traffic/ ... subfolders"
    )
    p_run.add_argument("--data-dir", type=Path, default=Path(DEFAULT_DATA_DIR))
    p_run.add_argument("--settings", help="settings YAML, every key optional (docs/settings.md)")
    days = p_run.add_mutually_exclusive_group()
    days.add_argument(
        "--since", type=_day, metavar="DATE", help="load the export days from DATE (YYYY-MM-DD) on"
    )
    days.add_argument(
        "--days",
        type=_positive,
        metavar="N",
        help="load the N calendar days ending on the newest export day (not today)",
    )
    p_run.add_argument(
        "--quiet", action="store_true", help="print only the summary and errors, no step lines"
    )
    p_run.add_argument(
        "--log-format",
        choices=("text", "json"),
        default="text",
        help="json: one JSON object per line on stdout, for a log collector",
    )
    p_run.add_argument(
        "--full-checks",
        action="store_true",
        help="validate whole tables in every asset check, not only the rows the run wrote",
    )
    return p_run


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="orderpulse",
        description=__doc__.splitlines()[0],
        epilog=_doc_section("Exit codes:"),
    )
    parser.add_argument("--version", action="version", version=f"orderpulse {_version()}")
    commands = parser.add_subparsers(dest="command", required=True)
    p_demo = commands.add_parser("demo", help="run the pipeline on the embedded Online Retail data")
    p_demo.add_argument("--data-dir", type=Path, default=Path(DEFAULT_DATA_DIR))
    p_run = _add_run_parser(commands)
    for sub in (p_demo, p_run):
        sub.add_argument(
            "--site-dir", type=Path, help="publish the dashboards here (default <data dir>/site)"
        )
    p_sim = commands.add_parser("simulate", help="write a simulated export folder")
    p_sim.add_argument("--out", type=Path, required=True)
    p_sim.add_argument(
        "--scale", type=float, default=None, help="synthetic store of this size (1 = Online Retail)"
    )
    p_sim.add_argument("--seed", type=int, default=0)
    p_serve = commands.add_parser("serve", help="serve the published dashboards on 127.0.0.1")
    p_serve.add_argument("--data-dir", type=Path, default=Path(DEFAULT_DATA_DIR))
    p_serve.add_argument("--site", type=Path, help="the site folder (default <data dir>/site)")
    p_serve.add_argument("--port", type=int, default=DEFAULT_PORT)
    return parser


def main(argv: list[str] | None = None) -> int:
    warnings.filterwarnings("ignore")  # Dagster's beta/preview warnings drown the progress
    args = build_parser().parse_args(argv)
    if args.command == "serve":
        return serve((args.site or args.data_dir / "site").resolve(), args.port)
    site_dir = args.site_dir.resolve() if getattr(args, "site_dir", None) else None
    if args.command == "demo":
        return demo(args.data_dir.resolve(), site_dir=site_dir)
    if args.command == "run":
        return run_exports(
            args.exports.resolve(),
            args.data_dir.resolve(),
            args.settings,
            site_dir,
            DayRange(since=args.since, last=args.days),
            Report(quiet=args.quiet, json=args.log_format == "json"),
            args.full_checks,
        )
    return simulate(args.out.resolve(), args.scale, args.seed)


if __name__ == "__main__":
    sys.exit(main())
