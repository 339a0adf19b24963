"""The backtest knows its limits: failed models are out, benchmarks are always scored, the
choice never sees the holdout, and the holdout says how often the bands held.

Real statsforecast on hand-made short and sparse series (no mocks)."""

import numpy as np
import polars as pl
import pytest

from config.settings import ForecastingSettings
from forecasting.evaluation import evaluate_models
from forecasting.selection import combination_members

# A season of 6 trading days: SeasonalWindowAverage (4 seasons) needs 24 observations.
SHORT = ForecastingSettings(
    candidate_models=("ADIDA", "TSB", "Naive", "SeasonalNaive", "SeasonalWindowAverage"),
    horizon=7,
    backtest_windows=3,
    backtest_min_train_days=10,
    combine_top=3,
)


def _days(count: int) -> pl.Series:
    days = pl.date_range(pl.date(2024, 1, 1), pl.date(2024, 12, 31), eager=True)
    return days.filter(days.dt.weekday() != 6).head(count)


def _series(values: dict[str, list[float]]) -> pl.DataFrame:
    return pl.concat(
        pl.DataFrame({"unique_id": sku, "ds": _days(len(y)), "y": [float(v) for v in y]})
        for sku, y in values.items()
    )


def _sparse(seed: int, days: int) -> list[float]:
    """Lumpy demand: a sale of 5-40 units on about one day in four."""
    rng = np.random.default_rng(seed)
    return list((rng.random(days) < 0.25) * rng.integers(5, 40, days))


def test_a_model_that_cannot_forecast_a_short_series_is_never_chosen_nor_averaged():
    """Catches NaN forecasts filled with 0: SeasonalWindowAverage cannot forecast 10-23
    observations, scored as a zero forecast it had WAPE 1.0 and ranked first among models
    above 1, then was averaged into the class mean as a zero."""
    series = _series({f"S{i}": _sparse(i, 31) for i in range(6)})
    result = evaluate_models(series, SHORT)
    failed = result.backtest.filter(pl.col("model") == "SeasonalWindowAverage")
    assert failed.height == 6 * 3
    assert failed["forecast"].null_count() == failed.height
    assert failed["reason"].str.starts_with("excluded for this SKU: no forecast on 7 of 7").all()
    assert "SeasonalWindowAverage" not in result.model_choice["model"].to_list()
    summary = result.accuracy_summary
    assert "SeasonalWindowAverage" not in summary["model"].to_list()
    assert "SeasonalWindowAverage" not in (
        summary["chosen"].drop_nulls().str.join(",").item(0) or ""
    )


def test_a_model_that_failed_on_one_sku_is_left_out_of_that_skus_mean():
    """Catches a mean (or median) that counts a failed model: the short SKU's selected
    forecast combines only the chosen models that could forecast it, even where the class
    chose the model that failed on it (here two remain: their median is their mean)."""
    long = {f"L{i}": _sparse(10 + i, 60) for i in range(4)}
    series = _series({**long, "SHORT": _sparse(99, 31)})
    result = evaluate_models(series, SHORT)
    holdout = result.backtest.filter((pl.col("sku") == "SHORT") & (pl.col("window") == 3))
    chosen = holdout.filter(pl.col("model") == "selected")["chosen"].item()
    assert "SeasonalWindowAverage" in combination_members(chosen)
    ran = holdout.filter(
        pl.col("model").is_in(combination_members(chosen)) & pl.col("reason").is_null()
    )
    assert 1 <= ran.height <= 2
    selected = holdout.filter(pl.col("model") == "selected")["forecast"].item()
    assert selected == pytest.approx(ran["forecast"].mean())


def test_a_class_whose_models_lose_to_zero_forecasts_zero_and_every_sku_says_why():
    """Catches a selected forecast worse than forecasting nothing, shown as if all were well:
    SKUs that sold big lots early and then a unit a window get the zero forecast, each
    marked not reliable with a reason in words."""
    fading = {}
    for i in range(5):
        early = [0.0] * 40
        for day in (3 + i, 15 + i, 27 + i):
            early[day] = 60.0 + 10 * i
        later = [0.0] * 21
        for day in (1 + i % 2, 8 + i % 2, 15 + i % 2):  # one unit in each 7-day window
            later[day] = 1.0
        fading[f"F{i}"] = early + later
    rng = np.random.default_rng(3)
    steady = {f"P{i}": list(rng.poisson(8, 61)) for i in range(3)}
    result = evaluate_models(_series({**fading, **steady}), SHORT)
    reliability = result.sku_reliability
    lost = reliability.filter(pl.col("sku").str.starts_with("F"))
    assert not lost["reliable"].any()
    assert lost["reason"].str.contains(r"^\d+ days? with sales in the last 90 days; ").all()
    # steady sellers beat both benchmarks (seasonal naive may win a SKU's few weeks by luck)
    assert reliability.filter(pl.col("sku").str.starts_with("P"))["reliable"].mean() >= 2 / 3
    choice = result.model_choice.filter(pl.col("used_for") == "holdout")
    patterns = result.backtest.filter(pl.col("sku").str.starts_with("F"))["demand_pattern"]
    fading_class = choice.filter(pl.col("demand_pattern") == patterns[0])
    assert fading_class.rows(named=True)[0]["model"] == "Zero"
    assert fading_class["combined"].to_list() == [0]
    summary = result.accuracy_summary.filter(pl.col("demand_pattern") == patterns[0])
    wape_7d = dict(summary.select("model", "wape_7d").iter_rows())
    assert wape_7d["selected"] <= wape_7d["Zero"] == 1.0


def test_the_holdout_choice_does_not_depend_on_the_holdout():
    """Catches a choice (how many models, which) made with the holdout: changing only the
    holdout's actuals leaves the holdout choice as it was, while the forecast's may move."""
    series = _series({f"S{i}": _sparse(20 + i, 60) for i in range(6)})
    last_window = pl.col("ds") > _days(60)[-8]
    altered = series.with_columns(
        pl.when(last_window).then(pl.col("y") * 7 + 3).otherwise(pl.col("y")).alias("y")
    )
    before = evaluate_models(series, SHORT).model_choice
    after = evaluate_models(altered, SHORT).model_choice
    holdout = pl.col("used_for") == "holdout"
    assert before.filter(holdout).equals(after.filter(holdout))
    assert set(before["used_for"]) == {"holdout", "forecast"}


def test_the_holdout_reports_how_often_the_bands_held():
    """Catches missing or impossible interval coverage: every class's selected row carries
    the share of holdout days inside its 80 % and 95 % bands, the 95 % one at least as high."""
    rng = np.random.default_rng(5)
    series = _series({f"P{i}": list(rng.poisson(6, 60)) for i in range(4)})
    summary = evaluate_models(series, SHORT).accuracy_summary
    selected = summary.filter(pl.col("model") == "selected")
    assert selected["coverage_80"].null_count() == 0
    assert ((selected["coverage_80"] >= 0) & (selected["coverage_95"] <= 1)).all()
    assert (selected["coverage_95"] >= selected["coverage_80"]).all()
    overall = selected.filter(pl.col("demand_pattern") == "all").row(0, named=True)
    assert overall["coverage_95"] > 0.5  # Poisson days inside a band from their own errors
