"""The likelihood fits' guards: no customers, which customers a fit uses, its clock, and
log(e^high - e^low) where the two are equal."""

import time

import numpy as np
import pytest

from forecasting.clv import gamma_gamma
from forecasting.clv.fitting import fit_by_maximum_likelihood, log_diff_exp


def test_a_fit_over_no_customers_is_refused_by_name():
    """Bug caught: a fit over 0 customers run anyway (the check comparing with another
    count), which divides the log-likelihood by 0, scores every point with the penalty and
    returns the starting parameters as if fitted."""
    with pytest.raises(ValueError, match="BG/NBD: no customers to fit"):
        fit_by_maximum_likelihood("BG/NBD", ["r"], lambda params: np.zeros(0), 0)


def test_gamma_gamma_fits_only_repeat_buyers_with_a_positive_mean_spend():
    """Bug caught: the spend filter widened to a zero mean spend (``>= 0``, ``> -1``: a
    repeat buyer whose refunds cancel the purchases, log 0 in the likelihood) or narrowed
    to spends above 1 (``> 1`` drops the customer spending 0.50)."""
    x = np.array([1, 2, 3, 1, 2, 4])
    spend = np.array([0.0, 0.5, 10.0, 20.0, 15.0, 12.0])
    assert gamma_gamma.fit(x, spend).customers == 5


def test_the_fit_time_is_the_time_the_fit_took():
    """Bug caught: the fit's seconds computed as the clock plus the start instead of minus
    it (twice the process's clock reading, not the few milliseconds the fit took)."""
    started = time.perf_counter()
    fit = fit_by_maximum_likelihood("peak", ["a"], lambda params: -((params - 2.0) ** 2), 1)
    assert 0.0 <= fit.fit_seconds <= time.perf_counter() - started


def test_log_diff_exp_of_values_equal_up_to_rounding_is_minus_infinity():
    """Bug caught: the clamp of low - high at 0 loosened (to 1), so a low that rounding left
    one float step above an equal high gave the log of a negative number (NaN) instead of
    log 0 (-inf); the clamp exists for exactly that case."""
    high = np.array([1.0, 3.0])
    low = np.array([np.nextafter(1.0, 2.0), 3.0])
    assert log_diff_exp(high, low).tolist() == [-np.inf, -np.inf]
    assert log_diff_exp(np.array([1.0]), np.array([0.0]))[0] == pytest.approx(np.log(np.e - 1))
