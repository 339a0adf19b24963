"""The export-day partitions come from the `history.first_day` setting, not a fixed year:
a 1997 shop runs, and a history before the setting stops before any step with the fix."""

import datetime as dt

import dagster as dg
import duckdb
import pytest

from config.partitions import HistoryRangeError, check_export_days
from config.resources import RunPaths, SettingsResource
from config.settings import HistorySettings
from pipelines.cli import main as cli_main
from pipelines.definitions import build_definitions
from pipelines.runner import instance_for
from tests.pipelines.cdnow_exports import write_cdnow_exports


def test_cdnow_1997_orders_run_with_partitions_covering_1997(tmp_path):
    """Catches a partitions start fixed after the shop's history (it was 2009-01-01, and a
    1997 export crashed the run with Dagster's partition-range invariant). Orders only, as
    the CDNOW data is: no inventory, catalog or other feed."""
    exports = write_cdnow_exports(tmp_path)
    data = tmp_path / "data"
    code = cli_main(["run", "--exports", str(exports), "--data-dir", str(data)])
    assert code == 0
    with duckdb.connect(str(data / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from raw.orders").fetchone() == (12,)
        assert con.execute("select distinct kind from quality.load_log").fetchall() == [("orders",)]
    instance = instance_for(RunPaths(data_dir=str(data)))
    materialized = instance.get_materialized_partitions(dg.AssetKey(["raw", "orders"]))
    assert {"1997-01-01", "1997-01-02", "1997-01-03"} <= materialized


def test_history_before_first_day_stops_before_any_step(tmp_path, capsys):
    """Catches a run that starts (and crashes in Dagster) on days its partitions lack,
    instead of naming the setting and the value to set."""
    exports = write_cdnow_exports(tmp_path)
    settings = tmp_path / "settings.yaml"
    settings.write_text("history:\n  first_day: 1998-01-01\n")
    data = tmp_path / "data"
    code = cli_main(
        ["run", "--exports", str(exports), "--data-dir", str(data), "--settings", str(settings)]
    )
    assert code == 2
    last_line = capsys.readouterr().err.strip().splitlines()[-1]
    assert "history.first_day" in last_line and "1997-01-01" in last_line
    assert not (data / "dagster_home").exists()  # no run was created
    assert not (data / "warehouse.duckdb").exists()


def test_export_days_in_the_future_are_refused():
    """Catches a file named for a day after today, which Dagster has no partition for."""
    history = HistorySettings()
    today = dt.datetime.now(dt.UTC).date()
    with pytest.raises(HistoryRangeError, match="cannot lie in the future"):
        check_export_days(history, dt.date(2011, 1, 1), today + dt.timedelta(days=2))
    check_export_days(history, dt.date(1990, 1, 1), today)


def test_partitions_start_on_the_setting(tmp_path):
    """Catches a partitions definition built in more than one place, or not from settings."""
    settings = tmp_path / "settings.yaml"
    settings.write_text("history: {first_day: 1995-06-01}\n")
    defs = build_definitions(
        RunPaths(data_dir=str(tmp_path)), SettingsResource(settings_file=str(settings))
    )
    graph = defs.resolve_asset_graph()
    starts = {
        graph.get(key).partitions_def.start.date()
        for key in graph.get_all_asset_keys()
        if graph.get(key).partitions_def is not None
    }
    assert starts == {dt.date(1995, 6, 1)}
    job = defs.resolve_job_def("refresh")
    assert job.partitions_def.get_first_partition_key() == "1995-06-01"
    assert defs.resolve_schedule_def("nightly_refresh").cron_schedule == "0 2 * * *"


def test_sensor_launches_nothing_for_days_before_first_day(tmp_path):
    """Catches a sensor tick launching a run Dagster cannot create (days before the
    partitions), or marking those days seen so that fixing the setting launches nothing."""
    exports = write_cdnow_exports(tmp_path)
    settings = tmp_path / "settings.yaml"
    settings.write_text("history: {first_day: 1998-01-01}\n")
    paths = RunPaths(data_dir=str(tmp_path / "data"), exports_dir=str(exports))
    defs = build_definitions(paths, SettingsResource(settings_file=str(settings)))
    sensor = defs.resolve_sensor_def("export_drop_sensor")
    with dg.build_sensor_context(resources=defs.resources) as context:
        skipped = sensor(context)
        assert context.cursor is None
    assert isinstance(skipped, dg.SkipReason)
    assert "set history.first_day to 1997-01-01" in skipped.skip_message
    settings.write_text("history: {first_day: 1997-01-01}\n")
    defs = build_definitions(paths, SettingsResource(settings_file=str(settings)))
    with dg.build_sensor_context(resources=defs.resources) as context:
        request = defs.resolve_sensor_def("export_drop_sensor")(context)
    assert request.tags["dagster/asset_partition_range_start"] == "1997-01-01"
