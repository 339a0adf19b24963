"""The code location's folders and settings come from the ORDERPULSE_* variables."""

import dagster as dg

from pipelines.definitions import build_definitions
from pipelines.deployment import PATH_VARS, SETTINGS_VAR, deployment_resources


def test_unset_or_empty_variables_keep_the_defaults(monkeypatch, tmp_path):
    """Bug caught: an unset variable turned into a dg.EnvVar fails every run at resource
    initialization, so `make ui` or a test without the variables could not run at all."""
    monkeypatch.chdir(tmp_path)
    for var in PATH_VARS.values():
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv(SETTINGS_VAR, "")
    paths, settings = deployment_resources()
    assert paths.data == tmp_path / "data" and paths.exports == tmp_path / "data" / "exports"
    assert settings.get().schedule.export_poll_seconds == 60


def test_set_variables_reach_the_resources_and_the_definitions(monkeypatch, tmp_path):
    """Bug caught: the settings file named by ORDERPULSE_SETTINGS was read by the runs but
    not when the Definitions were built (partitions, schedule hour, sensor interval)."""
    (tmp_path / "settings.yaml").write_text(
        'history:\n  first_day: "2020-02-01"\nschedule:\n  hour: 5\n  export_poll_seconds: 7\n'
    )
    monkeypatch.setenv("ORDERPULSE_DATA_DIR", str(tmp_path / "shop"))
    monkeypatch.setenv("ORDERPULSE_EXPORTS_DIR", str(tmp_path / "drop"))
    monkeypatch.delenv("ORDERPULSE_SITE_DIR", raising=False)
    monkeypatch.setenv(SETTINGS_VAR, str(tmp_path / "settings.yaml"))
    defs = build_definitions(*deployment_resources())
    assert defs.resolve_sensor_def("export_drop_sensor").minimum_interval_seconds == 7
    assert defs.resolve_schedule_def("nightly_refresh").cron_schedule == "0 5 * * *"
    job = defs.resolve_job_def("refresh")
    assert job.partitions_def.get_first_partition_key() == "2020-02-01"
    assert defs.resources["duckdb"].database == str(tmp_path / "shop" / "warehouse.duckdb")
    with dg.build_resources({"paths": defs.resources["paths"]}) as resources:
        assert resources.paths.exports == tmp_path / "drop"
        assert resources.paths.site == tmp_path / "shop" / "site"
