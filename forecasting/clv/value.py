"""Discounted customer lifetime value over a finite horizon."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

STEP_DAYS = 30  # purchases are discounted month by month, as is usual for CLV


def lifetime_value(
    cumulative_purchases: Callable[[float], np.ndarray],
    expected_spend: np.ndarray,
    horizon_days: int,
    annual_discount_rate: float,
    gross_margin: float,
    unit_days: float,
) -> np.ndarray:
    """CLV = margin x expected spend x sum over steps of the purchases expected in the step,
    each discounted to today at the annual rate from the step's end.

    Args:
        cumulative_purchases: maps t (time units from now) to each customer's expected
            repeat purchases by then (a fitted model's conditional expectation).
        expected_spend: expected value of one purchase per customer.
        horizon_days: how far ahead value counts.
        annual_discount_rate: e.g. 0.10 for 10 % a year.
        gross_margin: share of a purchase's value that is margin, 0..1.
        unit_days: days per model time unit.

    Returns:
        One CLV per customer, in the currency of the spend.
    """
    if horizon_days <= 0:
        raise ValueError(
            f"clv horizon_days must be positive, got {horizon_days}; fix clv.horizon_days"
        )
    steps = max(1, math.ceil(horizon_days / STEP_DAYS))
    ends = np.linspace(horizon_days / steps, horizon_days, steps)
    purchases = np.zeros_like(np.asarray(expected_spend, dtype=float))
    before = np.zeros_like(purchases)
    for end in ends:
        by_end = cumulative_purchases(end / unit_days)
        purchases += (by_end - before) / (1.0 + annual_discount_rate) ** (end / 365.25)
        before = by_end
    return gross_margin * np.asarray(expected_spend, dtype=float) * purchases
