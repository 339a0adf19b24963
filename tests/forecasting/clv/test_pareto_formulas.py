"""Pareto/NBD's expectations against their closed forms (Fader & Hardie 2005), written
out here independently of the module's log-space code."""

import numpy as np
import pytest

from forecasting.clv import pareto_nbd

# Near the published CDNOW estimates, with alpha and beta far from 1 and from each other.
PARAMS = {"r": 0.55, "alpha": 10.58, "s": 0.61, "beta": 11.67}


def test_a_new_customers_expected_purchases_are_the_closed_form():
    """Bugs caught: r beta / alpha written r / beta / alpha or r beta alpha.

    E[X(t)] = r beta / (alpha (s - 1)) (1 - (beta / (beta + t))^(s - 1))."""
    r, alpha, s, beta = (PARAMS[k] for k in ("r", "alpha", "s", "beta"))
    t = np.array([1.0, 13.0, 39.0])
    expected = r * beta / (alpha * (s - 1)) * (1 - (beta / (beta + t)) ** (s - 1))
    assert pareto_nbd.expected_purchases_new(PARAMS, t).tolist() == pytest.approx(expected.tolist())


def test_expected_purchases_at_s_equal_to_1_take_the_log_limit():
    """Bugs caught: the s = 1 case (where (1 - ratio^(s - 1)) / (s - 1) is 0 / 0) not
    recognised, so the conditional expectation is NaN: the test written around s = -1, 0
    or 2, or with a negative tolerance.

    At s = 1 the share of the next t units a customer lives is log((beta + T + t) /
    (beta + T)), so E[Y(t)] = P(alive) (r + x) (beta + T) / (alpha + T) times that log."""
    params = {**PARAMS, "s": 1.0}
    x, t_x, T, t = np.array([0.0, 2.0, 7.0]), np.array([0.0, 20.0, 30.0]), np.full(3, 39.0), 26.0
    alive = pareto_nbd.probability_alive(params, x, t_x, T)
    r, alpha, beta = params["r"], params["alpha"], params["beta"]
    expected = alive * (r + x) * (beta + T) / (alpha + T) * np.log((beta + T + t) / (beta + T))
    assert pareto_nbd.expected_purchases(params, t, x, t_x, T).tolist() == pytest.approx(
        expected.tolist()
    )
