"""The inventory replay worked by hand: orders at the reorder point up to the order-up-to
level, deliveries after the lead time, whole units, and the edges of no demand, no days and
inverted levels."""

import math

import numpy as np
import pytest

from forecasting.policy_replay import replay_policy


def _constant(value, days=6):
    return np.full((1, days), float(value))


def test_replay_by_hand():
    # one SKU, 3 a day, lead time 2, reorder at <= 4 up to 8, 8 on hand at the start
    result = replay_policy(
        demand=_constant(3),
        reorder_point=_constant(4),
        order_up_to=_constant(8),
        lead_days=np.array([2]),
        unit_value=np.array([2.0]),
        initial_on_hand=np.array([8.0]),
    )
    # day 0: 8 -> 5. day 1: 5 -> 2, order 6 (due day 3). day 2: 2 served, 1 lost -> 0.
    # day 3: +6 (closes cycle days 0-2, which stocked out) -> 3, order 5 (due day 5).
    # day 4: 3 -> 0. day 5: +5 (closes cycle days 3-4, no stockout) -> 2, order 6 (due after the end).
    assert result.demanded == 18
    assert result.served == 17
    assert result.fill_rate == pytest.approx(17 / 18)
    assert (result.cycles, result.cycles_without_stockout) == (2, 1)
    assert result.cycle_service_level == 0.5
    assert result.stockout_days == 1
    assert result.orders_placed == 3
    # closing stock 5, 2, 0, 3, 0, 2 units at 2.0 each over 6 days
    assert result.avg_inventory_value == pytest.approx(24 / 6)
    # orders of 6, 5 and 6 units at 2.0 each
    assert result.order_value == pytest.approx(34.0)


def test_a_replay_without_demand_or_with_inverted_levels():
    """Bugs caught: a fill rate of 0 / 0 raising (ZeroDivisionError) instead of being
    undefined for a SKU nobody asked for; levels whose order-up-to lies below the reorder
    point counting the negative "order" up to them as money spent (a credit)."""
    idle = replay_policy(
        _constant(0), _constant(1), _constant(2), np.array([1]), np.array([1.0]), np.array([5.0])
    )
    assert idle.demanded == 0 and math.isnan(idle.fill_rate)
    inverted = replay_policy(
        _constant(0, 2),
        _constant(4, 2),
        _constant(2, 2),
        np.array([1]),
        np.array([1.0]),
        np.array([3.0]),
    )
    assert (inverted.orders_placed, inverted.order_value) == (0, 0.0)


def test_replay_orders_and_delivers_single_units():
    """Bugs caught: an order of exactly 1 unit not placed (ordering only above 1 unit), a
    delivery of 1 unit not closing a replenishment cycle, and the fill rate left undefined
    for a replay whose whole demand is 1 unit or less.

    1 a day, reorder point 0, order-up-to 1, lead 1, 1 on hand: each day sells its unit and
    orders 1 more, delivered the next morning (closing the cycle before it, no stockout)."""
    result = replay_policy(
        _constant(1, 3),
        _constant(0, 3),
        _constant(1, 3),
        np.array([1]),
        np.array([1.0]),
        np.ones(1),
    )
    assert (result.orders_placed, result.order_value, result.served) == (3, 3.0, 3.0)
    assert (result.cycles, result.cycle_service_level, result.stockout_days) == (2, 1.0, 0)
    one_unit = replay_policy(
        _constant(0.5, 2),
        _constant(0, 2),
        _constant(1, 2),
        np.array([1]),
        np.array([1.0]),
        np.ones(1),
    )
    assert (one_unit.demanded, one_unit.fill_rate) == (1.0, 1.0)


def test_a_replay_of_no_days_holds_no_stock():
    """Bug caught: a replay without a day averaging a stock value of 1 or -1 instead of 0
    (there is no day to average over)."""
    empty = np.zeros((1, 0))
    result = replay_policy(empty, empty, empty, np.array([1]), np.array([1.0]), np.ones(1))
    assert (result.avg_inventory_value, result.demanded, result.orders_placed) == (0.0, 0.0, 0)


def test_replay_orders_whole_units_and_checks_shapes():
    result = replay_policy(
        _constant(0.5, 3),
        _constant(1.0, 3),
        _constant(2.2, 3),
        np.array([1]),
        np.array([1.0]),
        np.array([0.0]),
    )
    # day 0: nothing on hand, 0.5 lost; position 0 -> order ceil(2.2) = 3, arrives day 1
    assert result.served == pytest.approx(1.0)
    assert result.orders_placed == 1
    with pytest.raises(ValueError, match="must match demand"):
        replay_policy(
            _constant(1, 3),
            _constant(1, 2),
            _constant(2, 3),
            np.array([1]),
            np.array([1.0]),
            np.array([0.0]),
        )
    with pytest.raises(ValueError, match="lead_days must be >= 1"):
        replay_policy(
            _constant(1, 3),
            _constant(1, 3),
            _constant(2, 3),
            np.array([0]),
            np.array([1.0]),
            np.array([0.0]),
        )
