"""Auto buckets with SKUs in two buckets: the backtest and the forecast keep both groups."""

import datetime as dt

import polars as pl
import pytest

from forecasting.bucketed import bucket_demand, evaluate_by_bucket
from forecasting.forecast_batches import forecast_in_batches
from forecasting.models import ROUTES
from tests.forecasting.test_buckets import FIRST_MONTH, NO_SATURDAY, _mart, _months, _settings
from tests.forecasting.whole_forecast import forecast_by_bucket

LAST_DAY = dt.date(2023, 12, 31)
# Both classes choose HistoricAverage.
HISTORIC_AVERAGE = pl.DataFrame(
    {
        "demand_pattern": ["smooth", "intermittent (monthly)"],
        "model": ["HistoricAverage"] * 2,
        "rank": [1, 1],
    }
)


@pytest.fixture(scope="module")
def two_bucket_mart():
    """Two years of a SKU selling 1 every trading day (daily) and one selling 5 every other
    month (monthly)."""
    days = [FIRST_MONTH + dt.timedelta(days=n) for n in range((LAST_DAY - FIRST_MONTH).days + 1)]
    return _mart(
        {
            "DAILY": {d: 1.0 for d in days if d.isoweekday() in NO_SATURDAY},
            "MONTHLY": {m: 5.0 for m in _months(24)[::2]},
        },
        LAST_DAY,
    )


@pytest.fixture(scope="module")
def two_buckets(two_bucket_mart):
    """The two SKUs under auto: two groups, so the tables are put together from two parts."""
    cfg = _settings(bucket="auto", horizon=28)
    groups = bucket_demand(two_bucket_mart, cfg).series
    assert {b: sorted(s["unique_id"].unique()) for b, s in groups.items() if s.height} == {
        "day": ["DAILY"],
        "month": ["MONTHLY"],
    }
    return cfg, groups


def test_the_backtest_of_two_buckets_keeps_both_labelled(two_buckets):
    """Bugs caught: the evaluation of several buckets reduced to one of them (the first
    part returned, or the empty daily one evaluated instead), and the monthly classes
    reported without their bucket (a plain "intermittent" beside the daily SKUs' own
    classes), so the two groups' accuracy and choices mix."""
    cfg, groups = two_buckets
    evaluation = evaluate_by_bucket(groups, cfg)
    backtest = evaluation.backtest.filter(pl.col("demand_pattern").is_not_null())
    assert dict(backtest.select("sku", "demand_pattern").unique().iter_rows()) == {
        "DAILY": "smooth",
        "MONTHLY": "intermittent (monthly)",
    }
    for table in ("accuracy_summary", "sku_reliability"):
        patterns = set(evaluation.tables()[table]["demand_pattern"])
        assert "intermittent (monthly)" in patterns, table
        assert "intermittent" not in patterns, table
    # every class is chosen in each bucket, under its own label
    choice = evaluation.model_choice.filter(pl.col("used_for") == "forecast")
    assert set(choice["demand_pattern"]) == {
        label for pattern in ROUTES for label in (pattern, f"{pattern} (monthly)")
    }
    reliability = evaluation.sku_reliability
    assert sorted(reliability["sku"]) == ["DAILY", "MONTHLY"]


def test_the_forecast_of_two_buckets_keeps_both(two_buckets):
    """Bug caught: the forecast of several buckets reduced to the first one's SKUs (the one
    part shortcut taken with two parts). Both classes choose HistoricAverage: DAILY 1 a
    trading day (28 of them), MONTHLY 2.5 a month spread over January and February."""
    cfg, groups = two_buckets
    _assert_both_kept(forecast_by_bucket(groups, HISTORIC_AVERAGE, cfg, history_end=LAST_DAY))


def test_the_batched_forecast_of_two_buckets_keeps_both(two_buckets, two_bucket_mart):
    """Bug caught: the forecast step's batched path (forecasting/forecast_batches.py, what
    the asset runs) returning its first bucket's part alone when there are two parts."""
    cfg, _ = two_buckets
    batched = forecast_in_batches([two_bucket_mart], HISTORIC_AVERAGE, cfg, LAST_DAY)
    _assert_both_kept(batched.demand_forecast)


def _assert_both_kept(forecast: pl.DataFrame) -> None:
    totals = forecast.group_by("sku").agg(pl.len(), pl.col("forecast").sum()).sort("sku")
    assert [(sku, n, round(total, 9)) for sku, n, total in totals.iter_rows()] == [
        ("DAILY", 28, 28.0),
        ("MONTHLY", 60, 5.0),
    ]
    assert forecast.select("sku", "day").equals(forecast.select("sku", "day").sort("sku", "day"))
