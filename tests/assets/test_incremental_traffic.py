"""The incremental traffic assets (staging.stg_traffic_events, marts.sessions) report their
build as metadata and take `full_rebuild` as run config. The builds themselves are tested in
tests/incremental/test_visitor_build.py."""

import datetime as dt

import dagster as dg
import duckdb

from assets.marts import sessions as sessions_asset
from assets.staging import stg_traffic_events
from config.resources import RunPaths
from ingest.load import load_days
from pipelines.resources import build_resources
from tests.incremental.traffic_exports import drop


def test_the_assets_report_the_build_and_take_a_full_rebuild_config(tmp_path):
    exports = tmp_path / "exports"
    paths = RunPaths(data_dir=str(tmp_path / "data"), exports_dir=str(exports))
    paths.data.mkdir()
    drop(exports, "2024-01-01", "10:00,page_view,u1,e1")
    drop(exports, "2024-01-02", "10:00,page_view,u2,e2")
    with duckdb.connect(str(paths.warehouse)) as con:
        load_days(con, exports, "traffic", [dt.date(2024, 1, 1)])

    def materialize(run_config=None) -> dict[str, dict]:
        result = dg.materialize(
            [stg_traffic_events, sessions_asset],
            resources=build_resources(paths),
            run_config=run_config,
        )
        return {
            m.asset_key.to_user_string(): {k: getattr(v, "value", v) for k, v in m.metadata.items()}
            for m in result.asset_materializations_for_node("staging__stg_traffic_events")
            + result.asset_materializations_for_node("marts__sessions")
        }

    assert materialize()["staging/stg_traffic_events"]["build"] == "full"
    with duckdb.connect(str(paths.warehouse)) as con:
        load_days(con, exports, "traffic", [dt.date(2024, 1, 2)])
    meta = materialize()
    assert {
        k: meta["staging/stg_traffic_events"][k]
        for k in ("build", "visitors_recomputed", "visitors_appended", "rows_recomputed")
    } == {
        "build": "incremental",
        "visitors_recomputed": 1,
        "visitors_appended": 1,  # u2 is new: its events are appended
        "rows_recomputed": 1,
    }
    assert meta["staging/stg_traffic_events"]["changed_export_days"] == "2024-01-02"
    assert (meta["marts/sessions"]["build"], meta["marts/sessions"]["row_count"]) == (
        "incremental",
        2,
    )
    forced = materialize(
        {
            "ops": {
                name: {"config": {"full_rebuild": True}}
                for name in ("staging__stg_traffic_events", "marts__sessions")
            }
        }
    )
    assert [m["build_reason"] for m in forced.values()] == ["asked for a full rebuild"] * 2
