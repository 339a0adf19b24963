"""The spend side of CLV: whether Gamma-Gamma can be fitted, and how well its expected
spend per purchase, fitted on the calibration window, predicts the holdout's."""

from __future__ import annotations

import numpy as np

from forecasting.clv import gamma_gamma
from forecasting.clv.applicability import MIN_REPEAT_BUYERS
from forecasting.clv.fitting import FitResult
from forecasting.clv.summary import ClvSummary


def fit_spend(x: np.ndarray, spend: np.ndarray) -> tuple[FitResult | None, str | None]:
    """Gamma-Gamma on the repeat buyers with a positive mean spend, or why not.

    Args:
        x: repeat purchases per customer.
        spend: mean repeat spend per customer (0 without repeats).

    Returns:
        (the fit, None), or (None, the reason: too few repeat buyers with positive spend,
        or q <= 1, which has no finite mean spend).
    """
    repeaters = int(((x > 0) & (spend > 0)).sum())
    if repeaters < MIN_REPEAT_BUYERS:
        return None, (
            f"not fitted: {repeaters:,} repeat buyers with positive spend "
            f"(needs {MIN_REPEAT_BUYERS})"
        )
    fit = gamma_gamma.fit(x, spend)
    unusable = spend_unusable(fit)
    return (None, unusable) if unusable else (fit, None)


def spend_unusable(fit: FitResult) -> str | None:
    """Why a Gamma-Gamma fit cannot give expected spends, or None: its mean spend
    p gamma / (q - 1) is finite and positive only for q > 1."""
    if fit.params["q"] <= 1:
        return f"not usable: q = {fit.params['q']:.3f} <= 1 has no finite mean spend"
    return None


def holdout_spend_errors(fit: FitResult | None, calibration: ClvSummary) -> dict:
    """Expected spend per purchase (fitted on the calibration window) against the mean
    spend of each calibration customer's holdout purchase days.

    The naive baseline gives each customer their own calibration mean repeat spend, and
    the customers without one the mean of those who have one.

    Returns:
        holdout_spend_customers (calibration customers who bought in the holdout),
        holdout_spend_predicted and holdout_spend_actual (their mean), holdout_spend_mae
        and naive_spend_mae (mean absolute error per customer); NULL where undefined.
    """
    c = calibration.customers
    bought = c["holdout_frequency"].to_numpy() > 0
    x = c["frequency"].to_numpy().astype(float)
    spend = c["monetary_value"].to_numpy().astype(float)
    actual = c["holdout_spend"].to_numpy().astype(float)[bought]
    known = (x > 0) & (spend > 0)
    errors = {
        "holdout_spend_customers": int(bought.sum()),
        "holdout_spend_actual": float(actual.mean()) if bought.any() else None,
        "holdout_spend_predicted": None,
        "holdout_spend_mae": None,
        "naive_spend_mae": None,
    }
    if not bought.any():
        return errors
    if known.any():
        naive = np.where(known, spend, spend[known].mean())[bought]
        errors["naive_spend_mae"] = float(np.abs(naive - actual).mean())
    if fit is not None:
        predicted = gamma_gamma.expected_spend(fit.params, x, spend)[bought]
        errors["holdout_spend_predicted"] = float(predicted.mean())
        errors["holdout_spend_mae"] = float(np.abs(predicted - actual).mean())
    return errors
