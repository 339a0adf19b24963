"""BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy way").

While alive a customer buys at Poisson rate lambda ~ Gamma(r, alpha); after each repeat
purchase they drop out with probability p ~ Beta(a, b). Inputs are the summary's
frequency x, recency t_x and age T (numpy arrays, one entry per customer).
"""

from __future__ import annotations

import numpy as np
from scipy.special import betaln, expit, gammaln, hyp2f1

from forecasting.clv.fitting import FitResult, distinct_customers, fit_by_maximum_likelihood

NAME = "bgnbd"
PARAMS = ("r", "alpha", "a", "b")


def log_likelihood(params: np.ndarray, x: np.ndarray, t_x: np.ndarray, T: np.ndarray) -> np.ndarray:
    """Per-customer log-likelihood (FHL 2005, eq. 6), in log space throughout.

    Args:
        params: r, alpha, a, b.
        x, t_x, T: frequency, recency and age per customer.

    Returns:
        One log-likelihood per customer.
    """
    r, alpha, a, b = params
    common = gammaln(r + x) - gammaln(r) + r * np.log(alpha) + betaln(a, b + x) - betaln(a, b)
    still_alive = -(r + x) * np.log(alpha + T)
    with np.errstate(divide="ignore"):
        dropped = np.where(
            x > 0,
            np.log(a) - np.log(np.maximum(b + x - 1, 1e-300)) - (r + x) * np.log(alpha + t_x),
            -np.inf,
        )
    return common + np.logaddexp(still_alive, dropped)


def fit(x: np.ndarray, t_x: np.ndarray, T: np.ndarray) -> FitResult:
    """Maximum-likelihood BG/NBD parameters.

    Args:
        x, t_x, T: frequency, recency and age per customer (the calibration summary).

    Returns:
        The FitResult with params r, alpha, a, b.
    """
    (xs, ts, Ts), counts = distinct_customers(x, t_x, T)
    return fit_by_maximum_likelihood(
        NAME, PARAMS, lambda p: log_likelihood(p, xs, ts, Ts), len(x), counts
    )


def _log_dropout_odds(params: dict[str, float], x, t_x, T) -> np.ndarray:
    r, alpha, a, b = (params[k] for k in PARAMS)
    with np.errstate(divide="ignore"):
        return np.where(
            x > 0,
            np.log(a)
            - np.log(np.maximum(b + x - 1, 1e-300))
            + (r + x) * (np.log(alpha + T) - np.log(alpha + t_x)),
            -np.inf,
        )


def probability_alive(params: dict[str, float], x, t_x, T) -> np.ndarray:
    """P(alive at T | x, t_x, T): 1 / (1 + a / (b + x - 1) ((alpha + T) / (alpha + t_x))^(r + x))."""
    return expit(-_log_dropout_odds(params, x, t_x, T))


def expected_purchases(params: dict[str, float], t: float, x, t_x, T) -> np.ndarray:
    """E[Y(t) | x, t_x, T]: expected repeat purchases in the next t time units (FHL eq. 10);
    the hypergeometric factor is `_tail`'s."""
    r, alpha, a, b = (params[k] for k in PARAMS)
    x = np.asarray(x, dtype=float)
    z = t / (alpha + T + t)
    tail = _tail(r, a, b, x, z)
    return (a + b + x - 1.0) / (a - 1.0) * (1.0 - tail) * probability_alive(params, x, t_x, T)


def expected_purchases_new(params: dict[str, float], t: np.ndarray) -> np.ndarray:
    """E[X(t)]: expected repeat purchases of a customer in the t time units after the first."""
    r, alpha, a, b = (params[k] for k in PARAMS)
    t = np.asarray(t, dtype=float)
    z = t / (alpha + t)
    # The same factor with x = 0: (alpha / (alpha + t))^r 2F1(r, b; a + b - 1; z).
    return (a + b - 1.0) / (a - 1.0) * (1.0 - _tail(r, a, b, 0.0, z))


def _tail(r: float, a: float, b: float, x, z) -> np.ndarray:
    """(1 - z)^(r + x) 2F1(r + x, b + x; a + b + x - 1; z), the hypergeometric factor of
    the BG/NBD's expected purchases, evaluated where it stays finite.

    Euler's transformation, (1 - z)^(a - 1) 2F1(a + b - 1 - r, a - 1; a + b + x - 1; z),
    has parameters that do not grow with x, so frequent buyers do not overflow it. When a
    and b are both large (every customer drops out with the same probability a / (a + b),
    a fit that short or sparse histories reach) scipy returns NaN or inf for it; the
    untransformed form is then well behaved and is used instead.
    """
    x, z = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(z, dtype=float))
    with np.errstate(all="ignore"):
        tail = (1.0 - z) ** (a - 1.0) * hyp2f1(a + b - 1.0 - r, a - 1.0, a + b + x - 1.0, z)
        failed = ~np.isfinite(tail)
        if failed.any():
            xf, zf = x[failed], z[failed]
            tail = np.array(tail, dtype=float)
            tail[failed] = (1.0 - zf) ** (r + xf) * hyp2f1(r + xf, b + xf, a + b + xf - 1.0, zf)
    return tail
