"""The one Definitions loads, its asset keys are warehouse tables, and Dagster validates it."""

import json
import os
import subprocess
import sys
from pathlib import Path

import dagster as dg

from config.resources import RunPaths
from pipelines.definitions import build_definitions, defs
from pipelines.sensors import changed_days

ROOT = Path(__file__).resolve().parents[2]
LAYERS = {"raw", "staging", "marts", "forecasts", "inventory", "reports"}


def test_asset_keys_are_schema_table_and_groups_are_layers():
    graph = defs.resolve_asset_graph()
    keys = {k.to_user_string() for k in graph.get_all_asset_keys()}
    required = {
        "raw/orders",
        "raw/traffic_events",
        "raw/feedback",
        "raw/inventory",
        "raw/catalog",
        "marts/conversion_daily",
        "marts/orders_daily",
        "marts/sku_demand_daily",
        "marts/customers",
        "marts/sessions",
        "marts/funnel_daily",
        "marts/cart_abandonment_daily",
        "marts/cohort_retention",
        "marts/feedback_daily",
        "marts/customer_clv",
        "marts/clv_model",
        "marts/clv_tracking",
        "marts/clv_conditional",
        "forecasts/demand_forecast",
        "forecasts/demand_backtest",
        "forecasts/accuracy_summary",
        "inventory/reorder_recommendations",
        "inventory/reorder_changes",
        "inventory/purchase_orders",
        "inventory/purchase_order_lines",
        "inventory/overstock",
        "inventory/feedback_guard",
        "inventory/sku_customer_value",
        "reports/site",
        "reports/analyst_copy",
    }
    assert required <= keys
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        assert len(key.path) == 2 and key.path[0] in LAYERS
        assert node.group_name == key.path[0]
        assert node.description, f"{key.to_user_string()} has no description (its grain)"


def test_job_schedule_and_sensor_are_defined():
    assert defs.resolve_job_def("refresh")
    assert defs.resolve_schedule_def("nightly_refresh").cron_schedule == "0 2 * * *"
    assert defs.resolve_sensor_def("export_drop_sensor")


def test_the_analyst_copy_waits_for_every_warehouse_asset():
    """Bug caught: a warehouse asset the copy does not depend on may run after it (or not at
    all, failed) and the copy would publish that table stale or without its checks."""
    graph = defs.resolve_asset_graph()
    warehouse = {key for key in graph.get_all_asset_keys() if key.path[0] != "reports"}
    assert graph.get(dg.AssetKey(["reports", "analyst_copy"])).parent_keys == warehouse


def test_every_warehouse_step_is_in_the_duckdb_pool():
    job = defs.resolve_job_def("refresh")
    pools = {node.name: node.definition.pool for node in job.graph.nodes}
    assert set(pools.values()) == {"duckdb"}, pools


def test_dagster_definitions_validate(tmp_path):
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path)}
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "dagster"),
            "definitions",
            "validate",
            "-m",
            "pipelines.definitions",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_sensor_launches_changed_days_once(tmp_path):
    exports = tmp_path / "exports"
    (exports / "orders").mkdir(parents=True)
    (exports / "orders" / "2011-03-04.csv").write_text("order_id\n1\n")
    sensor_defs = build_definitions(RunPaths(data_dir=str(tmp_path), exports_dir=str(exports)))
    sensor = sensor_defs.resolve_sensor_def("export_drop_sensor")
    with dg.build_sensor_context(resources=sensor_defs.resources) as context:
        first = sensor(context)
        cursor = context.cursor
    assert isinstance(first, dg.RunRequest)
    assert first.tags["dagster/asset_partition_range_start"] == "2011-03-04"
    # the same file dropped again (same content, new mtime) changes nothing
    (exports / "orders" / "2011-03-04.csv").write_text("order_id\n1\n")
    with dg.build_sensor_context(cursor=cursor, resources=sensor_defs.resources) as context:
        again = sensor(context)
    assert isinstance(again, dg.SkipReason)
    # a late file for an old day and a changed file: one run over their range
    (exports / "orders" / "2011-03-01.csv").write_text("order_id\n2\n")
    with dg.build_sensor_context(cursor=cursor, resources=sensor_defs.resources) as context:
        late = sensor(context)
    assert late.tags["dagster/asset_partition_range_start"] == "2011-03-01"
    assert late.tags["dagster/asset_partition_range_end"] == "2011-03-01"


def test_changed_days_sees_added_changed_and_removed_files():
    before = {
        "orders/2011-03-01.csv": "a",
        "orders/2011-03-02.csv": "b",
        "traffic/2011-03-03.parquet": "c",
    }
    after = {
        "orders/2011-03-01.csv": "a",
        "orders/2011-03-02.csv": "B",
        "orders/2011-03-05.csv": "d",
    }
    assert changed_days(before, after) == ["2011-03-02", "2011-03-03", "2011-03-05"]
    assert json.dumps(changed_days(after, after)) == "[]"


def test_changed_days_of_a_multi_day_file_are_the_days_it_holds():
    # Bug caught: the sensor took "history" from orders/history.csv for a day.
    after = {"orders/history.csv": "h1", "orders/2011-03-09.csv": "x"}
    held = {"orders/history.csv": ["2011-03-01", "2011-03-02"]}
    assert changed_days({"orders/2011-03-09.csv": "x"}, after, held) == ["2011-03-01", "2011-03-02"]
