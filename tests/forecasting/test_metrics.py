"""WAPE, WAPE on 7-day sums, bias and MASE on hand-computed windows."""

import datetime as dt

import numpy as np
import polars as pl
import pytest

from forecasting.metrics import accuracy, naive_scale, window_errors

START = dt.date(2024, 1, 1)


def _forecasts(
    model: str, actual: list[float], forecast: list[float], sku: str = "A"
) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "unique_id": sku,
            "window": 1,
            "step": list(range(1, len(actual) + 1)),
            "day": [START + dt.timedelta(days=i) for i in range(len(actual))],
            "y": actual,
            "model": model,
            "forecast": forecast,
        }
    )


def test_window_errors_by_hand():
    # 8 days: week 1 = steps 1-7, week 2 = step 8
    actual = [0, 4, 0, 0, 2, 0, 0, 6]
    forecast = [1, 1, 1, 1, 1, 1, 1, 1]
    scales = pl.DataFrame({"unique_id": ["A"], "window": [1], "naive_scale": [2.0]})
    row = window_errors(_forecasts("M", actual, forecast), scales).row(0, named=True)
    assert row["actual"] == 12 and row["forecast"] == 8 and row["days"] == 8
    assert row["abs_error"] == 1 + 3 + 1 + 1 + 1 + 1 + 1 + 5  # 14
    assert row["abs_error_7d"] == abs(7 - 6) + abs(1 - 6)  # 6
    assert row["error"] == -4
    assert row["mase"] == pytest.approx(14 / 8 / 2.0)
    assert (row["first_day"], row["last_day"]) == (START, START + dt.timedelta(days=7))


def test_accuracy_pools_errors_over_skus():
    frames = pl.concat(
        [_forecasts("M", [2, 2], [1, 1], sku="A"), _forecasts("M", [0, 6], [3, 3], sku="B")]
    )
    scales = pl.DataFrame({"unique_id": ["A", "B"], "window": [1, 1], "naive_scale": [1.0, 0.0]})
    row = accuracy(window_errors(frames, scales), ["model"]).row(0, named=True)
    assert row["skus"] == 2
    assert row["wape"] == pytest.approx((1 + 1 + 3 + 3) / 10)
    assert row["wape_7d"] == pytest.approx((2 + 0) / 10)  # |2-4| for A, |6-6| for B
    assert row["bias"] == pytest.approx((8 - 10) / 10)
    assert row["mase"] == pytest.approx(1.0)  # B's zero scale leaves it out: A = 1 / 1


def test_naive_scale_uses_only_the_history_before_the_window():
    steps = pl.DataFrame(
        {"unique_id": "A", "ds": [1, 2, 3, 4, 5], "y": [1.0, 3.0, 2.0, 7.0, 100.0]}
    )
    starts = pl.DataFrame({"unique_id": ["A", "A"], "window": [1, 2], "first_step": [4, 2]})
    got = naive_scale(steps, starts, season_steps=1).sort("window")
    # window 1 sees y1..y3: |3-1|, |2-3| -> 1.5; window 2 sees y1 only: no difference yet
    assert got["naive_scale"].to_list() == [1.5, None]


def test_errors_and_accuracy_do_not_depend_on_the_order_of_the_rows():
    """Bug caught: the errors were summed in the order the rows came and the weekly errors
    in the order a group_by returned the weeks, so demand_backtest's abs_error_7d (and
    accuracy_summary with it) differed in its last bits from run to run."""
    rng = np.random.default_rng(3)
    forecasts = pl.concat(
        [
            _forecasts(model, list(rng.random(56) * 9), list(rng.random(56) * 9), sku)
            for sku in ("A", "B", "C")
            for model in ("M", "N")
        ]
    )
    scales = pl.DataFrame({"unique_id": ["A", "B", "C"], "window": 1, "naive_scale": 0.7})
    shuffled = forecasts.sample(fraction=1.0, shuffle=True, seed=3)
    errors = window_errors(forecasts, scales)
    assert errors.equals(window_errors(shuffled, scales))
    assert accuracy(errors, ["model"]).equals(
        accuracy(errors.sample(fraction=1.0, shuffle=True, seed=4), ["model"])
    )


def test_a_window_missing_one_forecast_day_has_a_reason_and_no_scores():
    """Bug caught (a surviving mutant of `make mutation`): a failed forecast counted only
    when it missed two or more days (`missing > 1`), so a model that skipped one day was
    scored on the days it did forecast, as if it had no gap."""
    scales = pl.DataFrame({"unique_id": ["A"], "window": [1], "naive_scale": [1.0]})
    frame = _forecasts("M", [2.0, 2.0, 2.0], [1.0, None, 1.0])
    row = window_errors(frame, scales).row(0, named=True)
    assert row["reason"] == "no forecast on 1 of 3 days"
    assert [row[score] for score in ("forecast", "abs_error", "error", "mase")] == [None] * 4


def test_a_single_sold_unit_is_scored_and_no_demand_is_not():
    """Bugs caught: WAPE and bias computed only above one unit of demand (a slow mover that
    sold once would go unscored), or also at zero demand (an inf or NaN instead of no
    score for a window without sales)."""
    scales = pl.DataFrame({"unique_id": ["A"], "window": [1], "naive_scale": [1.0]})
    one = accuracy(window_errors(_forecasts("M", [0, 1], [1, 1]), scales), ["model"])
    row = one.row(0, named=True)
    # actual 1, forecast 2: |1-0| + |1-1| = 1 -> WAPE 1 / 1; 7-day |2-1| = 1; bias (2-1)/1
    assert (row["wape"], row["wape_7d"], row["bias"]) == (1.0, 1.0, 1.0)
    none = accuracy(window_errors(_forecasts("M", [0, 0], [1, 1]), scales), ["model"])
    assert none.select("wape", "wape_7d", "bias").row(0) == (None, None, None)


def test_naive_scale_from_a_single_difference():
    """Bug caught: the naive scale required more than one seasonal difference, so a SKU
    with a short history before its window got no MASE."""
    steps = pl.DataFrame({"unique_id": "A", "ds": [1, 2, 3], "y": [1.0, 4.0, 9.0]})
    starts = pl.DataFrame({"unique_id": ["A"], "window": [1], "first_step": [3]})
    # the window starts at step 3 and sees y1, y2: one difference |4 - 1| = 3
    assert naive_scale(steps, starts, season_steps=1)["naive_scale"].to_list() == [3.0]
