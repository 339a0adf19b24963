"""A class may combine its best models by their median: chosen on earlier windows only,
and the backtest and the live forecast combine the same way.

Real statsforecast on hand-made series (no mocks)."""

import datetime as dt

import numpy as np
import polars as pl
import pytest

from config.settings import ForecastingSettings
from forecasting.buckets import season_steps
from forecasting.demand import classify_demand
from forecasting.evaluation import evaluate_models
from forecasting.forecast import forecast_demand
from forecasting.nested_choice import choice_options
from forecasting.selection import combination_members
from tests.forecasting.long_windows import cross_validate

MODELS = ("ADIDA", "TSB", "Naive", "SeasonalNaive", "SeasonalESOptimized")
SETTINGS = ForecastingSettings(
    candidate_models=MODELS,
    horizon=7,
    backtest_windows=5,
    backtest_min_train_days=14,
    combine_top=3,
)


def _series(values: dict[str, list[float]]) -> pl.DataFrame:
    days = pl.date_range(dt.date(2024, 1, 1), dt.date(2024, 12, 31), eager=True)
    days = days.filter(days.dt.weekday() != 6)
    return pl.concat(
        pl.DataFrame({"unique_id": sku, "ds": days.head(len(y)), "y": [float(v) for v in y]})
        for sku, y in values.items()
    )


def _weekly_with_spikes(seed: int, days: int) -> list[float]:
    """A weekday profile with now and then a lot ten times the usual size: seasonal naive
    repeats a spike a week later, which a median of three forecasts leaves out."""
    rng = np.random.default_rng(seed)
    profile = np.array([6, 4, 4, 5, 8, 3])
    base = rng.poisson(np.tile(profile, days // 6 + 1)[:days])
    spikes = (rng.random(days) < 0.06) * 50
    return list(base + spikes)


def test_the_options_are_zero_means_and_medians_of_three_or_more():
    """Catches a median of one or two models offered as an option of its own (it is their
    mean, and the tie rule would then hide which was chosen) and a missing zero option."""
    assert choice_options(4) == [
        (0, "mean"),
        (1, "mean"),
        (2, "mean"),
        (3, "mean"),
        (4, "mean"),
        (3, "median"),
        (4, "median"),
    ]


def test_a_class_that_chose_the_median_is_scored_on_the_day_by_day_median():
    """Catches a selected forecast that averages where the class chose the median: on the
    holdout every SKU's selected forecast is the sum over its days of the median of its
    class's chosen models, recomputed here from statsforecast's own forecasts."""
    series = _series({f"W{i}": _weekly_with_spikes(i, 80) for i in range(6)})
    result = evaluate_models(series, SETTINGS)
    selected = result.backtest.filter(
        (pl.col("model") == "selected") & (pl.col("window") == SETTINGS.backtest_windows)
    )
    medians = selected.filter(pl.col("chosen").str.starts_with("median("))
    assert medians.height > 0, "the spiky weekly SKUs' class should choose a median"
    daily = cross_validate(
        series, MODELS, 7, SETTINGS.backtest_windows, 14, season_steps(7, (1, 2, 3, 4, 5, 7))
    ).filter(pl.col("window") == SETTINGS.backtest_windows)
    for sku, chosen, forecast in medians.select("sku", "chosen", "forecast").iter_rows():
        members = daily.filter(
            (pl.col("unique_id") == sku) & pl.col("model").is_in(combination_members(chosen))
        )
        expected = members.group_by("step").agg(pl.col("forecast").median())["forecast"].sum()
        assert forecast == pytest.approx(expected)


def test_the_live_forecast_combines_the_way_the_class_chose():
    """Catches a live forecast that ignores how the class combines (the mean where the
    backtest chose the median): with combine = median every day's forecast is the median
    of the three models' own forecasts of that day."""
    series = _series({f"W{i}": _weekly_with_spikes(10 + i, 60) for i in range(3)})
    classes = classify_demand(series)
    patterns = ["smooth", "erratic", "intermittent", "lumpy"]
    trio = ["ADIDA", "TSB", "SeasonalNaive"]

    def choices(models: list[str], combine: str) -> pl.DataFrame:
        return pl.DataFrame(
            [
                {"demand_pattern": p, "model": m, "rank": r, "combine": combine}
                for p in patterns
                for r, m in enumerate(models, start=1)
            ]
        )

    settings = ForecastingSettings(candidate_models=MODELS)
    median = forecast_demand(series, classes, choices(trio, "median"), 7, settings)
    alone = pl.concat(
        forecast_demand(series, classes, choices([m], "mean"), 7, settings) for m in trio
    )
    expected = alone.group_by("sku", "day").agg(pl.col("forecast").median().alias("expected"))
    joined = median.join(expected, on=["sku", "day"])
    assert joined.height == median.height == 3 * 7
    assert np.allclose(joined["forecast"], joined["expected"])
    assert median["model"].unique().to_list() == ["median(ADIDA, TSB, SeasonalNaive)"]


def test_the_holdout_choice_of_a_median_does_not_depend_on_the_holdout():
    """Catches the mean-or-median decision (or the models in the median) made with the
    holdout: with the holdout's sales wiped out the holdout choice is the same median of
    the same models, while the forecast's choice, which may see the holdout, re-ranks."""
    series = _series({f"W{i}": _weekly_with_spikes(i, 80) for i in range(6)})
    holdout_days = pl.col("ds") >= series["ds"].unique().sort()[-7]
    wiped = series.with_columns(pl.when(holdout_days).then(0.0).otherwise(pl.col("y")).alias("y"))
    before = evaluate_models(series, SETTINGS).model_choice
    after = evaluate_models(wiped, SETTINGS).model_choice
    holdout = pl.col("used_for") == "holdout"
    assert before.filter(holdout).equals(after.filter(holdout))
    assert (before.filter(holdout)["combine"] == "median").any()
    live = ~holdout
    assert not before.filter(live)["model"].equals(after.filter(live)["model"])
