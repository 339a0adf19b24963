"""The keyed staging assets (staging.stg_order_lines, staging.stg_inventory) report their
build as metadata and take `full_rebuild` as run config. The builds themselves are tested
in tests/incremental/test_key_build.py."""

import datetime as dt

import dagster as dg
import duckdb

from assets.staging import stg_catalog, stg_order_lines
from config.resources import RunPaths
from ingest.load import load_days
from pipelines.resources import build_resources

HEADER = "order_id,ordered_at,sku,quantity,unit_price,order_status\n"


def test_the_order_lines_asset_reports_its_build_and_the_orders_it_replaced(tmp_path):
    """Bugs: the asset rebuilds every order on a night that touched two; its evidence of
    replaced orders reads the whole history, or nothing, after an incremental build; the
    run config cannot force a full rebuild."""
    exports = tmp_path / "exports"
    paths = RunPaths(data_dir=str(tmp_path / "data"), exports_dir=str(exports))
    paths.data.mkdir()
    (exports / "orders").mkdir(parents=True)
    (exports / "orders" / "2024-01-01.csv").write_text(
        HEADER + "A1,2024-01-01 10:00,S1,2,2.5,placed\nA2,2024-01-01 11:00,S1,1,2.5,placed\n"
    )
    (exports / "orders" / "2024-01-02.csv").write_text(
        HEADER + "A1,2024-01-01 10:00,S1,2,2.5,cancelled\nA3,2024-01-02 09:00,S1,1,2.5,placed\n"
    )

    def materialize(run_config=None) -> dict:
        result = dg.materialize(
            [stg_catalog, stg_order_lines], resources=build_resources(paths), run_config=run_config
        )
        (meta,) = [
            {k: getattr(v, "value", v) for k, v in m.metadata.items()}
            for m in result.asset_materializations_for_node("staging__stg_order_lines")
        ]
        return meta

    with duckdb.connect(str(paths.warehouse)) as con:
        load_days(con, exports, "orders", [dt.date(2024, 1, 1)])
    assert materialize()["build"] == "full"
    with duckdb.connect(str(paths.warehouse)) as con:
        load_days(con, exports, "orders", [dt.date(2024, 1, 2)])
    meta = materialize()
    assert (meta["build"], meta["keys_recomputed"], meta["rows_recomputed"]) == (
        "incremental",
        2,
        2,
    )
    assert meta["changed_export_days"] == "2024-01-02"
    replaced = meta["orders_replaced_by_a_newer_export"]
    assert "A1" in replaced and "A2" not in replaced
    forced = materialize({"ops": {"staging__stg_order_lines": {"config": {"full_rebuild": True}}}})
    assert (forced["build"], forced["build_reason"]) == ("full", "asked for a full rebuild")
