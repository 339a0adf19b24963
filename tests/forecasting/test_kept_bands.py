"""A forecast banded with kept quantiles: the same table as calibrating, without the windows.

On the hand-made mart of test_forecast_batches (daily, weekly and monthly sellers, a SKU
too new for the band windows, a stockout), with real statsforecast."""

import polars as pl
import pytest

from config.settings import ForecastingSettings
from forecasting import engine
from forecasting.forecast_batches import forecast_in_batches
from tests.forecasting.test_forecast_batches import (
    LAST_DAY,
    NO_SATURDAY,
    _batches,
    _choices,
    _mart,
)


def _no_windows(*args, **kwargs):
    raise AssertionError("the past windows were forecast although quantiles were kept")


@pytest.mark.parametrize("bucket", ["day", "auto"])
def test_kept_quantiles_give_the_calibrated_table_without_the_windows(bucket, monkeypatch):
    """Catches kept quantiles applied differently from fresh ones (another bucket's row of a
    class, the SKU's scale dropped or taken from the calibration night, bounds not clipped),
    and a reuse that still forecasts the past windows (the cost it exists to save)."""
    settings = ForecastingSettings(horizon=7, trading_weekdays=NO_SATURDAY, bucket=bucket)
    demand = _mart()
    choices = _choices(demand, settings)
    calibrated = forecast_in_batches(_batches(demand, 3), choices, settings, LAST_DAY)
    assert calibrated.band_quantiles is not None
    assert set(calibrated.band_quantiles["bucket"]) == set(calibrated.sku_bucket["bucket"])

    monkeypatch.setattr(engine, "cross_validation", _no_windows)
    kept = forecast_in_batches(
        _batches(demand, 3), choices, settings, LAST_DAY, quantiles=calibrated.band_quantiles
    )
    assert kept.band_quantiles is None
    assert kept.demand_forecast.equals(calibrated.demand_forecast)


def test_a_class_without_kept_quantiles_calibrates_again():
    """Catches a reuse that leaves a class without quantiles: its SKUs would get no bands."""
    settings = ForecastingSettings(horizon=7, trading_weekdays=NO_SATURDAY)
    demand = _mart()
    choices = _choices(demand, settings)
    calibrated = forecast_in_batches([demand], choices, settings, LAST_DAY)
    partial = calibrated.band_quantiles.filter(pl.col("demand_pattern") != "smooth")
    assert partial.height < calibrated.band_quantiles.height
    again = forecast_in_batches([demand], choices, settings, LAST_DAY, quantiles=partial)
    assert again.band_quantiles is not None
    assert again.demand_forecast.equals(calibrated.demand_forecast)
