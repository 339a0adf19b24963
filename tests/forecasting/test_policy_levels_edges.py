"""The recommended and classic levels at the edges of a short or thin history, by hand.

Each case is a SKU or two and a few days whose lead-time sums, quantiles and thresholds
can be read off the history directly.
"""

from __future__ import annotations

import numpy as np
import pytest

from forecasting.policy_levels import (
    classic_levels,
    demand_level,
    large_order_thresholds,
    lead_time_demand_sums,
    lead_time_exceedance,
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


def test_a_history_of_exactly_the_lead_time_plans_from_its_one_sum_scaled_to_the_level():
    """Bug caught: a history of exactly L days taken for one too short, so its one L-day
    sum (3) is dropped and the SKU plans L x its level instead. Days 1 and 2, L = 2, the
    level over the last day (2) above the window mean (1.5): the sum 3 scaled by 2 / 1.5
    is 4, where L x level would give 4 x 4/3."""
    levels = recommended_levels(np.array([[1.0, 2.0]]), 1, np.array([2]), 0.9, 7, np.ones(1), 0.5)
    assert levels.reorder_point[0] == pytest.approx(4.0)
    assert levels.scale[0] == pytest.approx(4 / 3)


def test_the_classic_spread_of_two_days_is_their_sample_deviation():
    """Bug caught: the spread taken only from three days on, so two days (1 and 3, sample
    sd sqrt(2)) plan no safety stock. Lead 4: mean 2 x 4 + z(0.9) x sqrt(2) x 2."""
    reorder_point, _ = classic_levels(np.array([[1.0, 3.0]]), np.array([4]), 0.9, 7)
    assert reorder_point[0] == pytest.approx(8 + 1.2815515655 * np.sqrt(2) * 2)


def test_lead_time_sums_of_a_history_shorter_than_the_lead_time_name_both():
    """Bug caught: the error counting SKUs (2) instead of days (3), sending the user to a
    history that is long enough."""
    with pytest.raises(ValueError, match="the history holds 3 days, fewer than the 5-day lead"):
        lead_time_demand_sums(np.ones((2, 3)), 5)


def test_the_scale_is_one_without_sales_and_level_over_mean_for_a_slow_sku():
    """Bugs caught: a SKU without sales given a scale of 0 or 2 (documented as 1), and the
    mean floored at 1 unit a day before dividing, so a slow SKU (mean 0.25 a day over the
    window, 0.5 over the last 2 days) is scaled by 0.5 instead of 2."""
    history = np.array([[0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 1.0]])
    levels = recommended_levels(history, 2, np.array([2, 2]), 0.9, 7, np.ones(2), 0.5)
    assert levels.scale.tolist() == pytest.approx([1.0, 2.0])


def test_a_sku_without_a_complete_lead_time_sum_plans_full_cycle_service():
    """Bug caught: a young SKU with no complete L-day sum (2 known days, L = 3) counted as
    covering none of its sums (service 0), where it has none to miss: it plans L x level
    (3 x 1.5) at a cycle service of 1."""
    history = np.array([[np.nan, 1.0, 2.0]])
    levels = recommended_levels(history, 2, np.array([3]), 0.9, 7, np.ones(1), 1.0)
    assert levels.reorder_point[0] == pytest.approx(4.5)
    assert levels.planned_cycle_service.tolist() == [1.0]


def test_the_stockout_chance_over_a_single_lead_time_sum_is_that_sum_against_the_position():
    """Bugs caught: a SKU with one complete L-day sum given no stockout chance (NaN, as if
    it had none) or half a count (0.5) where its one sum, 3, is above the position 2: 1."""
    probability = lead_time_exceedance(np.array([[1.0, 2.0]]), 2, np.ones(1), np.array([2.0]))
    assert probability.tolist() == [1.0]
