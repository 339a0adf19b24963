"""The daily mart assets report their build by day range as metadata and take `full_rebuild`
as run config. The builds themselves are tested in tests/incremental/test_day_build.py."""

import datetime as dt

import dagster as dg
import duckdb

from assets.marts import funnel_daily
from assets.marts import sessions as sessions_asset
from assets.staging import stg_traffic_events
from config.resources import RunPaths
from ingest.load import load_days
from pipelines.resources import build_resources
from tests.incremental.traffic_exports import drop


def test_a_daily_mart_reports_its_first_recomputed_day_and_takes_a_full_rebuild_config(tmp_path):
    """Catches a daily mart asset that rebuilds in full every night without saying so, or
    ignores the run config that forces a full rebuild, or builds without its run's id (so
    the run's marts cannot share their inputs' fingerprints)."""
    exports = tmp_path / "exports"
    paths = RunPaths(data_dir=str(tmp_path / "data"), exports_dir=str(exports))
    paths.data.mkdir()
    drop(exports, "2024-01-01", "10:00,page_view,u1,e1")
    drop(exports, "2024-01-02", "10:00,page_view,u2,e2")

    def materialize(day: int, run_config=None) -> dict[str, object]:
        with duckdb.connect(str(paths.warehouse)) as con:
            load_days(con, exports, "traffic", [dt.date(2024, 1, day)])
        result = dg.materialize(
            [stg_traffic_events, sessions_asset, funnel_daily],
            resources=build_resources(paths),
            run_config=run_config,
        )
        (materialization,) = result.asset_materializations_for_node("marts__funnel_daily")
        with duckdb.connect(str(paths.warehouse), read_only=True) as con:
            kept_for = con.execute("select distinct run_id from build_state.run_input_days")
            assert kept_for.fetchall() == [(result.run_id,)]
        return {k: getattr(v, "value", v) for k, v in materialization.metadata.items()}

    assert materialize(1)["build"] == "full"
    meta = materialize(2)
    assert (meta["build"], meta["first_recomputed_day"], meta["rows_recomputed"]) == (
        "incremental",
        "2024-01-02",
        4,  # one day: two scopes, two funnel types
    )
    forced = materialize(2, {"ops": {"marts__funnel_daily": {"config": {"full_rebuild": True}}}})
    assert (forced["build"], forced["build_reason"]) == ("full", "asked for a full rebuild")
