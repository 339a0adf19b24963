"""The recommended reorder point worked by hand on one SKU, where cycle service, fill rate
and their blend pick different quantiles of the lead-time demand.

History (8 days): 0 3 0 1 0 0 5 1, lead time 2 days, so the seven 2-day sums are
3 3 1 1 0 5 6 (sorted 0 1 1 3 3 5 6). The candidate reorder points (SERVICE_GRID quantiles,
method "higher") are 0, 3, 5 and 6; they cover 1/7, 5/7, 6/7 and 7/7 of the sums (cycle
service) and leave mean shortages of 19/7, 5/7, 1/7 and 0.
- Mean daily demand 10/8 = 1.25; the SKU orders 1.25 / (1.25 x 7 review days) = 1/7 times a
  day, so its fill rate at a candidate is 1 - (1/7 x shortage) / 1.25 = 1 - shortage / 8.75:
  0.690, 0.918, 0.984, 1.
- The level is the mean of the last 4 days (0 0 5 1) = 1.5, so the chosen sum is scaled by
  1.5 / 1.25 = 1.2 and the order-up-to level adds 1.5 x 7 = 10.5.
- The least-cost pick reaching a target walks the lower convex hull of (cost, service): 5
  is off the cycle-service hull (from 3, going to 6 buys more service per unit than 5
  does), so a cycle target above 5/7 jumps to 6.
"""

from __future__ import annotations

import numpy as np
import pytest

from config.settings import InventorySettings
from forecasting.policy_levels import recommended_levels
from forecasting.recommended_policy import RecommendedPolicyRule

HISTORY = np.array([[0.0, 3.0, 0.0, 1.0, 0.0, 0.0, 5.0, 1.0]])


def plan(target: float, cycle_weight: float):
    return recommended_levels(HISTORY, 4, np.array([2]), target, 7, np.array([1.0]), cycle_weight)


@pytest.mark.parametrize(
    ("cycle_weight", "target", "chosen_sum", "cycle_service"),
    [
        (1.0, 0.70, 3, 5 / 7),  # cycle service 5/7 = 0.714 reaches 0.70
        (1.0, 0.90, 6, 1.0),  # 6/7 = 0.857 does not reach 0.90
        (0.0, 0.90, 3, 5 / 7),  # fill rate 0.918 at 3 does
        (0.0, 0.95, 5, 6 / 7),  # fill rate 0.984 at 5; 0.918 at 3 does not
        (0.5, 0.80, 3, 5 / 7),  # blend (5/7 + 0.918) / 2 = 0.816
        (0.5, 0.85, 6, 1.0),  # blend at 5 would be 0.920, but 5 is off the hull: 6
    ],
)
def test_the_target_picks_the_hand_worked_quantile(cycle_weight, target, chosen_sum, cycle_service):
    """Bugs caught: the blend's weights swapped (cycle service where fill rate is meant),
    the fill rate's shortage or its ordering frequency written otherwise (1 - shortage /
    mean, no review days), a quantile taken with another method, the scale left out (level
    / mean, here 1.2) or the level taken over the whole history instead of its last days."""
    levels = plan(target, cycle_weight)
    assert levels.reorder_point[0] == pytest.approx(chosen_sum * 1.2)
    assert levels.order_up_to[0] == pytest.approx(chosen_sum * 1.2 + 1.5 * 7)
    assert (levels.level[0], levels.scale[0]) == pytest.approx((1.5, 1.2))
    assert levels.planned_cycle_service[0] == pytest.approx(cycle_service)


def test_the_recommended_rule_blends_cycle_service_and_fill_rate_half_and_half():
    """Bug: the recommended policy's blend weighted otherwise than half and half. At target
    0.80 the blend at 3 is (5/7 + 0.918) / 2 = 0.816: 3; a cycle-heavy weight (1, or 1.5:
    1.5 x 5/7 - 0.5 x 0.918 = 0.612) needs 6. At 0.85 it needs 6 (5 is off the hull);
    fill rate alone would stop at 3 (0.918)."""
    rule = RecommendedPolicyRule.from_settings(InventorySettings(), review_days=7)
    assert plan(0.80, rule.cycle_weight).reorder_point[0] == pytest.approx(3 * 1.2)
    assert plan(0.85, rule.cycle_weight).reorder_point[0] == pytest.approx(6 * 1.2)


# Five days 1 0 2 0 3, lead time 2: the four 2-day sums 1 2 2 3, whose candidates 1, 2 and
# 3 cover exactly 1/4, 3/4 and 4/4 of them (binary fractions: no rounding in the blend).
FOUR_SUMS = np.array([[1.0, 0.0, 2.0, 0.0, 3.0]])


def _cycle_plan(history, target, unit_value):
    lead_days = np.full(history.shape[0], 2)
    return recommended_levels(history, 5, lead_days, target, 7, unit_value, 1.0)


def test_a_target_met_exactly_picks_the_candidate_that_meets_it():
    """Bug caught: "reaches the target" read as strictly above it, so a target of 0.75 met
    exactly by the reorder point 2 (3 of 4 sums) buys the next one, 3."""
    assert _cycle_plan(FOUR_SUMS, 0.75, np.ones(1)).reorder_point.tolist() == [2.0]


def test_cheap_units_still_get_the_least_stock_reaching_the_target():
    """Bug caught: the search for the service multiplier starting at 1 instead of 0, so
    when stock is cheap (units of 0.001) every multiplier it tries buys full service: the
    reorder point 3 where 2 reaches the 0.75 target."""
    assert _cycle_plan(FOUR_SUMS, 0.75, np.array([0.001])).reorder_point.tolist() == [2.0]


def test_a_sku_whose_units_cost_nothing_gets_full_service():
    """Bug caught: the multiplier search reaching below 0, where stock that costs nothing
    is planned at its lowest candidate (1) though its highest (3) costs no more. The
    second SKU (units of 1, the same sums) makes the target of 0 met by any plan."""
    history = np.vstack([FOUR_SUMS, FOUR_SUMS])
    levels = _cycle_plan(history, 0.0, np.array([0.0, 1.0]))
    assert levels.reorder_point.tolist() == [3.0, 1.0]
