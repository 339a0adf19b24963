"""Gamma-Gamma's gate and its holdout check against the naive spend, worked by hand."""

from datetime import date

import numpy as np
import polars as pl
import pytest

from forecasting.clv.spend import fit_spend, holdout_spend_errors
from forecasting.clv.summary import ClvSummary


def _summary(customers: pl.DataFrame) -> ClvSummary:
    return ClvSummary(
        customers=customers,
        repeat_purchases=pl.DataFrame(),
        calibration_end=date(2024, 6, 30),
        holdout_end=date(2024, 12, 31),
        time_unit="W",
        holdout_length=26.3,
        guest_orders=0,
        calibration_transactions=0,
        holdout_transactions=0,
    )


def test_the_naive_spend_error_by_hand():
    """Bugs caught: the naive error adding the actual spend instead of subtracting it, the
    holdout buyers taken as those with two or more holdout days, the naive guess for a
    customer without repeats not the mean of the known spends.

    A (10 spent per repeat) spends 14 in the holdout, B (20) 17, C (no repeats) 12, D (30)
    buys nothing there. The naive guesses are 10, 20 and (10 + 20 + 30) / 3 = 20: errors
    4, 3 and 8, mean 5; the three buyers' mean actual spend is 43 / 3."""
    customers = pl.DataFrame(
        {
            "frequency": [2, 1, 0, 3],
            "monetary_value": [10.0, 20.0, 0.0, 30.0],
            "holdout_frequency": [1, 2, 1, 0],
            "holdout_spend": [14.0, 17.0, 12.0, None],
        }
    )
    errors = holdout_spend_errors(None, _summary(customers))
    assert errors["holdout_spend_customers"] == 3
    assert errors["holdout_spend_actual"] == pytest.approx(43 / 3)
    assert errors["naive_spend_mae"] == pytest.approx(5.0)
    assert errors["holdout_spend_predicted"] is None and errors["holdout_spend_mae"] is None


def test_one_repeat_purchase_makes_a_repeat_buyer():
    """Bug caught: repeat buyers counted from two repeats on, so nine customers with one
    repeat each were reported as none; free repeats (spend 0) are not counted."""
    x = np.array([1.0] * 9 + [2.0])
    spend = np.array([5.0] * 9 + [0.0])
    fit, reason = fit_spend(x, spend)
    assert fit is None
    assert reason.startswith("not fitted: 9 repeat buyers with positive spend")
