"""Settings are validated when loaded, before any step runs: every bad value is an error
naming the file, the key path and what is allowed; partial maps keep their defaults."""

import datetime as dt
import subprocess
from pathlib import Path

import pytest

from config.resources import RunPaths, SettingsResource
from config.settings import Settings
from config.settings_errors import SettingsError
from config.settings_file import load_settings
from contract.exports import KINDS
from pipelines.resources import build_resources, checked_settings
from warehouse.connect import warehouse_config

ROOT = Path(__file__).resolve().parents[2]


def _load(tmp_path: Path, text: str) -> Settings:
    path = tmp_path / "settings.yaml"
    path.write_text(text)
    return load_settings(path)


def _error(tmp_path: Path, text: str) -> str:
    with pytest.raises(SettingsError) as caught:
        _load(tmp_path, text)
    message = str(caught.value)
    assert str(tmp_path / "settings.yaml") in message
    return message


def test_no_file_gives_documented_defaults():
    assert load_settings(None) == Settings()
    assert Settings().traffic.session_timeout_minutes == 30


def test_sections_override_only_what_they_name(tmp_path):
    settings = _load(
        tmp_path, "forecasting:\n  horizon: 14\n  levels: [90]\ninventory:\n  policy: eoq\n"
    )
    assert settings.forecasting.horizon == 14 and settings.forecasting.levels == (90,)
    # The key's old name, from before horizons were counted in buckets, still reads.
    assert _load(tmp_path, "forecasting:\n  horizon_days: 21\n").forecasting.horizon == 21
    assert settings.forecasting.season_length == 7
    assert settings.inventory.policy == "eoq"
    assert _load(tmp_path, "inventory:\n") == Settings()  # an empty section: its defaults


def test_partial_maps_merge_over_their_defaults(tmp_path):
    settings = _load(
        tmp_path,
        "inventory:\n  service_level: {A: 0.99}\nquality:\n  export_max_lag_days: {traffic: 3}\n",
    )
    assert settings.inventory.service_level == {"A": 0.99, "B": 0.95, "C": 0.90}
    lags = settings.quality.export_max_lag_days
    assert lags == {**Settings().quality.export_max_lag_days, "traffic": 3}
    assert lags["catalog"] is None


def test_the_forms_people_write_are_accepted(tmp_path):
    settings = _load(
        tmp_path,
        "inventory:\n  policy: Order_Up_To\n"
        "clv:\n  time_unit: weeks\n  calibration_end: 2011-06-30\n  holdout_end: '2011-12-09'\n"
        "forecasting:\n  trading_weekdays: [1, 2, 3]\n"
        "ingest:\n  accepted_currencies: [gbp, eur]\n",
    )
    assert settings.inventory.policy == "order-up-to"
    assert settings.clv.time_unit == "W"
    assert (settings.clv.calibration_end, settings.clv.holdout_end) == ("2011-06-30", "2011-12-09")
    assert settings.forecasting.trading_weekdays == (1, 2, 3)  # a list becomes a tuple
    assert settings.ingest.accepted_currencies == ("GBP", "EUR")
    for written, unit in (("day", "D"), ("D", "D"), ("w", "W"), ("Months", "M")):
        assert _load(tmp_path, f"clv:\n  time_unit: {written}\n").clv.time_unit == unit
    assert _load(tmp_path, "inventory:\n  policy: EOQ\n").inventory.policy == "eoq"
    # Dates given as date objects (not from YAML) are kept as ISO text too.
    assert Settings(clv={"holdout_end": dt.date(2011, 12, 9)}).clv.holdout_end == "2011-12-09"


def test_a_typod_policy_name_fails(tmp_path):
    message = _error(tmp_path, "inventory:\n  policy: order-up-too\n")
    assert "inventory.policy = 'order-up-too'" in message
    assert "one of order-up-to, eoq" in message


def test_horizon_in_words_fails(tmp_path):
    message = _error(tmp_path, "forecasting:\n  horizon: four weeks\n")
    assert "forecasting.horizon = 'four weeks'" in message
    assert "integer >= 1" in message


def test_service_level_of_one_and_a_half_fails(tmp_path):
    message = _error(tmp_path, "inventory:\n  service_level: {A: 1.5}\n")
    assert "inventory.service_level.A = 1.5" in message
    assert "number > 0 and <= 1" in message


def test_memory_limit_in_words_fails(tmp_path):
    message = _error(tmp_path, "warehouse:\n  memory_limit: lots\n")
    assert "warehouse.memory_limit = 'lots'" in message and "6GB" in message
    for size in ("6GB", "512MB", "80%", "1.5 GiB"):
        assert _load(tmp_path, f"warehouse:\n  memory_limit: {size}\n").warehouse.memory_limit


def test_an_unknown_model_name_fails_at_load(tmp_path):
    path = tmp_path / "settings.yaml"
    path.write_text("forecasting:\n  candidate_models: [SeasonalNaive, Prophet]\n")
    with pytest.raises(SettingsError) as caught:
        checked_settings(SettingsResource(settings_file=str(path)))
    message = str(caught.value)
    assert str(path) in message and "forecasting.candidate_models" in message
    assert "Prophet" in message and "CrostonClassic" in message  # the allowed names


def test_an_unknown_key_fails_and_lists_the_known_ones(tmp_path):
    message = _error(tmp_path, "forecasting:\n  horizon_dayz: 14\n")
    assert "forecasting.horizon_dayz: unknown key" in message and "horizon" in message
    message = _error(tmp_path, "inventory:\n  service_level: {D: 0.9}\n")
    assert "inventory.service_level.D: unknown key; allowed keys: A, B, C" in message


def test_every_error_is_reported_not_just_the_first(tmp_path):
    message = _error(
        tmp_path,
        "forecasting:\n  horizon: 0\n  levels: [80, 100]\n"
        "quality:\n  max_quarantine_share: 2\n  export_max_lag_days: {orders: -1}\n"
        "clv:\n  time_unit: fortnight\n  calibration_end: 2011-13-01\n",
    )
    assert "6 problems" in message
    for path in (
        "forecasting.horizon",
        "forecasting.levels[1]",
        "quality.max_quarantine_share",
        "quality.export_max_lag_days.orders",
        "clv.time_unit",
        "clv.calibration_end",
    ):
        assert path in message


def test_a_calibration_end_after_the_holdout_end_fails(tmp_path):
    message = _error(tmp_path, "clv:\n  calibration_end: 2011-12-01\n  holdout_end: 2011-06-01\n")
    assert "clv: calibration_end 2011-12-01 is after holdout_end 2011-06-01" in message


def test_a_broken_or_missing_file_is_a_settings_error(tmp_path):
    assert "not valid YAML" in _error(tmp_path, "forecasting: [unclosed\n")
    assert "expected a mapping" in _error(tmp_path, "- a list\n")
    with pytest.raises(SettingsError, match="omit --settings"):
        load_settings(tmp_path / "nope.yaml")


def test_settings_are_immutable():
    with pytest.raises(ValueError):
        Settings().forecasting.horizon = 7


def test_export_lag_keys_are_the_export_kinds():
    assert tuple(Settings().quality.export_max_lag_days) == tuple(KINDS)


def test_the_resource_reads_a_file_again_only_when_it_changes(tmp_path):
    path = tmp_path / "settings.yaml"
    path.write_text("forecasting:\n  horizon: 14\n")
    resource = SettingsResource(settings_file=str(path))
    first = resource.get()
    assert resource.get() is first and first.forecasting.horizon == 14
    path.write_text("forecasting:\n  horizon: 21\n")
    assert resource.get().forecasting.horizon == 21
    assert SettingsResource().get() == Settings()


def test_warehouse_section_configures_every_warehouse_connection(tmp_path):
    settings = tmp_path / "settings.yaml"
    spill = tmp_path / "spill"
    settings.write_text(f"warehouse:\n  memory_limit: 300MB\n  temp_directory: {spill}\n")
    resources = build_resources(
        RunPaths(data_dir=str(tmp_path)), SettingsResource(settings_file=str(settings))
    )
    with resources["duckdb"].get_connection() as con:
        limit, temp = con.execute(
            "select current_setting('memory_limit'), current_setting('temp_directory')"
        ).fetchall()[0]
    assert (limit, temp) == ("286.1 MiB", str(spill))  # 300,000,000 bytes in MiB


def test_warehouse_defaults_leave_duckdb_its_own():
    assert warehouse_config(Settings().warehouse) == {}


def test_the_cli_refuses_bad_settings_before_any_run(tmp_path):
    exports = tmp_path / "exports"
    (exports / "orders").mkdir(parents=True)
    (exports / "orders" / "2011-01-04.csv").write_text(
        "order_id,order_time,sku,quantity,unit_price\nA1,2011-01-04 10:00:00,S1,1,2.50\n"
    )
    bad = tmp_path / "bad.yaml"
    bad.write_text("inventory:\n  service_level: {A: 1.5}\n")
    data = tmp_path / "data"
    done = subprocess.run(
        [ROOT / ".venv/bin/orderpulse", "run", "--exports", exports, "--data-dir", data]
        + ["--settings", bad],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    last_lines = done.stderr.strip().splitlines()[-3:]
    assert any("inventory.service_level.A = 1.5" in line for line in last_lines), last_lines
    assert "Traceback" not in done.stderr
    assert not (data / "dagster_home").exists()  # no Dagster instance, so no run


def test_a_currency_is_checked_against_iso_4217(tmp_path):
    # Bug caught: any three letters passed, so a typo only showed as every row quarantined.
    assert _load(tmp_path, "ingest:\n  currency: brl\n").ingest.currency == "BRL"
    assert Settings().ingest.accepted_currencies is None  # any ISO 4217 code loads
    with pytest.raises(SettingsError, match="ingest.currency.*code GPB is not in ISO 4217"):
        _load(tmp_path, "ingest:\n  currency: GPB\n")
