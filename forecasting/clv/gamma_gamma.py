"""Gamma-Gamma spend model (Fader & Hardie 2013, "The Gamma-Gamma model of monetary value").

A customer's transaction values are Gamma(p, nu) with nu ~ Gamma(q, gamma) across
customers. Fitted on repeat buyers (x > 0) with a positive mean repeat spend; it assumes
spend does not depend on purchase frequency.
"""

from __future__ import annotations

import numpy as np
from scipy.special import gammaln

from forecasting.clv.fitting import FitResult, fit_by_maximum_likelihood

NAME = "gamma_gamma"
PARAMS = ("p", "q", "gamma")


def log_likelihood(params: np.ndarray, x: np.ndarray, mean_spend: np.ndarray) -> np.ndarray:
    """Per-customer log-likelihood of the mean spend of x repeat transactions (up to a
    constant that does not depend on the parameters)."""
    p, q, gamma = params
    px = p * x
    return (
        gammaln(px + q)
        - gammaln(px)
        - gammaln(q)
        + q * np.log(gamma)
        + (px - 1.0) * np.log(mean_spend)
        + px * np.log(x)
        - (px + q) * np.log(x * mean_spend + gamma)
    )


def fit(x: np.ndarray, mean_spend: np.ndarray) -> FitResult:
    """Maximum-likelihood Gamma-Gamma parameters on the customers with x > 0 and spend > 0.

    Args:
        x: repeat transactions per customer.
        mean_spend: mean value of those repeat transactions.

    Returns:
        The FitResult with params p, q, gamma; `customers` is the repeat buyers used.
    """
    usable = (x > 0) & (mean_spend > 0)
    xs, ms = x[usable].astype(float), mean_spend[usable]
    return fit_by_maximum_likelihood(
        NAME, PARAMS, lambda p: log_likelihood(p, xs, ms), int(usable.sum())
    )


def expected_spend(params: dict[str, float], x, mean_spend) -> np.ndarray:
    """E[Z | x, zbar] = (gamma + x zbar) p / (p x + q - 1): shrinks each customer's mean
    towards the population mean p gamma / (q - 1), which one-time buyers (x = 0) get."""
    p, q, gamma = (params[k] for k in PARAMS)
    x = np.asarray(x, dtype=float)
    return (gamma + x * np.asarray(mean_spend, dtype=float)) * p / (p * x + q - 1.0)
