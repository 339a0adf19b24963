"""Interval bands calibrated per class on the windows before the days they band.

Real statsforecast on hand-made series whose demand process is known (no mocks)."""

import numpy as np
import polars as pl
from scipy import stats

from config.settings import ForecastingSettings
from forecasting.demand import classify_demand
from forecasting.evaluation import evaluate_models
from forecasting.forecast import forecast_demand
from forecasting.selection import SELECTED

CLOSED_SATURDAY = (1, 2, 3, 4, 5, 7)
LEVELS = (80, 95)


def _days(count: int) -> pl.Series:
    days = pl.date_range(pl.date(2024, 1, 1), pl.date(2024, 12, 31), eager=True)
    return days.filter(days.dt.weekday() != 6).head(count)


def _series(values: dict[str, np.ndarray]) -> pl.DataFrame:
    return pl.concat(
        pl.DataFrame({"unique_id": sku, "ds": _days(len(y)), "y": y.astype(float)})
        for sku, y in values.items()
    )


def test_the_holdout_bands_are_calibrated_without_the_holdout():
    """Catches bands calibrated on the holdout itself (or on windows that include it): calm
    Poisson demand until the holdout, then 40 units more every day of it. Bands built from
    the calm windows cannot hold the jump; bands that had seen the holdout's errors would
    cover many of its days (all of them, calibrated on the holdout alone)."""
    rng = np.random.default_rng(7)
    days, horizon = 60, 7
    values = {}
    for i in range(12):
        demand = rng.poisson(5 + i, days)
        demand[-horizon:] += 40
        values[f"S{i:02}"] = demand
    settings = ForecastingSettings(
        candidate_models=("HistoricAverage", "ADIDA", "SeasonalNaive", "Naive"),
        horizon=horizon,
        backtest_windows=4,
        backtest_min_train_days=14,
        combine_top=2,
    )
    summary = evaluate_models(_series(values), settings).accuracy_summary
    selected = summary.filter(pl.col("model") == SELECTED)
    assert selected.height >= 2  # the class and "all"
    assert selected["coverage_80"].max() < 0.05
    assert selected["coverage_95"].max() < 0.05


def _exact_coverage(band: pl.DataFrame, cdf) -> pl.DataFrame:
    """The chance, under the known demand process, that a day's demand falls in its band:
    P(lo <= Y <= hi) = F(floor(hi)) - F(ceil(lo) - 1) per day, averaged per class."""
    rows = []
    for row in band.iter_rows(named=True):
        inside = {
            f"coverage_{level}": cdf(row["sku"], np.floor(row[f"hi_{level}"]))
            - cdf(row["sku"], np.ceil(row[f"lo_{level}"]) - 1)
            for level in LEVELS
        }
        rows.append({"demand_pattern": row["demand_pattern"], **inside})
    return (
        pl.DataFrame(rows)
        .group_by("demand_pattern")
        .agg(pl.col(f"coverage_{level}").mean() for level in LEVELS)
    )


def test_bands_hold_their_level_on_demand_whose_process_is_known():
    """Catches bands whose coverage is far from their level: 24 smooth SKUs selling
    Poisson(3 .. 60) a day and 24 intermittent ones selling 1 + Poisson(7) units on 30 % of
    days, forecast by their historic average. The chance that the true demand of a future
    day falls inside its 80 % (95 %) band must be near 80 % (95 %) in each class, on SKUs of
    every level. Per-SKU quantiles of each SKU's 28 errors (the bands before) held the true
    demand 50 % of days in the intermittent 95 % band and 90 % in the smooth one; an
    unscaled pooled band would be far too wide for 3 a day and too narrow for 60."""
    rng = np.random.default_rng(11)
    days, horizon = 150, 14
    smooth_means = {f"P{i:02}": 3.0 + i * 57 / 23 for i in range(24)}
    sale_chance, size_mean = 0.3, 7.0
    values = {sku: rng.poisson(mean, days) for sku, mean in smooth_means.items()}
    for i in range(24):
        sales = rng.random(days) < sale_chance
        values[f"I{i:02}"] = sales * (1 + rng.poisson(size_mean, days))
    series = _series(values)
    classes = classify_demand(series)
    assert set(classes["demand_pattern"]) == {"smooth", "intermittent"}
    choices = pl.DataFrame(
        {
            "demand_pattern": ["smooth", "intermittent"],
            "model": ["HistoricAverage"] * 2,
            "rank": [1, 1],
            "wape_7d": [None, None],
        },
        schema_overrides={"wape_7d": pl.Float64},
    )
    settings = ForecastingSettings(trading_weekdays=CLOSED_SATURDAY)
    forecast = forecast_demand(series, classes, choices, horizon, settings)

    def cdf(sku: str, units: float) -> float:
        if units < 0:
            return 0.0
        if sku in smooth_means:
            return stats.poisson.cdf(units, smooth_means[sku])
        sold = stats.poisson.cdf(units - 1, size_mean) if units >= 1 else 0.0
        return (1 - sale_chance) + sale_chance * sold

    held = {row["demand_pattern"]: row for row in _exact_coverage(forecast, cdf).to_dicts()}
    for pattern in ("smooth", "intermittent"):
        assert 0.74 <= held[pattern]["coverage_80"] <= 0.88, (pattern, held[pattern])
        assert 0.92 <= held[pattern]["coverage_95"] <= 0.985, (pattern, held[pattern])
    # scaled by level: the band of a SKU selling 60 a day is wider than one selling 3
    widths = forecast.group_by("sku").agg((pl.col("hi_80") - pl.col("lo_80")).mean())
    width = dict(widths.iter_rows())
    assert width["P23"] > 3 * width["P00"]
