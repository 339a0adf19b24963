"""Recommended levels computed a block of SKUs at a time give the same levels as all at once."""

import numpy as np

from forecasting import policy_levels


def _inputs(skus: int = 7, days: int = 120):
    rng = np.random.default_rng(3)
    history = rng.poisson(rng.gamma(0.6, 3.0, skus)[:, None], (skus, days)).astype(float)
    history[:2, :90] = np.nan  # young SKUs: only sums of days since their first sale
    lead_days = np.array([5, 10, 5, 21, 10, 5, 21])[:skus]
    unit_value = rng.gamma(2.0, 4.0, skus)
    return history, lead_days, unit_value


def test_blocks_of_skus_give_the_same_levels_as_one_block(monkeypatch):
    """Catches a block loop that skips or misplaces rows (a slice off by one, a block's
    figures written to another block's SKUs): with blocks of 2 SKUs, every SKU's reorder
    point, order-up-to level and planned service must equal the one-block result."""
    history, lead_days, unit_value = _inputs()
    whole = policy_levels.recommended_levels(history, 28, lead_days, 0.95, 7, unit_value, 0.5)
    monkeypatch.setattr(policy_levels, "ROWS_AT_ONCE", 2)
    blocks = policy_levels.recommended_levels(history, 28, lead_days, 0.95, 7, unit_value, 0.5)
    for name in ("reorder_point", "order_up_to", "level", "scale", "planned_cycle_service"):
        assert np.array_equal(getattr(blocks, name), getattr(whole, name)), name


def test_blocks_cover_every_sku_when_skus_outnumber_the_lead_time_sums(monkeypatch):
    """Catches the block loop counting the L-day sums instead of the SKUs: 7 SKUs with 6
    days and a 5-day lead time have 2 sums each, so blocks of 2 would stop after the
    first block and leave five SKUs' service unset."""
    rng = np.random.default_rng(5)
    history = rng.poisson(2.0, (7, 6)).astype(float)
    args = (history, 3, np.full(7, 5), 0.9, 7, rng.gamma(2.0, 4.0, 7), 0.5)
    whole = policy_levels.recommended_levels(*args)
    monkeypatch.setattr(policy_levels, "ROWS_AT_ONCE", 2)
    blocks = policy_levels.recommended_levels(*args)
    assert np.array_equal(blocks.planned_cycle_service, whole.planned_cycle_service)
    assert np.array_equal(blocks.reorder_point, whole.reorder_point)
