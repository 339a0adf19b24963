"""The recommended and classic levels at the edges of a short or thin history, by hand.

Each case is a SKU or two and a few days whose lead-time sums, quantiles and thresholds
can be read off the history directly.
"""

from __future__ import annotations

import numpy as np

from forecasting.policy_levels import (
    classic_levels,
    demand_level,
    large_order_thresholds,
    lead_time_demand_sums,
    nan_quantiles_by_row,
    recommended_levels,
)


def test_a_history_exactly_as_long_as_the_lead_time_has_one_sum():
    """Bug caught: a history of exactly L days taken for one too short (``<=`` where ``<``
    is meant), so a shop with just L trading days fails to plan. Days 1 and 2, L = 2: the
    one 2-day sum is 3, every quantile of it is 3, and the level (mean 1.5 over both days)
    equals the window mean, so the reorder point is 3 and order-up-to 3 + 1.5 x 7."""
    assert lead_time_demand_sums(np.array([[1.0, 2.0]]), 2).tolist() == [[3.0]]
    levels = recommended_levels(np.array([[1.0, 2.0]]), 2, np.array([2]), 0.9, 7, np.ones(1), 0.5)
    assert levels.reorder_point.tolist() == [3.0]
    assert levels.order_up_to.tolist() == [3.0 + 1.5 * 7]


def test_a_row_with_one_known_value_has_that_value_as_every_quantile():
    """Bug caught: rows with a single known value skipped (counted from 2 known values),
    leaving NaN where numpy's nanquantile gives the value itself. Row 1 knows only 4;
    row 2 is 1 2 3 (median 2)."""
    values = np.array([[np.nan, np.nan, 4.0], [1.0, 2.0, 3.0]])
    assert nan_quantiles_by_row(values, 0.5).tolist() == [4.0, 2.0]
    assert nan_quantiles_by_row(values, 0.9, "higher").tolist() == [4.0, 3.0]


def test_a_young_sku_with_one_complete_sum_plans_from_it():
    """Bug caught: a young SKU whose only complete L-day sum is dropped as unknown gets a
    reorder point of 0 instead of that sum. History: unknown, 2, 3 with L = 2: the one
    known sum is 5; the level over the last 2 days (2.5) equals the known mean (2.5), so
    the scale is 1 and the reorder point 5, covering the one sum (cycle service 1)."""
    history = np.array([[np.nan, 2.0, 3.0]])
    levels = recommended_levels(history, 2, np.array([2]), 0.9, 7, np.ones(1), 0.5)
    assert levels.reorder_point.tolist() == [5.0]
    assert levels.planned_cycle_service.tolist() == [1.0]


def test_a_sku_selling_one_unit_a_day_still_gets_a_large_order_threshold():
    """Bug caught: a SKU counted as selling only on days above one unit, so one whose
    sales were all single units gets no threshold (infinity) and a later 50-unit one-off
    order passes as demand. Selling days 1 1 1: median 1, ten times that is 10, above the
    0.99 quantile (1): the threshold is 10."""
    threshold = large_order_thresholds(np.array([[1.0, 0.0, 1.0, 1.0]]), 10.0, 0.99)
    assert threshold.tolist() == [10.0]


def test_no_trading_day_yet_gives_every_sku_a_zero_level():
    """Bug caught: the level of a history with no day sized by the day count (0) instead
    of the SKU count, so the levels of two SKUs come back as an empty array."""
    assert demand_level(np.zeros((2, 0)), 28).tolist() == [0.0, 0.0]


def test_the_classic_levels_of_a_single_day_have_no_spread():
    """Bug caught: the sample standard deviation taken of a single day (ddof=1 over one
    value is NaN), so a backtest replanning from one day of history gets NaN levels. One
    day of 3 units, lead 2, review 7: reorder point 3 x 2 = 6, order-up-to 6 + 3 x 7."""
    reorder_point, order_up_to = classic_levels(np.array([[3.0]]), np.array([2]), 0.9, 7)
    assert (reorder_point.tolist(), order_up_to.tolist()) == ([6.0], [27.0])
