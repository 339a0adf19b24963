"""The production deployment runs: deploy/dagster.yaml on a real PostgreSQL, a real
dagster-daemon and dagster-webserver on deploy/workspace.yaml, folders and settings from
the ORDERPULSE_* variables. Exports dropped into the folder make the export-drop sensor
launch a refresh run that succeeds, and its history is in PostgreSQL.

One service start (~1 minute on 2 cores) serves every assertion, so they share one test.
"""

from __future__ import annotations

import shutil

import pytest

from bench.local_postgres import postgres_bin, postgres_cluster
from bench.local_service import (
    PRODUCTION_INSTANCE,
    dagster_services,
    start_sensor,
    wait_for_runs,
)
from simulator.tiny import FIRST_DAY, TINY_DAYS, write_tiny_orders

pytestmark = pytest.mark.e2e

SETTINGS = f"""\
history:
  first_day: "{FIRST_DAY}"
schedule:
  hour: 4
  timezone: Europe/Berlin
  export_poll_seconds: 2
"""

RESOURCE = """
query($selector: ResourceSelector!) {
  topLevelResourceDetailsOrError(resourceSelector: $selector) {
    ... on ResourceDetails { configuredValues { key value type } }
  }
}"""

SCHEDULE = """
query($selector: ScheduleSelector!) {
  scheduleOrError(scheduleSelector: $selector) {
    ... on Schedule { cronSchedule executionTimezone }
  }
}"""


def _selector(**names: str) -> dict[str, str]:
    return {"repositoryLocationName": "orderpulse", "repositoryName": "__repository__", **names}


@pytest.mark.skipif(postgres_bin() is None, reason="PostgreSQL is not installed")
def test_daemon_sensor_run_on_postgres_succeeds(tmp_path):
    """Bugs caught: a code location that reads ./data instead of the deployment's folders,
    a settings file the daemon never reads (partitions, schedule time, sensor interval),
    a production dagster.yaml Dagster rejects or that writes history anywhere but
    PostgreSQL (e.g. the psycopg3 scheme failing on NOTIFY), a sensor that never launches
    a run, and a run launched by the daemon that fails where the CLI's succeeds."""
    home, data, exports = tmp_path / "home", tmp_path / "data", tmp_path / "exports"
    home.mkdir()
    shutil.copyfile(PRODUCTION_INSTANCE, home / "dagster.yaml")
    (tmp_path / "settings.yaml").write_text(SETTINGS)
    env = {
        "DAGSTER_COMPUTE_LOGS_DIR": str(tmp_path / "compute_logs"),
        "DAGSTER_EVENT_BATCH_SIZE": "500",  # as deploy/systemd/orderpulse.env.example
        "ORDERPULSE_DATA_DIR": str(data),
        "ORDERPULSE_EXPORTS_DIR": str(exports),
        "ORDERPULSE_SITE_DIR": str(tmp_path / "site"),
        "ORDERPULSE_SETTINGS": str(tmp_path / "settings.yaml"),
    }
    with (
        postgres_cluster() as postgres,
        dagster_services(home, {**env, **postgres.env()}, tmp_path / "logs") as services,
    ):
        try:
            paths = services.graphql(RESOURCE, {"selector": _selector(resourceName="paths")})
            configured = paths["topLevelResourceDetailsOrError"]["configuredValues"]
            assert {v["key"]: (v["type"], v["value"]) for v in configured} == {
                "data_dir": ("ENV_VAR", "ORDERPULSE_DATA_DIR"),
                "exports_dir": ("ENV_VAR", "ORDERPULSE_EXPORTS_DIR"),
                "site_dir": ("ENV_VAR", "ORDERPULSE_SITE_DIR"),
            }
            nightly = services.graphql(
                SCHEDULE, {"selector": _selector(scheduleName="nightly_refresh")}
            )["scheduleOrError"]
            assert nightly == {"cronSchedule": "0 4 * * *", "executionTimezone": "Europe/Berlin"}

            assert start_sensor(services, "export_drop_sensor") == "RUNNING"
            write_tiny_orders(exports)  # after the sensor is on: its next tick sees them
            (run,) = wait_for_runs(services, 1, timeout=150, pipelineName="refresh")
            assert run["status"] == "SUCCESS"
        except BaseException as error:
            raise AssertionError(f"{error}\n{services.log_tails()}") from error

        run_id = run["runId"]
        assert postgres.query("select status from runs where run_id = %s", run_id) == [("SUCCESS",)]
        run_events = postgres.query(
            "select dagster_event_type, count(*) from event_logs where run_id = %s"
            " group by dagster_event_type",
            run_id,
        )
        counts = dict(run_events)
        assert counts.get("PIPELINE_SUCCESS") == 1  # RUN_SUCCESS, under its stored legacy name
        # the sensor's range run materialized every day's partition of raw/orders
        assert counts.get("ASSET_MATERIALIZATION", 0) > TINY_DAYS
        [(ticks,)] = postgres.query("select count(*) from job_ticks")
        assert ticks > 0  # sensor ticks are in the schedule storage, in PostgreSQL
    assert not list(home.rglob("*.db")), "the production instance wrote SQLite files"
    assert (data / "warehouse.duckdb").is_file() and (
        data / "reorder_recommendations.csv"
    ).is_file()
    assert (tmp_path / "site" / "index.html").is_file()
    assert any((tmp_path / "compute_logs").iterdir())
