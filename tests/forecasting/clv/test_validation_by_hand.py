"""The holdout validation's pieces worked by hand: the split, the naive baseline, the
errors, the period-by-period tracking and the table by calibration frequency."""

from datetime import date, timedelta

import numpy as np
import polars as pl
import pytest

from forecasting.clv import bgnbd
from forecasting.clv.summary import ClvSummary, clv_summary
from forecasting.clv.validation import (
    conditional_expectation,
    cumulative_tracking,
    default_split,
    holdout_errors,
    naive_predictions,
    split_dates,
)

DAY0 = date(2024, 1, 1)
BGNBD_PARAMS = {"r": 0.5, "alpha": 4.0, "a": 0.8, "b": 2.5}


def _line(customer: str, day: int) -> dict:
    return {
        "customer_key": customer,
        "order_id": f"{customer}{day}",
        "order_date": DAY0 + timedelta(days=day),
        "quantity": 1,
        "order_status": "placed",
        "line_amount": 10.0,
    }


def _hand_summary(customers: dict, holdout_length: float = 2.0) -> ClvSummary:
    """A summary written out column by column, for the functions that read only a few."""
    return ClvSummary(
        customers=pl.DataFrame(customers),
        repeat_purchases=pl.DataFrame(),
        calibration_end=DAY0,
        holdout_end=DAY0,
        time_unit="W",
        holdout_length=holdout_length,
        guest_orders=0,
        calibration_transactions=0,
        holdout_transactions=0,
    )


def test_a_history_of_one_day_still_holds_out_one_day():
    """Bugs caught: the holdout's floor of one day raised to two (a day too many) or
    dropped to none (an order history of one day then has no holdout at all)."""
    day = date(2024, 5, 10)
    assert default_split(day, day) == (date(2024, 5, 9), day)


def test_a_calibration_ending_on_the_holdout_end_is_a_fit_without_holdout():
    """Bug caught: a calibration end equal to the holdout end (the settings' way to fit on
    the whole history) refused as if it came after the holdout end."""
    first, last = date(2024, 1, 1), date(2024, 3, 31)
    assert split_dates("2024-03-31", "2024-03-31", first, last) == (last, last)


def test_the_naive_rate_of_a_customer_younger_than_one_time_unit():
    """Bug caught: the rate x / T taken only for customers older than one time unit, so a
    customer first seen 3 days before the calibration end (T = 3/7 week) who came back
    once was predicted no purchases. Their rate is 7/3 a week, over a 2-week holdout 14/3;
    a customer of age 0 is predicted 0."""
    summary = _hand_summary(
        {"frequency": [1, 0, 2], "recency": [1 / 7, 0.0, 1.0], "T": [3 / 7, 0.0, 4.0]}
    )
    assert naive_predictions(summary).tolist() == pytest.approx([14 / 3, 0.0, 1.0])


def test_the_holdout_errors_by_hand():
    """Bugs caught: the RMSE reported as NaN for a non-empty holdout, the total's relative
    error divided instead of multiplied by 100 or scaled by 99 or 101.

    Predicted 1, 3, 2 against actual 1, 1, 0: errors 0, 2, 2; MAE 4/3, RMSE sqrt(8/3);
    totals 6 against 2, 200 % too many."""
    errors = holdout_errors(np.array([1.0, 3.0, 2.0]), np.array([1.0, 1.0, 0.0]))
    assert errors["mae"] == pytest.approx(4 / 3)
    assert errors["rmse"] == pytest.approx(np.sqrt(8 / 3))
    assert (errors["predicted"], errors["actual"]) == (6.0, 2.0)
    assert errors["total_error_pct"] == pytest.approx(200.0)


@pytest.fixture
def daily_summary() -> ClvSummary:
    """A buys on days 0, 2 and 5 and in the holdout on day 7; B on days 1 and 3; C once on
    day 4. Calibration ends on day 5, the holdout on day 8; one period is one day."""
    days = {"A": (0, 2, 5, 7), "B": (1, 3), "C": (4,)}
    lines = pl.DataFrame([_line(c, d) for c, ds in days.items() for d in ds])
    return clv_summary(lines, DAY0 + timedelta(days=5), DAY0 + timedelta(days=8), "D")


def test_the_tracking_counts_each_days_repeat_purchases(daily_summary):
    """Bugs caught: the tracking run one period past the holdout end, the first period's
    purchases counted from 1 or -1 instead of 0 (prepend), and the period ending on the
    calibration end marked as holdout.

    The repeat purchases fall on days 2, 3, 5 and 7 (first purchases are no repeats), so
    the nine days 0..8 hold 0, 0, 1, 1, 0, 1, 0, 1, 0; days 6-8 are the holdout."""
    tracking = cumulative_tracking(daily_summary, {"bgnbd": (bgnbd, BGNBD_PARAMS)})
    assert tracking["period"].to_list() == list(range(1, 10))
    assert tracking["period_end"].to_list() == [DAY0 + timedelta(days=d) for d in range(9)]
    assert tracking["actual_repeat_purchases"].to_list() == [0, 0, 1, 1, 0, 1, 0, 1, 0]
    assert tracking["actual_cumulative"].to_list() == [0, 0, 1, 2, 2, 3, 3, 4, 4]
    assert tracking["is_holdout"].to_list() == [False] * 6 + [True] * 3


def test_the_tracking_prediction_sums_each_cohort_from_its_first_day(daily_summary):
    """Bug caught: the first period's predicted purchases taken as its cumulative total
    minus 1 or plus 1 (a prepend other than 0), so the periods no longer add up.

    The cohorts start on days 0 (A), 1 (B) and 4 (C); by the end of day k each has been
    around k + 1, k and k - 3 days (never less than 0)."""
    tracking = cumulative_tracking(daily_summary, {"bgnbd": (bgnbd, BGNBD_PARAMS)})
    ends = np.arange(1, 10, dtype=float)
    ages = np.clip(ends[:, None] - np.array([0.0, 1.0, 4.0])[None, :], 0, None)
    expected = bgnbd.expected_purchases_new(BGNBD_PARAMS, ages).sum(axis=1)
    assert tracking["predicted_cumulative"].to_list() == pytest.approx(expected.tolist())
    assert tracking["predicted"].to_list() == pytest.approx(np.diff(expected, prepend=0.0).tolist())
    assert tracking["predicted"][0] == pytest.approx(expected[0])


def test_the_conditional_expectation_pools_frequencies_from_7_by_hand():
    """Bugs caught: no rows at all (the loop over the predictions skipped, or the empty
    table returned when there are predictions), and the "7+" label given to every
    frequency but 7.

    Customers with 0, 1, 7 and 9 calibration repeats; the last two pool as "7+" with
    actual (5 + 7) / 2 = 6 and predicted (4 + 6) / 2 = 5."""
    summary = _hand_summary({"frequency": [0, 1, 7, 9], "holdout_frequency": [0, 2, 5, 7]})
    table = conditional_expectation(summary, {"naive": np.array([0.0, 1.0, 4.0, 6.0])})
    assert table.rows() == [
        ("naive", 0, "0", 1, 0.0, 0.0),
        ("naive", 1, "1", 1, 2.0, 1.0),
        ("naive", 7, "7+", 2, 6.0, 5.0),
    ]
    empty = conditional_expectation(summary, {})
    assert empty.is_empty() and empty.columns == table.columns
