import pytest

from config.settings import Settings, load_settings


def test_no_file_gives_documented_defaults():
    assert load_settings(None) == Settings()
    assert Settings().traffic.session_timeout_minutes == 30


def test_sections_override_only_what_they_name(tmp_path):
    path = tmp_path / "settings.yaml"
    path.write_text("forecasting:\n  horizon_days: 14\n  levels: [90]\ninventory:\n  policy: eoq\n")
    settings = load_settings(path)
    assert settings.forecasting.horizon_days == 14 and settings.forecasting.levels == (90,)
    assert settings.forecasting.season_length == 7
    assert settings.inventory.policy == "eoq"


def test_a_typo_is_an_error_naming_the_key(tmp_path):
    path = tmp_path / "settings.yaml"
    path.write_text("forecasting:\n  horizon_dayz: 14\n")
    with pytest.raises(ValueError, match="horizon_dayz"):
        load_settings(path)


def test_missing_file_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="omit --settings"):
        load_settings(tmp_path / "nope.yaml")


def test_warehouse_section_configures_every_warehouse_connection(tmp_path):
    from config.resources import RunPaths
    from pipelines.resources import build_resources

    settings = tmp_path / "settings.yaml"
    spill = tmp_path / "spill"
    settings.write_text(f"warehouse:\n  memory_limit: 300MB\n  temp_directory: {spill}\n")
    paths = RunPaths(data_dir=str(tmp_path), settings_file=str(settings))
    with build_resources(paths)["duckdb"].get_connection() as con:
        limit, temp = con.execute(
            "select current_setting('memory_limit'), current_setting('temp_directory')"
        ).fetchall()[0]
    assert (limit, temp) == ("286.1 MiB", str(spill))  # 300,000,000 bytes in MiB


def test_warehouse_defaults_leave_duckdb_its_own(tmp_path):
    from warehouse.connect import warehouse_config

    assert warehouse_config(Settings().warehouse) == {}
