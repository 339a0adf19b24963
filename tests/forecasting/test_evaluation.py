"""The whole backtest on small seeded series: tables, holdout honesty, and too-short histories."""

import numpy as np
import polars as pl
import pytest

from config.settings import ForecastingSettings
from forecasting.buckets import season_steps
from forecasting.evaluation import evaluate_models
from forecasting.metrics import ERROR_SCHEMA, window_errors
from tests.forecasting.long_windows import cross_validate

CANDIDATES = ["ADIDA", "TSB", "Naive", "SeasonalNaive", "SeasonalESOptimized"]
# 3 windows of 14 trading days, 28 before the first; a season of 6 trading days (the
# default calendar has no Saturdays), each class averaging its best 2.
SMALL_VALUES = {
    "candidate_models": tuple(CANDIDATES),
    "horizon": 14,
    "backtest_windows": 3,
    "backtest_min_train_days": 28,
    "combine_top": 2,
}
SMALL = ForecastingSettings(**SMALL_VALUES)


def _series(days: int) -> pl.DataFrame:
    rng = np.random.default_rng(11)
    dates = pl.date_range(pl.date(2024, 1, 1), pl.date(2024, 12, 31), eager=True)
    dates = dates.filter(dates.dt.weekday() != 6).head(days)
    return pl.concat(
        pl.DataFrame(
            {"unique_id": sku, "ds": dates, "y": rng.poisson(rate, len(dates)).astype(float)}
        )
        for sku, rate in (("FAST", 8.0), ("SLOW", 0.2), ("MID", 1.5))
    )


@pytest.fixture(scope="module")
def evaluation():
    # 3 windows of 14 after 28 training days; MID starts late and has the last 2 windows only
    series = _series(70).filter(
        (pl.col("unique_id") != "MID") | (pl.col("ds") >= pl.date(2024, 1, 17))
    )
    return evaluate_models(series, SMALL)


def test_backtest_rows_per_sku_model_and_window(evaluation):
    backtest = evaluation.backtest
    assert set(ERROR_SCHEMA) | {"demand_pattern", "chosen"} == set(backtest.columns)
    assert backtest["reason"].null_count() == backtest.height  # every model ran
    windows = (
        backtest.filter(pl.col("model") == "ADIDA").group_by("sku").agg(pl.col("window").sort())
    )
    assert dict(windows.iter_rows()) == {"FAST": [1, 2, 3], "SLOW": [1, 2, 3], "MID": [2, 3]}
    # `selected` is judged on the holdout only, never on the windows it was chosen on
    assert backtest.filter(pl.col("model") == "selected")["window"].unique().to_list() == [3]
    assert backtest.filter(pl.col("model") == "selected")["chosen"].null_count() == 0
    assert (backtest["days"] == 14).all()


def test_summary_has_every_model_per_class_and_all(evaluation):
    """Bugs caught: a model or class missing from the summary, a ratio to the benchmark
    multiplied instead of divided (the benchmark's own ratio must be 1)."""
    summary = evaluation.accuracy_summary
    overall = summary.filter(pl.col("demand_pattern") == "all")
    assert sorted(overall["model"]) == sorted([*CANDIDATES, "Zero", "selected"])
    assert overall.filter(pl.col("model") == "Zero")["wape"].to_list() == [1.0]
    assert (overall["skus"] == 3).all()
    assert overall["holdout_first_day"].n_unique() == 1
    naive = overall.filter(pl.col("model") == "SeasonalNaive").row(0, named=True)
    assert naive["wape_vs_seasonal_naive"] == pytest.approx(1.0)
    # the 7-day ratio divides by the benchmark's 7-day WAPE too (1 for the benchmark itself)
    assert naive["wape_7d_vs_seasonal_naive"] == pytest.approx(1.0)
    zero = overall.filter(pl.col("model") == "Zero").row(0, named=True)
    assert zero["wape_7d_vs_seasonal_naive"] == pytest.approx(zero["wape_7d"] / naive["wape_7d"])
    classes = set(summary["demand_pattern"]) - {"all"}
    assert classes and classes <= {"smooth", "erratic", "intermittent", "lumpy"}


def test_each_skus_reliability_judges_the_live_forecasts_mix(evaluation):
    """Bug caught: the live forecast's reliability scored with the holdout choice's mix
    (for FAST's class mean(TSB, ADIDA), chosen without the holdout) instead of the mix the
    live forecast uses (mean(TSB, SeasonalESOptimized)): its 7-day errors over the three
    windows would be 49.77, not 46.76. Recomputed here from the backtest's forecasts."""
    row = evaluation.sku_reliability.filter(pl.col("sku") == "FAST").row(0, named=True)
    assert row["model"] == "mean(TSB, SeasonalESOptimized)"
    season = season_steps(SMALL.season_length, SMALL.trading_weekdays)
    fast = _series(70).filter(pl.col("unique_id") == "FAST")
    forecasts = cross_validate(fast, CANDIDATES, 14, 3, 28, season)
    mix = (
        forecasts.filter(pl.col("model").is_in(["TSB", "SeasonalESOptimized"]))
        .group_by("unique_id", "window", "step", "day", "y")
        .agg(pl.col("forecast").mean())
        .with_columns(pl.lit("mix").alias("model"))
    )
    scales = pl.DataFrame({"unique_id": ["FAST"] * 3, "window": [1, 2, 3], "naive_scale": 1.0})
    expected = window_errors(mix, scales, 7)["abs_error_7d"].sum()
    assert row["abs_error_7d"] == pytest.approx(expected, rel=1e-9)


def test_the_live_choice_also_tries_the_options_on_the_holdout_window(evaluation):
    """Bug caught: the options tried on the windows before the holdout only, so the live
    forecast's choice was the holdout choice again (it may use the holdout window too). The
    live choice pools windows 2 and 3, the holdout's window 2 alone: their nested WAPEs
    differ in every class here (equal only by coincidence), and SLOW's intermittent class
    combines ADIDA and TSB live where window 2 alone kept ADIDA."""
    choice = evaluation.model_choice
    nested = {
        used: dict(
            choice.filter(pl.col("used_for") == used)
            .select("demand_pattern", "nested_wape_7d")
            .unique()
            .iter_rows()
        )
        for used in ("holdout", "forecast")
    }
    assert nested["holdout"].keys() == nested["forecast"].keys()
    assert all(nested["holdout"][c] != nested["forecast"][c] for c in nested["holdout"])
    slow = evaluation.sku_reliability.filter(pl.col("sku") == "SLOW")["model"][0]
    assert slow == "mean(ADIDA, TSB)"


def test_too_short_a_history_gives_empty_tables():
    result = evaluate_models(_series(30), SMALL)
    assert result.backtest.is_empty() and result.accuracy_summary.is_empty()
    assert "wape_7d" in result.accuracy_summary.columns


def test_no_series_at_all_gives_empty_tables():
    """Bug: a run with no SKU to backtest (a new shop, or every SKU in another bucket) ran
    no batch at all and failed concatenating no errors, instead of the empty tables."""
    result = evaluate_models(_series(70).clear(), SMALL)
    assert result.backtest.is_empty() and result.accuracy_summary.is_empty()
    assert set(ERROR_SCHEMA) <= set(result.backtest.columns)


def test_one_window_is_refused():
    with pytest.raises(ValueError, match="backtest_windows"):
        evaluate_models(_series(70), ForecastingSettings(**{**SMALL_VALUES, "backtest_windows": 1}))


def test_backtest_in_batches_of_skus_gives_the_same_tables(evaluation):
    series = _series(70).filter(
        (pl.col("unique_id") != "MID") | (pl.col("ds") >= pl.date(2024, 1, 17))
    )
    short = (
        _series(30)
        .filter(pl.col("unique_id") == "FAST")
        .with_columns(
            pl.lit("NEW").alias("unique_id")  # too short for a window: no rows, in its own batch
        )
    )
    batched = evaluate_models(pl.concat([series, short]), SMALL, batch_skus=1)
    assert batched.backtest.equals(evaluation.backtest)
    assert batched.accuracy_summary.equals(evaluation.accuracy_summary)
    assert batched.model_choice.equals(evaluation.model_choice)
    assert batched.sku_reliability.equals(evaluation.sku_reliability)


def test_reliability_classes_each_sku_on_its_whole_history():
    """Bug caught: the live forecast's reliability judged each SKU in its class as of the
    holdout (classified on the history before it) instead of the class the live forecast
    uses, classified on the whole history. STOP sold 5 on 45 of the 56 days before the
    holdout (ADI 56 / 45 = 1.24: smooth) and nothing in its 14 days (ADI 70 / 45 = 1.56 on
    the whole history: intermittent)."""
    dates = _series(70).filter(pl.col("unique_id") == "FAST")["ds"]
    sold = [0.0 if day % 5 == 4 and day < 55 else 5.0 for day in range(56)] + [0.0] * 14
    assert sum(y > 0 for y in sold) == 45
    stop = pl.DataFrame({"unique_id": "STOP", "ds": dates, "y": sold})
    row = evaluate_models(stop, SMALL).sku_reliability.row(0, named=True)
    assert (row["sku"], row["demand_pattern"]) == ("STOP", "intermittent")


def test_a_sku_that_changed_class_is_judged_with_its_live_class_mix():
    """Bug caught: the live choice's combined forecasts computed with each SKU's class as of
    the holdout (classified before it) instead of its class on the whole history, while its
    reliability row is labelled with the whole-history class's mix. STOP (as in the test
    above) is smooth before the holdout and intermittent on its whole history; beside the
    small fixture's SKUs, smooth combines TSB and SeasonalESOptimized live and intermittent
    ADIDA and TSB. STOP's 7-day errors must be those of mean(ADIDA, TSB), recomputed here
    from the backtest's forecasts, not those of the smooth class's mix."""
    dates = _series(70).filter(pl.col("unique_id") == "FAST")["ds"]
    sold = [0.0 if day % 5 == 4 and day < 55 else 5.0 for day in range(56)] + [0.0] * 14
    stop = pl.DataFrame({"unique_id": "STOP", "ds": dates, "y": sold})
    fixture = _series(70).filter(
        (pl.col("unique_id") != "MID") | (pl.col("ds") >= pl.date(2024, 1, 17))
    )
    result = evaluate_models(pl.concat([fixture, stop]), SMALL)
    live = result.model_choice.filter(pl.col("used_for") == "forecast")
    models = {
        pattern: sorted(live.filter(pl.col("demand_pattern") == pattern)["model"])
        for pattern in ("smooth", "intermittent")
    }
    # The two classes' live mixes differ, or the wrong class would give the same errors.
    assert models == {"smooth": ["SeasonalESOptimized", "TSB"], "intermittent": ["ADIDA", "TSB"]}
    row = result.sku_reliability.filter(pl.col("sku") == "STOP").row(0, named=True)
    assert (row["demand_pattern"], row["model"]) == ("intermittent", "mean(ADIDA, TSB)")
    season = season_steps(SMALL.season_length, SMALL.trading_weekdays)
    forecasts = cross_validate(stop, CANDIDATES, 14, 3, 28, season)
    scales = pl.DataFrame({"unique_id": ["STOP"] * 3, "window": [1, 2, 3], "naive_scale": 1.0})
    errors = {}
    for pattern, mixed in models.items():
        mix = (
            forecasts.filter(pl.col("model").is_in(mixed))
            .group_by("unique_id", "window", "step", "day", "y")
            .agg(pl.col("forecast").mean())
            .with_columns(pl.lit("mix").alias("model"))
        )
        errors[pattern] = window_errors(mix, scales, 7)["abs_error_7d"].sum()
    assert errors["smooth"] != pytest.approx(errors["intermittent"], rel=1e-6)
    assert row["abs_error_7d"] == pytest.approx(errors["intermittent"], rel=1e-9)


def test_selected_on_the_holdout_is_the_holdout_choice(evaluation):
    """Bug caught: the holdout's `selected` rows scored with the live forecast's mix, which
    was chosen with the holdout window itself, while still labelled with the holdout choice:
    SLOW's class kept ADIDA alone on window 2, and mean(ADIDA, TSB) only with window 3.
    Its selected row on the holdout must be ADIDA's, to the bit."""
    holdout = evaluation.backtest.filter((pl.col("sku") == "SLOW") & (pl.col("window") == 3))
    selected = holdout.filter(pl.col("model") == "selected").row(0, named=True)
    adida = holdout.filter(pl.col("model") == "ADIDA").row(0, named=True)
    assert selected["chosen"] == "ADIDA"
    assert (selected["forecast"], selected["abs_error_7d"]) == (
        adida["forecast"],
        adida["abs_error_7d"],
    )
