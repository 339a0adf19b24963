"""BG/NBD formulas against FHL (2005) written out directly, term by term, in plain
(not log) space with scipy's beta, gamma and 2F1, on customers where every term matters.

The CDNOW fit (test_cdnow.py) checks the likelihood only at its optimum; these examples
tell the plausible wrong formulas apart at parameters where each term shows: a customer
with no repeat purchase (no drop-out term), one with b + x - 1 below 1, and frequent ones.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import beta, gamma, hyp2f1

from forecasting.clv import bgnbd

# The published CDNOW estimates (FHL 2005) and a second set with b + x - 1 < 1 at x = 1.
PUBLISHED = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
OTHER = {"r": 2.0, "alpha": 3.0, "a": 1.5, "b": 0.6}
# A whole a: (1 - z)^(a - 1) is then finite for a negative base too, so a wrong base in
# Euler's transformation is not rescued by the fallback to the untransformed form.
WHOLE_A = {"r": 0.5, "alpha": 4.0, "a": 3.0, "b": 2.0}
# frequency x, recency t_x, age T (weeks)
X = np.array([0.0, 1.0, 2.0, 5.0, 12.0])
T_X = np.array([0.0, 1.71, 30.43, 20.0, 37.5])
T = np.array([38.86, 38.86, 38.86, 38.0, 38.0])


def likelihood_by_hand(p: dict, x, t_x, T) -> np.ndarray:
    """FHL (2005) eq. 6: alive through T, or (x > 0) dropped out just after t_x."""
    r, alpha, a, b = p["r"], p["alpha"], p["a"], p["b"]
    rate = gamma(r + x) * alpha**r / gamma(r)
    alive = beta(a, b + x) / beta(a, b) * rate / (alpha + T) ** (r + x)
    dropped = np.where(
        x > 0,
        beta(a + 1, np.maximum(b + x - 1, 1e-9)) / beta(a, b) * rate / (alpha + t_x) ** (r + x),
        0,
    )
    return alive + dropped


def alive_by_hand(p: dict, x, t_x, T) -> np.ndarray:
    """P(alive | x, t_x, T) = 1 / (1 + [x > 0] a / (b + x - 1) ((alpha + T) / (alpha + t_x))^(r + x))."""
    r, alpha, a, b = p["r"], p["alpha"], p["a"], p["b"]
    odds = np.where(x > 0, a / (b + x - 1) * ((alpha + T) / (alpha + t_x)) ** (r + x), 0)
    return 1 / (1 + odds)


def expected_by_hand(p: dict, t: float, x, t_x, T) -> np.ndarray:
    """FHL (2005) eq. 10 in its untransformed form."""
    r, alpha, a, b = p["r"], p["alpha"], p["a"], p["b"]
    z = t / (alpha + T + t)
    tail = ((alpha + T) / (alpha + T + t)) ** (r + x) * hyp2f1(r + x, b + x, a + b + x - 1, z)
    return (a + b + x - 1) / (a - 1) * (1 - tail) * alive_by_hand(p, x, t_x, T)


@pytest.mark.parametrize("params", [PUBLISHED, OTHER], ids=["published", "b_below_one"])
def test_log_likelihood_is_eq_6_per_customer(params):
    """Bug caught: a wrong term of the likelihood (a sign, Beta(a, b + x) vs Beta(a, b),
    r log alpha dropped, the drop-out term given to customers with no repeat purchase,
    b + x - 1 floored at 1 instead of at a tiny number) that an optimiser still runs on."""
    vector = np.array([params[k] for k in bgnbd.PARAMS])
    assert np.exp(bgnbd.log_likelihood(vector, X, T_X, T)) == pytest.approx(
        likelihood_by_hand(params, X, T_X, T), rel=1e-9
    )


@pytest.mark.parametrize("params", [PUBLISHED, OTHER], ids=["published", "b_below_one"])
def test_probability_alive_is_the_closed_form(params):
    """Bug caught: the odds' exponent, ratio or b + x - 1 written otherwise, or a customer
    with no repeat purchase given a drop-out chance (P(alive) is 1 for x = 0)."""
    alive = bgnbd.probability_alive(params, X, T_X, T)
    assert alive == pytest.approx(alive_by_hand(params, X, T_X, T), rel=1e-9)
    assert alive[0] == 1.0


@pytest.mark.parametrize(
    "params", [PUBLISHED, OTHER, WHOLE_A], ids=["published", "b_below_one", "whole_a"]
)
def test_expected_purchases_are_eq_10(params):
    """Bug caught: the transformed 2F1 (Euler) or the leading factor (a + b + x - 1) / (a - 1)
    written otherwise; only the untransformed form is independent of the code's. With a
    whole a, (0 - z)^(a - 1) for (1 - z)^(a - 1) stays finite and shows."""
    expected = bgnbd.expected_purchases(params, 39.0, X, T_X, T)
    assert expected == pytest.approx(expected_by_hand(params, 39.0, X, T_X, T), rel=1e-7)


def test_the_published_customer_expects_1_226_purchases_in_39_weeks():
    """FHL's worked example (CDNOW estimates; x = 2, t_x = 30.43, T = 38.86): 1.226 expected
    repeat purchases in the next 39 weeks. Bug caught: any slip in eq. 10 at real values."""
    expected = bgnbd.expected_purchases(
        PUBLISHED, 39.0, np.array([2.0]), np.array([30.43]), np.array([38.86])
    )
    assert expected[0] == pytest.approx(1.226, abs=5e-4)


@pytest.mark.parametrize("params", [PUBLISHED, OTHER], ids=["published", "b_below_one"])
def test_expected_purchases_of_a_new_customer_are_the_x_0_case(params):
    """Bug caught: E[X(t)] not the x = 0, T = 0 case of eq. 10 (its z or factor otherwise)."""
    t = np.array([1.0, 39.0, 78.0])
    expected = bgnbd.expected_purchases_new(params, t)
    by_hand = expected_by_hand(params, t, np.zeros(3), np.zeros(3), np.zeros(3))
    assert expected == pytest.approx(by_hand, rel=1e-7)
