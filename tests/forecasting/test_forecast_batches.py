"""The demand forecast a batch of SKUs at a time gives the table of one batch, to the bit.

Real statsforecast on a hand-made demand mart of a shop closed on Saturdays: daily, weekly
and monthly sellers, a SKU too new for the band windows and one whose last days were
stockouts (so every series of its bucket is forecast further ahead)."""

import datetime as dt

import numpy as np
import polars as pl
import pytest

from config.settings import ForecastingSettings
from forecasting.bucket_series import window_trading_days
from forecasting.bucketed import NO_ERRORS, bucket_demand
from forecasting.demand import classify_demand
from forecasting.forecast_batches import forecast_in_batches
from forecasting.models import ZERO
from forecasting.selection import class_choices
from tests.forecasting.whole_forecast import forecast_by_bucket

NO_SATURDAY = (1, 2, 3, 4, 5, 7)
LAST_DAY = dt.date(2024, 6, 30)
SETTINGS = ForecastingSettings(horizon=7, trading_weekdays=NO_SATURDAY)


def _mart() -> pl.DataFrame:
    """marts.sku_demand_daily: one row per SKU and day from its first sale to the last day,
    sorted by sku, day as the asset reads it."""
    rng = np.random.default_rng(11)
    days = pl.date_range(dt.date(2023, 9, 1), LAST_DAY, eager=True)
    # sku: (chance of a sale on a day, largest sale, days of history)
    shapes = {
        "A-smooth": (0.95, 9, 304),
        "B-smooth": (0.9, 30, 304),
        "C-smooth": (0.85, 5, 200),
        "D-sparse": (0.3, 12, 304),
        "E-sparse": (0.25, 3, 304),
        "F-lumpy": (0.35, 60, 304),
        "G-new": (0.9, 4, 20),
        "H-weekly": (0.08, 6, 304),
        "I-monthly": (0.02, 8, 304),
        "J-stockout": (0.9, 7, 304),
    }
    frames = []
    for sku, (chance, most, length) in shapes.items():
        own = days.tail(length)
        units = (rng.random(length) < chance) * rng.integers(1, most + 1, length)
        units[0] = max(units[0], 1)  # the mart starts a SKU at its first sale
        units[-5] = max(units[-5], 1)  # a recent sale: every SKU is still forecast
        frames.append(
            pl.DataFrame(
                {
                    "sku": sku,
                    "day": own,
                    "is_trading_day": own.dt.weekday() != 6,
                    "is_partial_day": False,
                    "demand_units": units.astype(float),
                    "is_stockout": (sku == "J-stockout") & (own > LAST_DAY - dt.timedelta(days=3)),
                }
            )
        )
    return pl.concat(frames).sort("sku", "day")


def _choices(demand: pl.DataFrame, settings: ForecastingSettings) -> pl.DataFrame:
    """The prior choice of each class, the intermittent class by the median of its models
    and the lumpy class forecasting zero beside its best model."""
    classes = classify_demand(bucket_demand(demand, settings).series["day"])
    prior = class_choices(NO_ERRORS, classes, settings.candidate_models, settings.combine_top)
    choices = prior.with_columns(
        pl.when(pl.col("demand_pattern") == "intermittent")
        .then(pl.lit("median"))
        .otherwise(pl.lit("mean"))
        .alias("combine")
    )
    lumpy_zero = pl.DataFrame(
        {"demand_pattern": ["lumpy"], "model": [ZERO], "rank": [99], "combine": ["mean"]}
    )
    return pl.concat([choices.drop("wape_7d"), lumpy_zero], how="diagonal_relaxed")


def _batches(demand: pl.DataFrame, skus_per_batch: int) -> list[pl.DataFrame]:
    skus = demand["sku"].unique().sort()
    return [
        demand.filter(pl.col("sku").is_in(skus.slice(first, skus_per_batch).implode()))
        for first in range(0, skus.len(), skus_per_batch)
    ]


@pytest.mark.parametrize("bucket", ["day", "auto"])
def test_every_batch_size_gives_the_table_of_the_whole_catalog(bucket):
    """Catches a batched forecast that differs from the whole catalog's: a class's band
    quantiles pooled over one batch's SKUs only, a batch forecast only as far as its own
    series need (the stockout SKU makes every daily series run further ahead), the last
    day read off a batch, or rows lost or sorted differently where batches meet. Batches
    of 1, 2, 3 and 4 SKUs, one SKU per batch included, and a class split across batches."""
    settings = ForecastingSettings(horizon=7, trading_weekdays=NO_SATURDAY, bucket=bucket)
    demand = _mart()
    choices = _choices(demand, settings)
    bucketed = bucket_demand(demand, settings)
    whole = forecast_by_bucket(bucketed.series, choices, settings, history_end=LAST_DAY)
    classes = whole.select("sku", "demand_pattern").unique().sort("sku")
    first_of_pair = classes.with_row_index().filter(pl.col("index") % 2 == 0)
    split = classes.join(first_of_pair.select("sku"), on="sku", how="anti")
    # the case this test is about: a class with SKUs on both sides of a batch boundary
    assert set(split["demand_pattern"]) & set(first_of_pair["demand_pattern"])
    if bucket == "day":
        assert whole["model"].str.starts_with("median").any()
    else:
        assert set(bucketed.buckets["bucket"]) == {"day", "week", "month"}
    assert whole.filter(pl.col("sku") == "G-new")["model"].unique().to_list() == ["HistoricAverage"]
    for skus_per_batch in (1, 2, 3, 4, 100):
        batched = forecast_in_batches(_batches(demand, skus_per_batch), choices, settings, LAST_DAY)
        assert batched.demand_forecast.equals(whole), skus_per_batch
        assert batched.sku_bucket.equals(bucketed.buckets), skus_per_batch


def test_series_kept_on_disk_between_the_passes_give_the_same_table(tmp_path):
    """Catches a spill that loses or mixes up a batch's series: the Parquet files written
    between the passes are read back in place of the frames kept in memory."""
    demand = _mart()
    choices = _choices(demand, SETTINGS)
    in_memory = forecast_in_batches(_batches(demand, 3), choices, SETTINGS, LAST_DAY)
    on_disk = forecast_in_batches(_batches(demand, 3), choices, SETTINGS, LAST_DAY, spill=tmp_path)
    assert len(list(tmp_path.glob("*.parquet"))) == 4
    assert on_disk.demand_forecast.equals(in_memory.demand_forecast)


def test_series_from_the_window_start_use_the_shop_calendar_not_the_batch_one():
    """Catches zero-filling a batch's series on the trading days its own rows hold: a batch
    of SKUs that began selling late would miss the earlier days of the window."""
    settings = ForecastingSettings(
        horizon=7, trading_weekdays=NO_SATURDAY, series_start="history_start", history_days=120
    )
    demand = _mart()
    choices = _choices(demand, settings)
    whole = forecast_by_bucket(
        bucket_demand(demand, settings).series, choices, settings, history_end=LAST_DAY
    )
    calendar = window_trading_days(demand, settings.history_days)
    batched = forecast_in_batches(_batches(demand, 1), choices, settings, LAST_DAY, calendar)
    assert batched.demand_forecast.equals(whole)


def test_a_batch_that_ends_before_the_last_day_is_refused():
    """Catches a batch whose series would be cut at its own last day: the demand mart runs
    every SKU to the shop's last day, so a shorter batch means a broken read."""
    demand = _mart().filter(pl.col("day") < LAST_DAY)
    with pytest.raises(ValueError, match="not on the shop's last day"):
        forecast_in_batches([demand], _choices(_mart(), SETTINGS), SETTINGS, LAST_DAY)
