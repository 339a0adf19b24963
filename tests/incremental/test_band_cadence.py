"""When the forecast reuses its kept band quantiles, and when it calibrates again."""

import datetime as dt

import duckdb
import polars as pl
import pytest

from config.settings import ForecastingSettings
from incremental.band_cadence import calibration_key, keep_quantiles, kept_quantiles

DAY = dt.date(2024, 6, 30)
QUANTILES = pl.DataFrame(
    {"bucket": ["day"], "demand_pattern": ["smooth"], "q_lo_80": [-0.5], "q_hi_80": [0.7]}
)


@pytest.fixture
def con():
    con = duckdb.connect()
    con.execute("create schema forecasts")
    con.execute(
        "create table forecasts.model_choice as "
        "select 'smooth' as demand_pattern, 'ADIDA' as model, 1 as rank, 0.41 as wape_7d"
    )
    return con


def test_reused_within_the_cadence_and_on_the_same_day(con):
    cfg = ForecastingSettings()
    key = calibration_key(con, cfg)
    keep_quantiles(con, QUANTILES, key, DAY)
    for later in (0, 1, cfg.backtest_every_days):
        kept = kept_quantiles(con, key, DAY + dt.timedelta(days=later), cfg.backtest_every_days)
        assert kept is not None
        assert kept.through == DAY
        assert kept.quantiles.equals(QUANTILES)


@pytest.mark.parametrize("days", [-1, 8])
def test_calibrates_when_the_history_moved_past_the_cadence_or_back(con, days):
    """Catches an age test off by one day, or one that reuses quantiles calibrated on a
    longer history than tonight's (older days re-exported away)."""
    cfg = ForecastingSettings(backtest_every_days=7)
    key = calibration_key(con, cfg)
    keep_quantiles(con, QUANTILES, key, DAY)
    assert kept_quantiles(con, key, DAY + dt.timedelta(days=days), 7) is None


def test_a_new_backtest_or_setting_calibrates(con):
    """Catches a key blind to the backtest's scores (the same models chosen again on a
    week's new history would keep a stale calibration) or to the settings (new levels
    would find no quantiles of theirs)."""
    cfg = ForecastingSettings()
    key = calibration_key(con, cfg)
    keep_quantiles(con, QUANTILES, key, DAY)
    con.execute("update forecasts.model_choice set wape_7d = 0.42")
    assert calibration_key(con, cfg) != key
    assert kept_quantiles(con, calibration_key(con, cfg), DAY, 7) is None
    con.execute("update forecasts.model_choice set wape_7d = 0.41")
    assert calibration_key(con, cfg) == key
    assert calibration_key(con, ForecastingSettings(levels=[90])) != key


def test_nothing_kept_or_cadence_off_calibrates(con):
    key = calibration_key(con, ForecastingSettings())
    assert kept_quantiles(con, key, DAY, 7) is None  # nothing kept yet
    keep_quantiles(con, QUANTILES, key, DAY)
    assert kept_quantiles(con, key, DAY, 0) is None  # backtest_every_days 0: every run
