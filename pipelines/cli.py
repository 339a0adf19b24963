"""The `orderpulse` command line: run the pipeline on an exports folder without Dagster.

orderpulse demo [--data-dir DIR]
orderpulse run --exports DIR [--data-dir DIR] [--settings FILE]
orderpulse simulate --out DIR [--scale SF] [--seed N]
orderpulse serve [--data-dir DIR | --site DIR] [--port N]

Exit codes: 0 the run succeeded; 1 the run failed (the last lines say why and name the
log file with the tracebacks); 2 bad input or settings (nothing ran).

The benchmark is its own command, `orderpulse-bench` (bench/command.py), so that the CLI
never imports the measuring code.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import sys
import warnings
from pathlib import Path

DEFAULT_DATA_DIR = "data"
DEFAULT_PORT = 8000


def run_exports(
    exports: Path, data_dir: Path, settings: str | None, site_dir: Path | None = None
) -> int:
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
    except SettingsError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    try:
        files = discover_exports(exports)
    except (ExportLayoutError, FileNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if not files:
        print(
            f"error: no export files in {exports}; expected <kind>/YYYY-MM-DD.csv", file=sys.stderr
        )
        return 2
    try:
        # A multi-day file is read for the days it holds (rows dated outside the bounds give none).
        days = export_days(exports, files, RowBounds.from_settings(cfg.ingest, cfg.history))
    except (ExportFileError, ExportConfigError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    kinds = sorted({f.kind for f in files})
    print(
        f"Exports {exports}: {len(files)} files, kinds {', '.join(kinds)}, days {days[0]} .. {days[-1]}"
    )
    from pipelines.runner import run_refresh  # Dagster and every asset: imported once needed

    try:
        outcome = run_refresh(
            paths, days[0].isoformat(), days[-1].isoformat(), settings=run_settings
        )
    except HistoryRangeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    from pipelines.run_summary import summary_lines

    print("\n".join(summary_lines(outcome, paths)), flush=True)
    return 0 if outcome.success and not outcome.failures else 1


def demo(data_dir: Path, seed: int = 0, site_dir: Path | None = None) -> int:
    import simulator

    exports = data_dir / "exports"
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


def site_server(site: Path, port: int) -> http.server.ThreadingHTTPServer:
    """An HTTP server for the site folder on 127.0.0.1 (port 0: any free port).

    The handler resolves every request against the folder's path, not an open handle, so
    a run that swaps in a new site is served from the next request on.
    """
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    return http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)


def serve(site: Path, port: int) -> int:
    if not (site / "index.html").is_file():
        print(
            f"error: no dashboards in {site} (index.html missing); run `orderpulse demo` or "
            "`orderpulse run` first, or pass --site",
            file=sys.stderr,
        )
        return 2
    with site_server(site, port) as server:
        print(f"Serving {site} on http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C stops)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            print("stopped")
    return 0


def main(argv: list[str] | None = None) -> int:
    warnings.filterwarnings("ignore")  # Dagster's beta/preview warnings drown the progress
    parser = argparse.ArgumentParser(prog="orderpulse", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    p_demo = commands.add_parser("demo", help="run the pipeline on the embedded Online Retail data")
    p_demo.add_argument("--data-dir", type=Path, default=Path(DEFAULT_DATA_DIR))
    p_run = commands.add_parser("run", help="run the pipeline on an exports folder")
    p_run.add_argument(
        "--exports", type=Path, required=True, help="folder with orders/ traffic/ ... subfolders"
    )
    p_run.add_argument("--data-dir", type=Path, default=Path(DEFAULT_DATA_DIR))
    p_run.add_argument("--settings", help="settings YAML, every key optional (docs/settings.md)")
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
    args = parser.parse_args(argv)
    if args.command == "serve":
        return serve((args.site or args.data_dir / "site").resolve(), args.port)
    site_dir = args.site_dir.resolve() if getattr(args, "site_dir", None) else None
    if args.command == "demo":
        return demo(args.data_dir.resolve(), site_dir=site_dir)
    if args.command == "run":
        return run_exports(args.exports.resolve(), args.data_dir.resolve(), args.settings, site_dir)
    return simulate(args.out.resolve(), args.scale, args.seed)


if __name__ == "__main__":
    sys.exit(main())
