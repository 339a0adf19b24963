"""All 305 real Online Retail day files dropped into an export folder load through the
sensor and the partitioned job, and the staging tables reproduce the published UCI facts."""

import shutil

import dagster as dg
import duckdb

from config.resources import RunPaths
from pipelines.definitions import build_definitions

SELECTION = [
    dg.AssetKey(["raw", "orders"]),
    dg.AssetKey(["staging", "stg_catalog"]),
    dg.AssetKey(["staging", "stg_order_lines"]),
]


def test_real_drop_folder_through_the_sensor(tmp_path, online_retail_by_day):
    exports = tmp_path / "exports"
    shutil.copytree(online_retail_by_day, exports / "orders")
    (exports / "exports.yaml").write_text("orders: {format: online-retail}\n")
    paths = RunPaths(data_dir=str(tmp_path / "data"), exports_dir=str(exports))
    defs = build_definitions(paths)
    sensor = defs.resolve_sensor_def("export_drop_sensor")
    with dg.build_sensor_context(resources=defs.resources) as context:
        request = sensor(context)
    assert request.tags["dagster/asset_partition_range_start"] == "2010-12-01"
    assert request.tags["dagster/asset_partition_range_end"] == "2011-12-09"

    paths.data.mkdir(parents=True)
    with dg.DagsterInstance.ephemeral() as instance:
        result = defs.resolve_job_def("refresh").execute_in_process(
            instance=instance, tags=request.tags, asset_selection=SELECTION
        )
    assert result.success

    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        read, loaded, quarantined, files = con.execute(
            "select sum(rows_read), sum(rows_loaded), sum(rows_quarantined), count(*) from quality.load_log"
        ).fetchall()[0]
        assert (files, read) == (305, 541_909)
        assert read == loaded + quarantined
        facts = con.execute("""
            select count(*), count(distinct order_id), count(distinct sku),
                   count(distinct customer_key), count(*) filter (where customer_key is null),
                   count(*) filter (where order_id like 'C%'), count(distinct country),
                   round(sum(quantity * unit_price), 2)
            from staging.stg_order_lines
        """).fetchall()[0]
    # the published UCI facts (../shared/data/README.md)
    assert facts == (541_909, 25_900, 4_070, 4_372, 135_080, 9_288, 38, 9_747_747.93)
