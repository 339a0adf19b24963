"""The recommended policy's allocation against a plain re-derivation on small random catalogs.

The policy picks, per SKU, one candidate reorder point (a quantile of its L-day demand
sums) so that the blended planned service reaches the target at the least stock value; it
solves that as a Lagrangian, by bisection on the multiplier. The same plan comes out of a
greedy walk: each SKU starts at its cheapest candidate and moves up the lower convex hull
of its (stock value, service) points, the steepest step of any SKU first, until the blend
reaches the target. This test builds the points from the definitions alone:

- cycle service of a SKU: the share of its L-day sums the reorder point covers; blended
  over SKUs weighted by how often each orders, mean / max(mean x review days, 1) a day;
- fill rate: 1 - units short per day / units demanded per day over the catalog, a SKU
  falling short by its mean shortage per order cycle;
- blend: cycle_weight x cycle service + (1 - cycle_weight) x fill rate.
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.lib.stride_tricks import sliding_window_view

from forecasting.policy_levels import SERVICE_GRID, recommended_levels

LEAD, REVIEW, CYCLE_WEIGHT = 3, 7, 0.5


def _service_points(history: np.ndarray, unit_value: np.ndarray):
    """Per SKU and candidate: reorder point, stock value and its share of the blend."""
    sums = sliding_window_view(history, LEAD, axis=1).sum(axis=-1)
    candidates = np.quantile(sums, SERVICE_GRID, axis=1, method="higher").T
    covered = (sums[:, None, :] <= candidates[:, :, None]).mean(axis=-1)
    short = np.maximum(sums[:, None, :] - candidates[:, :, None], 0).mean(axis=-1)
    mean = history.mean(axis=1)
    orders_per_day = mean / np.maximum(mean * REVIEW, 1.0)
    share = CYCLE_WEIGHT * orders_per_day[:, None] * covered / orders_per_day.sum()
    share -= (1 - CYCLE_WEIGHT) * orders_per_day[:, None] * short / mean.sum()
    return candidates, candidates * unit_value[:, None], share


def _hull_steps(value: np.ndarray, share: np.ndarray, start: int) -> list[tuple[float, int]]:
    """(service per unit of stock value, candidate reached) up one SKU's lower hull."""
    steps, here = [], start
    while True:
        dearer = [j for j in range(len(value)) if value[j] > value[here]]
        if not dearer:
            return steps
        slopes = {j: (share[j] - share[here]) / (value[j] - value[here]) for j in dearer}
        best = max(slopes.values())
        if best <= 0:
            return steps
        here = max((j for j in dearer if slopes[j] == best), key=lambda j: value[j])
        steps.append((best, here))


def _greedy_plan(history: np.ndarray, unit_value: np.ndarray, target: float) -> np.ndarray:
    candidates, value, share = _service_points(history, unit_value)
    pick = [min(range(len(v)), key=lambda j: (v[j], -s[j])) for v, s in zip(value, share)]
    steps = sorted(
        ((slope, sku, j) for sku in range(len(pick))
         for slope, j in _hull_steps(value[sku], share[sku], pick[sku])),
        reverse=True,
    )  # fmt: skip
    for _, sku, j in steps:
        if sum(share[row, at] for row, at in enumerate(pick)) + (1 - CYCLE_WEIGHT) >= target:
            break
        pick[sku] = j
    return candidates[np.arange(len(pick)), pick]


@pytest.mark.parametrize(
    ("skus", "rate", "target"),
    [
        (12, 3.0, 0.95),  # a mixed catalog, fast and slow SKUs
        (12, 3.0, 0.8),
        (4, 0.15, 0.9),  # slow movers only, the catalog selling under 1 unit a day
    ],
)
def test_the_plan_is_the_greedy_walk_up_each_skus_service_hull(skus, rate, target):
    """Bugs caught: the bisection stopping short of the least multiplier that reaches the
    target (a plan costlier than needed), the orders per day of a slow SKU floored at 2
    instead of 1 (so its cycles weigh less), and the units demanded per day floored at 1
    for a catalog selling less (so its shortages weigh less)."""
    rng = np.random.default_rng(11)
    history = rng.poisson(rng.gamma(0.8, rate / 0.8, skus)[:, None], (skus, 90)).astype(float)
    history[:, -1] += 1  # every SKU sells: a mean above 0
    unit_value = rng.gamma(2.0, 4.0, skus)

    levels = recommended_levels(
        history, history.shape[1], np.full(skus, LEAD), target, REVIEW, unit_value, CYCLE_WEIGHT
    )

    assert levels.scale == pytest.approx(np.ones(skus))  # the level is the window mean
    assert levels.reorder_point.tolist() == _greedy_plan(history, unit_value, target).tolist()
