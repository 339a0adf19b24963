"""Maximum-likelihood fitting shared by the CLV models, and the log-space helpers they need.

Parameters are optimised on the log scale (all are positive), so the optimiser is
unconstrained in effect; bounds on the logs keep a wild step from overflowing.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize
from scipy.special import hyp2f1
from threadpoolctl import threadpool_limits

LOG_BOUND = 12.0  # parameters between e^-12 and e^12


@dataclass(frozen=True)
class FitResult:
    """A fitted model: parameters by name, the total log-likelihood and how the fit went."""

    model: str
    params: dict[str, float]
    log_likelihood: float
    customers: int
    fit_seconds: float
    converged: bool
    message: str


def distinct_customers(*columns: np.ndarray) -> tuple[tuple[np.ndarray, ...], np.ndarray]:
    """The distinct rows of the summary columns (x, t_x, T) and how many customers share each.

    Customers with the same frequency, recency and age have the same likelihood, and there
    are many (one-time buyers first seen on the same day; recency and age are whole days):
    a fit evaluates each distinct row once, weighted by its count.
    """
    rows, counts = np.unique(np.column_stack(columns), axis=0, return_counts=True)
    return tuple(np.ascontiguousarray(column) for column in rows.T), counts.astype(float)


def fit_by_maximum_likelihood(
    model: str,
    names: Sequence[str],
    log_likelihood: Callable[[np.ndarray], np.ndarray],
    customers: int,
    weights: np.ndarray | None = None,
) -> FitResult:
    """Maximise a summed log-likelihood over positive parameters.

    Args:
        model: the model's name, carried into the result.
        names: parameter names in the order `log_likelihood` takes them.
        log_likelihood: maps a parameter vector to the per-row log-likelihoods.
        customers: how many customers the likelihood covers.
        weights: how many customers each row stands for (distinct_customers); None: one.

    Returns:
        The FitResult; `converged` False when the optimiser stopped without converging.
    """
    if customers == 0:
        raise ValueError(f"{model}: no customers to fit; the calibration period holds no purchases")

    def total(values: np.ndarray) -> float:
        return float(np.sum(values) if weights is None else values @ weights)

    def objective(log_params: np.ndarray) -> float:
        # The optimiser probes parameters where the likelihood overflows or turns NaN (e.g.
        # a hypergeometric term at extreme alpha/beta); such a point is not an error but a
        # worse one, so numpy's warnings are silenced here and the value replaced by a penalty.
        with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
            value = -total(log_likelihood(np.exp(log_params))) / customers
        return value if np.isfinite(value) else 1e12

    started = time.perf_counter()
    bounds = [(-LOG_BOUND, LOG_BOUND)] * len(names)
    # Tight tolerances: the default stops while BG/NBD's a and b, which trade off along a
    # flat ridge of the likelihood, are still moving in the third digit.
    # One BLAS thread: L-BFGS-B calls BLAS and LAPACK on vectors of a few parameters each
    # step, and OpenBLAS's second thread spun on the other core after every call, doubling
    # the fits' CPU time (clv_marts at SF1: 2.4-2.7 CPU s, 1.15 on one thread) for the
    # same bits.
    with threadpool_limits(limits=1, user_api="blas"):
        result = minimize(
            objective,
            np.zeros(len(names)),
            method="L-BFGS-B",
            bounds=bounds,
            options={"ftol": 1e-14, "gtol": 1e-9, "maxiter": 1000},
        )
    params = dict(zip(names, np.exp(result.x).tolist(), strict=True))
    return FitResult(
        model=model,
        params=params,
        log_likelihood=total(log_likelihood(np.exp(result.x))),
        customers=customers,
        fit_seconds=time.perf_counter() - started,
        converged=bool(result.success),
        message=str(result.message),
    )


def log_hyp2f1_c_eq_a_plus_1(a: np.ndarray, b: np.ndarray, z: np.ndarray) -> np.ndarray:
    """log 2F1(a, b; a + 1; z) for 0 <= z < 1 and a + 1 - b > 0, without overflow.

    Euler's transformation turns it into (1 - z)^(1 - b) 2F1(1, a + 1 - b; a + 1; z); the
    second factor's series has terms below z^n, so it lies in [1, 1 / (1 - z)] even when
    a grows with a customer's frequency and the direct series would overflow.
    """
    return (1.0 - b) * np.log1p(-z) + np.log(hyp2f1(1.0, a + 1.0 - b, a + 1.0, z))


def log_diff_exp(high: np.ndarray, low: np.ndarray) -> np.ndarray:
    """log(e^high - e^low) for high >= low; -inf where they are equal."""
    with np.errstate(divide="ignore"):
        return high + np.log(-np.expm1(np.minimum(low - high, 0.0)))
