"""A failing blocking check stops what is downstream: a broken inventory feed gives no
reorder list and no dashboards. Two short runs of the demo over one export folder."""

from datetime import date, timedelta

import dagster as dg
import polars as pl
import pytest

import simulator
from config.resources import RunPaths
from pipelines.runner import instance_for, run_refresh

START, END = date(2011, 11, 7), date(2011, 11, 20)
DOWNSTREAM = {
    "marts/sku_demand_daily",
    "forecasts/demand_forecast",
    "inventory/reorder_recommendations",
    "reports/site",
    "reports/analyst_copy",
}

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    root = tmp_path_factory.mktemp("blocking")
    exports = root / "exports"
    simulator.build_demo_exports(exports, seed=5, start=START, end=END)
    return RunPaths(data_dir=str(root / "data"), exports_dir=str(exports))


def _materialized(paths: RunPaths, run_id: str) -> set[str]:
    records = instance_for(paths).all_logs(
        run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION
    )
    return {r.dagster_event.asset_key.to_user_string() for r in records}


def _last_days(paths: RunPaths, n: int) -> list:
    return sorted((paths.exports / "inventory").glob("*.csv"))[-n:]


def test_negative_stock_in_the_inventory_export_stops_the_reorder_list(demo):
    for path in _last_days(demo, 3):
        snapshot = pl.read_csv(path, infer_schema=False)
        snapshot.with_columns(on_hand=pl.lit("-3")).write_csv(path)
    outcome = run_refresh(demo, START.isoformat(), END.isoformat(), progress=False)
    assert not outcome.success
    assert any("raw/inventory:quarantine_share failed" in f for f in outcome.failures), (
        outcome.failures
    )
    done = _materialized(demo, outcome.run_id)
    assert {"raw/inventory", "raw/orders", "staging/stg_order_lines", "marts/orders_daily"} <= done
    assert "staging/stg_inventory" not in done and not DOWNSTREAM & done
    assert not demo.site.exists() and not demo.reorder_csv.exists()


def test_a_stale_inventory_snapshot_stops_the_reorder_list(demo):
    # The damaged days are withdrawn: the newest snapshot is now 3 days behind the orders.
    for path in _last_days(demo, 3):
        path.unlink()
    outcome = run_refresh(demo, START.isoformat(), END.isoformat(), progress=False)
    assert any("staging/stg_inventory:inventory_not_stale failed" in f for f in outcome.failures), (
        outcome.failures
    )
    done = _materialized(demo, outcome.run_id)
    assert "staging/stg_inventory" in done and not DOWNSTREAM & done
    newest = END - timedelta(days=3)
    check = instance_for(demo).get_latest_asset_check_evaluation_record(
        dg.AssetCheckKey(dg.AssetKey(["staging", "stg_inventory"]), "inventory_not_stale")
    )
    metadata = check.event.dagster_event.event_specific_data.metadata
    assert (
        metadata["newest_snapshot"].value == newest.isoformat() and metadata["age_days"].value == 3
    )
    assert not demo.site.exists()
