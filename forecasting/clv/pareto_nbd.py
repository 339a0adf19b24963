"""Pareto/NBD (Schmittlein, Morrison & Colombo 1987), likelihood as in Fader & Hardie's
"A note on deriving the Pareto/NBD model and related expressions" (2005).

While alive a customer buys at Poisson rate lambda ~ Gamma(r, alpha); their lifetime is
exponential with rate mu ~ Gamma(s, beta), so dropout can happen at any time, not only
after a purchase as in the BG/NBD.
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit, gammaln

from forecasting.clv.fitting import (
    FitResult,
    distinct_customers,
    fit_by_maximum_likelihood,
    log_diff_exp,
    log_hyp2f1_c_eq_a_plus_1,
)

NAME = "pareto_nbd"
PARAMS = ("r", "alpha", "s", "beta")


def _log_a0(r, alpha, s, beta, x, t_x, T) -> np.ndarray:
    """log A0, the integral over the death time between t_x and T (Fader & Hardie eq. 22).

    With alpha >= beta: 2F1(r+s+x, s+1; r+s+x+1; (alpha-beta)/(alpha+t)) / (alpha+t)^(r+s+x)
    at t = t_x minus the same at t = T; with alpha < beta the roles swap (b = r+x).
    """
    rsx = r + s + x
    if alpha >= beta:
        high, b = alpha, s + 1.0
    else:
        high, b = beta, r + x
    gap = abs(alpha - beta)

    def term(t):
        return log_hyp2f1_c_eq_a_plus_1(rsx, b, gap / (high + t)) - rsx * np.log(high + t)

    return log_diff_exp(term(t_x), term(T))


def log_likelihood(params: np.ndarray, x: np.ndarray, t_x: np.ndarray, T: np.ndarray) -> np.ndarray:
    """Per-customer log-likelihood (Fader & Hardie 2005, eq. 22), in log space.

    Args:
        params: r, alpha, s, beta.
        x, t_x, T: frequency, recency and age per customer.

    Returns:
        One log-likelihood per customer.
    """
    r, alpha, s, beta = params
    common = gammaln(r + x) - gammaln(r) + r * np.log(alpha) + s * np.log(beta)
    alive_at_t = -(r + x) * np.log(alpha + T) - s * np.log(beta + T)
    died_between = np.log(s) - np.log(r + s + x) + _log_a0(r, alpha, s, beta, x, t_x, T)
    return common + np.logaddexp(alive_at_t, died_between)


def fit(x: np.ndarray, t_x: np.ndarray, T: np.ndarray) -> FitResult:
    """Maximum-likelihood Pareto/NBD parameters.

    Args:
        x, t_x, T: frequency, recency and age per customer (the calibration summary).

    Returns:
        The FitResult with params r, alpha, s, beta.
    """
    (xs, ts, Ts), counts = distinct_customers(x, t_x, T)
    return fit_by_maximum_likelihood(
        NAME, PARAMS, lambda p: log_likelihood(p, xs, ts, Ts), len(x), counts
    )


def probability_alive(params: dict[str, float], x, t_x, T) -> np.ndarray:
    """P(alive at T | x, t_x, T) = 1 / (1 + s / (r+s+x) (alpha+T)^(r+x) (beta+T)^s A0)."""
    r, alpha, s, beta = (params[k] for k in PARAMS)
    x = np.asarray(x, dtype=float)
    log_odds = (
        np.log(s)
        - np.log(r + s + x)
        + (r + x) * np.log(alpha + T)
        + s * np.log(beta + T)
        + _log_a0(r, alpha, s, beta, x, t_x, T)
    )
    return expit(-log_odds)


def _lifetime_share(s: float, beta_t: np.ndarray, t: np.ndarray) -> np.ndarray:
    """(1 - ((beta+T) / (beta+T+t))^(s-1)) / (s - 1), continuous through s = 1 (then log)."""
    log_ratio = np.log(beta_t) - np.log(beta_t + t)
    if abs(s - 1.0) < 1e-9:
        return -log_ratio
    return -np.expm1((s - 1.0) * log_ratio) / (s - 1.0)


def expected_purchases(params: dict[str, float], t: float, x, t_x, T) -> np.ndarray:
    """E[Y(t) | x, t_x, T]: expected repeat purchases in the next t time units."""
    r, alpha, s, beta = (params[k] for k in PARAMS)
    x = np.asarray(x, dtype=float)
    T = np.asarray(T, dtype=float)
    rate = (r + x) * (beta + T) / (alpha + T)
    return (
        probability_alive(params, x, t_x, T)
        * rate
        * _lifetime_share(s, beta + T, np.full_like(T, t))
    )


def expected_purchases_new(params: dict[str, float], t: np.ndarray) -> np.ndarray:
    """E[X(t)]: expected repeat purchases of a customer in the t time units after the first."""
    r, alpha, s, beta = (params[k] for k in PARAMS)
    t = np.asarray(t, dtype=float)
    return r * beta / alpha * _lifetime_share(s, np.full_like(t, beta), t)
