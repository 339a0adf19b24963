"""A year-long backfill launched from the UI, on the PostgreSQL instance and on SQLite.

    .venv/bin/python -m bench.instance_backfill [--scale SF] [--days N] [--instances postgres,sqlite]
        [--backfill job|assets] [--event-batch-size N]

Writes a synthetic shop's exports (`orderpulse simulate --scale SF`, N days from
2024-01-01), then for each instance starts dagster-daemon + dagster-webserver on
deploy/workspace.yaml, launches a backfill of every export-day partition through the
webserver's GraphQL (`launchPartitionBackfill`, what the UI's "Launch backfill" sends; of
the `refresh` job, or with --backfill assets of every asset) and waits for it to finish. `postgres` is deploy/dagster.yaml on a
private PostgreSQL cluster; `sqlite` the repository's dagster.yaml, which `make ui` uses.
Prints per instance the backfill's wall time (launch to finished), its runs' time, the
event-log rows it wrote and those rows per second of wall time.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

from bench.local_postgres import postgres_cluster
from bench.local_service import (
    LOCAL_INSTANCE,
    LOCATION,
    PRODUCTION_INSTANCE,
    REPOSITORY,
    DagsterServices,
    dagster_services,
    runs,
)
from pipelines.jobs import REFRESH_JOB_NAME

FIRST_DAY = dt.date(2024, 1, 1)

ASSET_KEYS = """{ assetNodes { assetKey { path } } }"""

LAUNCH_BACKFILL = """
mutation($params: LaunchBackfillParams!) {
  launchPartitionBackfill(backfillParams: $params) {
    __typename
    ... on LaunchBackfillSuccess { backfillId }
    ... on Error { message }
  }
}"""

BACKFILL = """
query($id: String!) {
  partitionBackfillOrError(backfillId: $id) {
    ... on PartitionBackfill { status }
  }
}"""

UNFINISHED = {"REQUESTED", "CANCELING", "FAILING"}


def launch_backfill(services: DagsterServices, days: list[str], kind: str) -> str:
    """Backfill `days` as the UI does; its id.

    kind "assets": every asset, from the asset graph's "Materialize" (an asset backfill:
    the daemon launches each asset once its parents are done, in as many runs as that
    takes). kind "job": the `refresh` job's partitions, from the job's "Launch backfill".
    """
    params: dict = {"partitionNames": days, "fromFailure": False}
    if kind == "assets":
        nodes = services.graphql(ASSET_KEYS)["assetNodes"]
        params["assetSelection"] = [node["assetKey"] for node in nodes]
    else:
        repository = {"repositoryLocationName": LOCATION, "repositoryName": REPOSITORY}
        params["selector"] = {
            "partitionSetName": f"{REFRESH_JOB_NAME}_partition_set",
            "repositorySelector": repository,
        }
    answer = services.graphql(LAUNCH_BACKFILL, {"params": params})["launchPartitionBackfill"]
    if answer["__typename"] != "LaunchBackfillSuccess":
        raise RuntimeError(f"launchPartitionBackfill answered {answer}")
    return answer["backfillId"]


def wait_for_backfill(services: DagsterServices, backfill_id: str, timeout: float) -> str:
    """Wait until the backfill and every run it launched have finished; its status."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = services.graphql(BACKFILL, {"id": backfill_id})["partitionBackfillOrError"][
            "status"
        ]
        launched = runs(services, tags=[{"key": "dagster/backfill", "value": backfill_id}])
        if status not in UNFINISHED and all(
            run["status"] in {"SUCCESS", "FAILURE", "CANCELED"} for run in launched
        ):
            return status
        time.sleep(2)
    raise TimeoutError(f"backfill {backfill_id} not finished within {timeout:.0f} s")


def _sqlite_events(home: Path) -> int:
    # The stock SQLite storage keeps each run's events in its own file (the cross-run
    # index.db holds the asset events a second time).
    total = 0
    for shard in (home / "history" / "runs").glob("*.db"):
        if shard.name != "index.db":
            with contextlib.closing(sqlite3.connect(shard)) as con:
                total += con.execute("select count(*) from event_logs").fetchone()[0]
    return total


def measure(
    instance: str, exports: Path, days: list[str], work: Path, kind: str, batch: int
) -> dict:
    """One backfill of `days` on a fresh `instance` ("postgres" or "sqlite"); `batch` > 0
    sets DAGSTER_EVENT_BATCH_SIZE (events stored in batches of up to that many)."""
    home, data = work / instance / "home", work / instance / "data"
    home.mkdir(parents=True)
    template = PRODUCTION_INSTANCE if instance == "postgres" else LOCAL_INSTANCE
    shutil.copyfile(template, home / "dagster.yaml")
    settings = work / "settings.yaml"
    settings.write_text(f'history:\n  first_day: "{days[0]}"\n')
    env = {
        "DAGSTER_COMPUTE_LOGS_DIR": str(work / instance / "compute_logs"),
        "ORDERPULSE_DATA_DIR": str(data),
        "ORDERPULSE_EXPORTS_DIR": str(exports),
        "ORDERPULSE_SETTINGS": str(settings),
        "DAGSTER_EVENT_BATCH_SIZE": str(batch),
    }
    with contextlib.ExitStack() as stack:
        postgres = stack.enter_context(postgres_cluster()) if instance == "postgres" else None
        if postgres is not None:
            env |= postgres.env()
        services = stack.enter_context(dagster_services(home, env, work / instance / "logs"))
        started, launched_at = time.perf_counter(), time.time()
        backfill_id = launch_backfill(services, days, kind)
        try:
            status = wait_for_backfill(services, backfill_id, timeout=3600)
        except TimeoutError as error:
            raise RuntimeError(f"{error}\n{services.log_tails()}") from None
        wall = time.perf_counter() - started
        launched = runs(services, tags=[{"key": "dagster/backfill", "value": backfill_id}])
        if postgres is not None:
            [(events,)] = postgres.query("select count(*) from event_logs")
        else:
            events = _sqlite_events(home)
    return {
        "instance": instance,
        "status": status,
        "runs": [run["status"] for run in launched],
        "run_seconds": sum(run["endTime"] - run["startTime"] for run in launched),
        "wall_seconds": wall,
        "first_run_after": min(run["startTime"] for run in launched) - launched_at,
        "events": events,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="shop size (1 = Online Retail)")
    parser.add_argument("--days", type=int, default=365, help="export days backfilled")
    parser.add_argument("--instances", default="postgres,sqlite")
    parser.add_argument(
        "--event-batch-size", type=int, default=0, help="DAGSTER_EVENT_BATCH_SIZE; 0: off"
    )
    parser.add_argument(
        "--backfill", choices=("job", "assets"), default="job", help="see launch_backfill"
    )
    args = parser.parse_args(argv)
    import simulator

    with tempfile.TemporaryDirectory(prefix="orderpulse-backfill-") as folder:
        work = Path(folder)
        print(f"Writing {args.days} days of a synthetic shop at scale {args.scale} ...", flush=True)
        simulator.build_synthetic_exports(
            work / "exports", scale=args.scale, start=FIRST_DAY, days=args.days
        )
        days = [(FIRST_DAY + dt.timedelta(days=n)).isoformat() for n in range(args.days)]
        print(
            f"{'instance':9} {'status':17} {'runs':>4} {'wall s':>7} {'run s':>7} "
            f"{'events':>7} {'events/s':>8} {'1st run after s':>15}"
        )
        for instance in args.instances.split(","):
            result = measure(
                instance, work / "exports", days, work, args.backfill, args.event_batch_size
            )
            print(
                f"{result['instance']:9} {result['status']:17} {len(result['runs']):>4} "
                f"{result['wall_seconds']:>7.1f} {result['run_seconds']:>7.1f} "
                f"{result['events']:>7} {result['events'] / result['wall_seconds']:>8.1f} "
                f"{result['first_run_after']:>15.1f}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
