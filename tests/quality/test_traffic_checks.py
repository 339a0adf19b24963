"""The checks of the per-visitor tables (staging.stg_traffic_events, marts.sessions) in
Dagster: they validate the visitors the run rebuilt, and a failing one blocks sessions.

Tiny traffic exports load through the real loader; each run materializes both assets
with their checks, as the refresh job does."""

import datetime as dt

import dagster as dg
import duckdb
import pytest

from assets.marts import sessions as sessions_asset
from assets.staging import stg_traffic_events
from config.resources import RunPaths
from ingest.load import load_days
from pipelines.resources import build_resources
from quality.check_scope import FULL_CHECKS_TAG
from quality.checks import suite_checks
from tests.incremental.traffic_exports import drop

STAGING, SESSIONS = "staging/stg_traffic_events", "marts/sessions"
CHECKS = [
    c
    for c in suite_checks()
    if {k.asset_key.to_user_string() for k in c.check_keys} & {STAGING, SESSIONS}
]


@pytest.fixture
def shop(tmp_path) -> RunPaths:
    paths = RunPaths(data_dir=str(tmp_path / "data"), exports_dir=str(tmp_path / "exports"))
    paths.data.mkdir()
    return paths


def load(paths: RunPaths, day: str, *events: str, bad_event: bool = False) -> None:
    """Drop and load one export day; `bad_event` renames its events to an unknown name in
    raw, as a reader that let a bad row through would."""
    drop(paths.exports, day, *events)
    with duckdb.connect(str(paths.warehouse)) as con:
        load_days(con, paths.exports, "traffic", [dt.date.fromisoformat(day)])
        if bad_event:
            con.execute(
                "update raw.traffic_events set event_name = 'teleport' where _export_date = ?",
                [dt.date.fromisoformat(day)],
            )


def run(paths: RunPaths, full_checks: bool = False, run_config=None) -> dict:
    """Materialize both assets and their checks; what ran and each check's verdict and rows."""
    result = dg.materialize(
        [stg_traffic_events, sessions_asset, *CHECKS],
        resources=build_resources(paths),
        tags={FULL_CHECKS_TAG: "true"} if full_checks else None,
        run_config=run_config,
        raise_on_error=False,
    )
    checks = {
        f"{e.asset_key.to_user_string()}:{e.check_name}": (e.passed, e.metadata["rows"].value)
        for e in result.get_asset_check_evaluations()
    }
    done = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    return {"materialized": done, "checks": checks}


def test_a_bad_event_fails_its_check_blocks_sessions_and_keeps_failing(shop):
    """Bugs: a bad row written by the incremental build is skipped by the check, or is
    forgotten by the next run that rebuilds other visitors, and sessions runs on it."""
    load(shop, "2024-01-01", "10:00,page_view,u1,e1", "10:05,view_item,u1,e2")
    first = run(shop)
    assert first["materialized"] == {STAGING, SESSIONS}
    assert all(passed for passed, _ in first["checks"].values())

    load(shop, "2024-01-02", "11:00,page_view,u2,e3", bad_event=True)
    monday = run(shop)
    assert monday["checks"][f"{STAGING}:expectations"] == (False, 1)  # u2's event only
    assert monday["materialized"] == {STAGING}  # sessions blocked

    load(shop, "2024-01-03", "12:00,page_view,u3,e4")
    tuesday = run(shop)
    assert tuesday["checks"][f"{STAGING}:expectations"] == (False, 2)  # u2 again, and u3
    assert tuesday["checks"][f"{STAGING}:unique_key"] == (True, 1)  # passed u2 on Monday
    assert tuesday["materialized"] == {STAGING}

    load(shop, "2024-01-02", "11:00,page_view,u2,e3")  # re-exported clean
    fixed = run(shop)
    assert all(passed for passed, _ in fixed["checks"].values())
    assert fixed["materialized"] == {STAGING, SESSIONS}


def test_a_full_rebuild_and_full_checks_validate_every_row_with_the_same_verdicts(shop):
    """Bugs: a rebuild from scratch (what a change of the model or a setting forces) is
    validated only for the visitors of the new day; incremental and full checks disagree
    on clean data."""
    load(shop, "2024-01-01", "10:00,page_view,u1,e1", "10:05,view_item,u1,e2")
    run(shop)
    load(shop, "2024-01-02", "11:00,page_view,u2,e3")
    incremental = run(shop)
    assert incremental["checks"][f"{STAGING}:expectations"] == (True, 1)
    assert incremental["checks"][f"{SESSIONS}:expectations"] == (True, 1)
    full = run(shop, full_checks=True)
    assert full["checks"][f"{STAGING}:expectations"] == (True, 3)
    assert {k: p for k, (p, _) in full["checks"].items()} == {
        k: p for k, (p, _) in incremental["checks"].items()
    }
    rebuilt = run(
        shop,
        run_config={
            "ops": {
                name: {"config": {"full_rebuild": True}}
                for name in ("staging__stg_traffic_events", "marts__sessions")
            }
        },
    )
    assert rebuilt["checks"][f"{STAGING}:expectations"] == (True, 3)
    assert rebuilt["checks"][f"{SESSIONS}:unique_key"] == (True, 2)
