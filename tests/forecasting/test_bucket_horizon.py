"""forecasting.horizon per bucket: unset, it covers the same span in every bucket; set, it
is kept as given; a day count given under monthly buckets is refused with its fix."""

from __future__ import annotations

import pytest

from config.settings import ForecastingSettings, Settings
from config.settings_errors import SettingsError
from config.settings_file import load_settings
from forecasting.buckets import bucket_plan

SIX_DAY_SHOP = (1, 2, 3, 4, 5, 7)


def _horizon(bucket: str, **fields) -> int:
    cfg = ForecastingSettings(bucket=bucket, trading_weekdays=SIX_DAY_SHOP, **fields)
    return bucket_plan(cfg, "day" if bucket == "auto" else bucket).horizon


def test_an_unset_horizon_covers_the_same_span_in_every_bucket():
    """Bug caught: switching forecasting.bucket to month without setting the horizon made
    the default 28 mean 28 months (and 28 weeks under week), each also a backtest window."""
    assert ForecastingSettings().horizon is None
    assert [_horizon(b) for b in ("day", "week", "month", "auto")] == [28, 5, 2, 28]
    # auto converts its trading days the same way, so both agree per bucket
    auto = ForecastingSettings(bucket="auto", trading_weekdays=SIX_DAY_SHOP)
    assert [bucket_plan(auto, b).horizon for b in ("week", "month")] == [5, 2]


def test_an_explicit_horizon_is_kept_as_given():
    """Bug caught: a horizon set in the settings replaced by the converted default."""
    assert [_horizon(b, horizon=3) for b in ("day", "week", "month")] == [3, 3, 3]
    assert Settings.model_validate({"forecasting": {"horizon_days": 21}}).forecasting.horizon == 21


def test_a_day_count_under_monthly_buckets_is_refused(tmp_path):
    """Bug caught: `bucket: month` with `horizon: 28` left from a daily setup forecast 28
    months ahead with 28-month backtest windows, silently; the error names the fix."""
    path = tmp_path / "settings.yaml"
    path.write_text("forecasting:\n  bucket: month\n  horizon: 28\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="counts months under bucket month") as error:
        load_settings(path)
    assert "leave it unset" in str(error.value) and "forecasting" in str(error.value)
    assert ForecastingSettings(bucket="month", horizon=24).horizon == 24
    assert ForecastingSettings(bucket="week", horizon=28).horizon == 28
