"""Gamma-Gamma's gate and its holdout check against the naive spend, worked by hand."""

from datetime import date

import numpy as np
import polars as pl
import pytest

from forecasting.clv.fitting import FitResult
from forecasting.clv.spend import fit_spend, holdout_spend_errors, spend_unusable
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


def test_the_naive_spend_knows_one_repeat_of_cents_and_not_free_repeats():
    """Bugs caught: a customer's own spend known only from two repeats on (``x > 1``) or
    from a mean above 1 (``spend > 1``), or known at a mean of 0 (``>= 0``, ``> -1``: a
    customer whose repeats were free is then guessed to spend nothing again).

    A (one repeat at 0.50) spends 2.50 in the holdout, B (two free repeats) 4, C (29.50)
    30. A and C are known; B gets their mean, 15. Errors 2, 11 and 0.5: mean 4.5."""
    customers = pl.DataFrame(
        {
            "frequency": [1, 2, 3],
            "monetary_value": [0.5, 0.0, 29.5],
            "holdout_frequency": [1, 1, 1],
            "holdout_spend": [2.5, 4.0, 30.0],
        }
    )
    errors = holdout_spend_errors(None, _summary(customers))
    assert errors["naive_spend_mae"] == pytest.approx(4.5)


# Ten repeat buyers, one of them spending 0.50 a purchase, whose spends fit q = 1.44.
REPEATS = np.array([1, 2, 3, 1, 2, 4, 2, 3, 1, 5], dtype=float)
SPENDS = np.array([0.5, 3, 20, 8, 60, 6, 15, 9, 200, 7], dtype=float)


def test_ten_repeat_buyers_fit_a_finite_mean_spend():
    """Bugs caught: the floor of MIN_REPEAT_BUYERS (10) repeat buyers made exclusive, the
    buyer spending 0.50 not counted (``spend > 1``), and a q between 1 and 2, whose mean
    spend p gamma / (q - 1) is finite, refused (``q <= 2``)."""
    fit, reason = fit_spend(REPEATS, SPENDS)
    assert reason is None
    assert fit.customers == 10
    assert 1.0 < fit.params["q"] < 2.0


def test_a_spend_without_finite_mean_is_not_used():
    """Bug caught: the q <= 1 gate moved to q <= 0, which no fit reaches (the parameters
    are positive), so a heavy-tailed spend with q = 0.42 and an infinite mean spend
    p gamma / (q - 1) was kept and gave negative expected spends."""
    spends = np.array([0.5, 1, 100, 3, 300, 2, 50, 7, 900, 5], dtype=float)
    fit, reason = fit_spend(REPEATS, spends)
    assert fit is None
    assert reason == "not usable: q = 0.417 <= 1 has no finite mean spend"


def test_q_of_exactly_1_has_no_finite_mean_spend():
    """Bug caught: the gate made strict (q < 1), which keeps q = 1, where the mean spend
    p gamma / (q - 1) divides by zero. No optimiser lands on 1 to the last bit, so the gate
    is given fits with q at 1 and just above it."""

    def fitted(q: float) -> FitResult:
        return FitResult("gamma_gamma", {"p": 2.0, "q": q, "gamma": 5.0}, -1.0, 10, 0.0, True, "")

    assert spend_unusable(fitted(1.0)) == "not usable: q = 1.000 <= 1 has no finite mean spend"
    assert spend_unusable(fitted(1.0001)) is None


def test_the_fitted_spend_error_by_hand():
    """Bug caught: the fitted model's holdout error adding the actual spend to the
    prediction instead of subtracting it (a large error that still looks like an error).

    The customers of the naive example with p = 1, q = 2, gamma = 0, where the expected
    spend is x zbar / (x + 1): A 2 x 10 / 3, B 20 / 2 = 10, C 0 (no repeats), against the
    actual 14, 17 and 12: errors 22/3, 7 and 12, mean (22/3 + 19) / 3 = 79 / 9."""
    customers = pl.DataFrame(
        {
            "frequency": [2, 1, 0, 3],
            "monetary_value": [10.0, 20.0, 0.0, 30.0],
            "holdout_frequency": [1, 2, 1, 0],
            "holdout_spend": [14.0, 17.0, 12.0, None],
        }
    )
    fit = FitResult("gamma_gamma", {"p": 1.0, "q": 2.0, "gamma": 0.0}, -1.0, 3, 0.0, True, "")
    errors = holdout_spend_errors(fit, _summary(customers))
    assert errors["holdout_spend_predicted"] == pytest.approx((20 / 3 + 10) / 3)
    assert errors["holdout_spend_mae"] == pytest.approx(79 / 9)
