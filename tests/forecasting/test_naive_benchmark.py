"""The naive benchmark: seasonal naive where it forecast every window, else plain Naive on
the same windows, and never a missing benchmark counted as beaten.

Real statsforecast on hand-made monthly series shorter than their yearly season."""

import datetime as dt

import polars as pl
import pytest

from config.settings import ForecastingSettings
from forecasting.buckets import bucket_plan
from forecasting.evaluation import evaluate_models
from forecasting.naive_benchmark import class_benchmarks
from forecasting.reliability import sku_reliability

MONTHLY = ForecastingSettings(
    bucket="month", horizon=3, backtest_windows=2, backtest_min_train_days=30
)


def _months(count: int) -> list[dt.date]:
    return [dt.date(2023 + m // 12, m % 12 + 1, 1) for m in range(count)]


def _monthly(values: dict[str, list[float]]) -> pl.DataFrame:
    return pl.concat(
        pl.DataFrame({"unique_id": sku, "ds": _months(len(y)), "y": [float(v) for v in y]})
        for sku, y in values.items()
    )


@pytest.fixture(scope="module")
def year_of_months():
    """13 months, shorter than the 12-month season plus a window: seasonal naive cannot run.
    GROWTH jumped from 2 to 10 units a month and grows by 2 a month since: the last month
    repeated (Naive) lags by a month, every smoothing model by more."""
    series = _monthly({"GROWTH": [2.0] * 5 + [10.0 + 2 * m for m in range(8)]})
    return evaluate_models(series, MONTHLY, plan=bucket_plan(MONTHLY, "month"))


def test_a_sku_that_loses_to_naive_has_no_reliable_forecast(year_of_months):
    """Bug: seasonal naive never ran on a year of monthly data, the missing benchmark counted
    as beaten, and every SKU read reliable while plain Naive beat the selected forecast."""
    backtest = year_of_months.backtest
    seasonal = backtest.filter(pl.col("model") == "SeasonalNaive")
    assert seasonal["reason"].is_not_null().all()  # the premise: no seasonal benchmark
    row = year_of_months.sku_reliability.row(0, named=True)
    naive = backtest.filter((pl.col("model") == "Naive") & (pl.col("sku") == "GROWTH"))
    assert row["naive_abs_error_7d"] == pytest.approx(naive["abs_error_7d"].sum())
    assert row["beats_naive"] is False and row["reliable"] is False
    assert f"naive (last month) by {row['naive_abs_error_7d']:.1f}" in row["reason"]


def test_a_class_is_compared_with_naive_where_seasonal_naive_did_not_run(year_of_months):
    """Bug: the class ratios divided by seasonal naive only, so a monthly run without a full
    season had no ratio at all and the page said "seasonal naive not scored"."""
    summary = year_of_months.accuracy_summary.filter(pl.col("demand_pattern") == "all")
    by_model = {r["model"]: r for r in summary.iter_rows(named=True)}
    selected, naive = by_model["selected"], by_model["Naive"]
    assert selected["wape_7d_vs_seasonal_naive"] is not None
    assert naive["wape_7d_vs_seasonal_naive"] == pytest.approx(1.0)


def _errors(rows: list[tuple]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=["sku", "window", "model", "abs_error_7d"], orient="row")


def test_seasonal_naive_is_preferred_and_no_benchmark_is_never_beaten():
    """Bug: a SKU without any naive benchmark had beats_naive true; a SKU with seasonal
    naive on one window only was benchmarked on a partial sum."""
    judged = pl.DataFrame(
        {
            "sku": ["A", "A", "B", "B", "C", "C"],
            "window": [1, 2] * 3,
            "actual": [10.0] * 6,
            "abs_error_7d": [3.0] * 6,
            "demand_pattern": ["smooth"] * 6,
            "model": ["ADIDA"] * 6,
        }
    )
    naive = _errors(
        [
            ("A", 1, "SeasonalNaive", 4.0),
            ("A", 2, "SeasonalNaive", 4.0),
            ("A", 1, "Naive", 1.0),
            ("A", 2, "Naive", 1.0),
            ("B", 1, "SeasonalNaive", 1.0),
            ("B", 2, "SeasonalNaive", None),
            ("B", 1, "Naive", 2.0),
            ("B", 2, "Naive", 2.0),
        ]
    )
    series = pl.DataFrame({"unique_id": ["A"], "ds": [dt.date(2024, 1, 1)], "y": [1.0]})
    result = {r["sku"]: r for r in sku_reliability(judged, naive, series, 365, "month").to_dicts()}
    assert (result["A"]["naive_abs_error_7d"], result["A"]["reliable"]) == (8.0, True)
    assert (result["B"]["naive_abs_error_7d"], result["B"]["reliable"]) == (4.0, False)
    assert "naive (last month) by 4.0" in result["B"]["reason"]
    assert result["C"]["beats_naive"] is None and result["C"]["reliable"] is True


def test_a_class_falls_back_to_naive_where_seasonal_naive_missed_a_sku():
    """Bug caught: "every SKU of the class" counted from the other models' rows instead of
    the zero forecast's (scored on all), so seasonal naive scoring 3 of the class's 5 SKUs
    matched its own count and stayed the benchmark. The class must get Naive (5 of 5)."""
    summary = pl.DataFrame(
        {
            "model": ["Zero", "SeasonalNaive", "Naive", "ADIDA"],
            "demand_pattern": ["smooth"] * 4,
            "skus": [5, 3, 5, 5],
            "wape": [1.0, 0.4, 0.6, 0.5],
            "wape_7d": [1.0, 0.3, 0.7, 0.5],
        }
    )
    assert class_benchmarks(summary).rows() == [("smooth", "Naive", 0.6, 0.7)]
