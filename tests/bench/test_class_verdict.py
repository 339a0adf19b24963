"""The per-class verdict of bench/forecast_accuracy.py on a real backtest of hand-made series."""

import re

import numpy as np
import polars as pl
import pytest

from bench.class_verdict import class_verdicts
from config.settings import ForecastingSettings
from forecasting.evaluation import evaluate_models
from forecasting.selection import SELECTED


def _series(skus: int, days: int, seed: int) -> pl.DataFrame:
    """Lumpy demand: a sale of 5-40 units on about one day in four."""
    rng = np.random.default_rng(seed)
    dates = pl.date_range(pl.date(2024, 1, 1), pl.date(2024, 12, 31), eager=True).head(days)
    return pl.concat(
        pl.DataFrame(
            {
                "unique_id": f"S{i:02}",
                "ds": dates,
                "y": ((rng.random(days) < 0.25) * rng.integers(5, 40, days)).astype(float),
            }
        )
        for i in range(skus)
    )


@pytest.fixture(scope="module")
def verdict():
    series = _series(10, 70, 5)
    settings = ForecastingSettings(
        candidate_models=("ADIDA", "TSB", "HistoricAverage", "SeasonalNaive", "Naive"),
        horizon=7,
        backtest_windows=4,
        backtest_min_train_days=14,
        combine_top=2,
        trading_weekdays=(1, 2, 3, 4, 5, 6, 7),
    )
    evaluation = evaluate_models(series, settings)
    lines = class_verdicts(
        evaluation.accuracy_summary,
        evaluation.backtest,
        evaluation.model_choice,
        series,
        planning="7-day sums",
    )
    return evaluation.accuracy_summary, lines


def test_each_condition_is_ruled_on_the_planning_sums_it_names(verdict):
    """Bug: a verdict that says "holds" where the selected forecast's planning-sum WAPE is
    above the rival's (or rules on the daily WAPE instead): every ruled line must agree
    with the holdout figures of accuracy_summary."""
    summary, lines = verdict
    ruled = [line for line in lines if "on 7-day sums" in line and " vs " in line]
    assert len(ruled) >= 3
    for line in ruled:
        pattern = _class_of(line, lines)
        rows = summary.filter(pl.col("demand_pattern") == pattern)
        rival = re.search(r"vs [a-z ]+ \((\w+) ", line).group(1)
        selected = rows.filter(pl.col("model") == SELECTED)["wape_7d"].item()
        other = rows.filter(pl.col("model") == rival)["wape_7d"].item()
        assert ("DOES NOT HOLD" not in line) == (selected <= other), line
        if "DOES NOT HOLD" in line:
            assert "development windows" in line or "no development" in line, line


def test_a_daily_loss_to_zero_is_shown_and_explained(verdict):
    """Bug: the daily WAPE hidden behind the planning-sum verdict: every comparison with
    zero says how the selected forecast fares day by day, and a daily loss on a class
    that sells on under half its days says so."""
    _, lines = verdict
    zero = [line for line in lines if "vs zero" in line]
    assert zero
    for line in zero:
        assert "daily it beats it" in line or "daily it loses to it" in line
        if "daily it loses to it" in line and "holds" in line:
            assert "of the class's holdout days sold" in line


def _class_of(line: str, lines: list[str]) -> str:
    """The class heading above a verdict line."""
    heading = next(
        candidate
        for candidate in reversed(lines[: lines.index(line)])
        if candidate.startswith("  ") and not candidate.startswith("    ")
    )
    return heading.strip().split(" (")[0]
