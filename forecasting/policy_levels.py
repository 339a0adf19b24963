"""Reorder levels the policy backtest replays: the classic formula and our recommended policy.

Both take a trailing history (SKUs x trading days, already cleansed of large one-off
orders, see :func:`large_order_thresholds`) and return one reorder point and one
order-up-to level per SKU. Both order up to ``reorder point + mean daily demand x review
days``, so they differ only in where the reorder point sits.

- classic: reorder point = mean x L + z x sd x sqrt(L), mean and sd of daily demand over
  the trailing level window (``inventory.backtest_history_days``, zeros included), z the
  normal quantile of the target. Every SKU gets the same z.
- recommended: the lead-time demand distribution is empirical: the sums of every run of
  L consecutive days in the trailing ``inventory.backtest_distribution_days``. Demand here
  is intermittent and skewed, so a normal curve puts the quantiles in the wrong place. The
  reorder point of a SKU is one of that distribution's quantiles (candidates in
  ``SERVICE_GRID``); which one is chosen per SKU so that the blended planned service,
  ``cycle_weight`` x cycle service + (1 - cycle_weight) x fill rate over all SKUs, reaches
  the target at the least stock value. That is the Lagrangian of "minimise sum of
  unit value x reorder point subject to blended service >= target", solved by bisection
  on the multiplier: cheap, fast-moving SKUs get high service, a dear slow one less.
  Planned cycle service of a SKU is P(L-day demand <= reorder point), its planned shortage
  the mean of (L-day demand - reorder point)+, both over the empirical sums; a SKU orders
  about mean / max(mean x review days, 1) times a day, which weights its cycles.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from scipy.stats import norm

SERVICE_GRID = np.array(
    [0.0, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.925, 0.95, 0.96, 0.97, 0.98, 0.99, 0.995, 1.0]
)
BISECTION_STEPS = 50
# SKUs whose L-day sums are compared with the candidates at once (memory, not results).
ROWS_AT_ONCE = 1_000


def nan_quantiles_by_row(
    values: np.ndarray, quantiles: float | np.ndarray, method: str = "linear"
) -> np.ndarray:
    """``np.nanquantile(values, quantiles, axis=1, method=method)``, the same numbers fast.

    numpy's nanquantile along an axis calls a Python function per row (per SKU here).
    Rows with the same count of known values are one dense block once sorted (NaN sorts
    last), and ``np.quantile`` takes a whole block in one call with the same arithmetic
    per row. A row with no known value gives NaN, as nanquantile does.

    Returns:
        Shape ``np.shape(quantiles) + (rows,)``.
    """
    quantiles = np.asarray(quantiles, dtype=float)
    result = np.full(quantiles.shape + (values.shape[0],), np.nan)
    counts = (~np.isnan(values)).sum(axis=1)
    ordered = np.sort(values, axis=1)
    for count in np.unique(counts[counts > 0]):
        rows = counts == count
        result[..., rows] = np.quantile(ordered[rows, :count], quantiles, axis=1, method=method)
    return result


def large_order_thresholds(
    history: np.ndarray, median_multiple: float, quantile: float
) -> np.ndarray:
    """Per SKU, the daily demand above which a day is a large one-off order.

    A day is large when it exceeds both ``median_multiple`` x the median of the SKU's
    days with demand and the ``quantile`` of those days, in the trailing history. A SKU
    with no demand in the history has no threshold (infinity): nothing is flagged.

    Args:
        history: units per SKU (rows) and trading day (columns) before the plan day.
        median_multiple: e.g. 10: ten times a usual selling day.
        quantile: e.g. 0.99 of the SKU's selling days.

    Returns:
        One threshold per SKU (units; inf where there were no sales).
    """
    selling = np.where(history > 0, history, np.nan)
    has_sales = (history > 0).any(axis=1)
    threshold = np.full(history.shape[0], np.inf)
    if has_sales.any():
        rows = selling[has_sales]
        threshold[has_sales] = np.maximum(
            median_multiple * np.nanmedian(rows, axis=1), nan_quantiles_by_row(rows, quantile)
        )
    return threshold


def classic_levels(
    history: np.ndarray, lead_days: np.ndarray, target: float, review_days: int
) -> tuple[np.ndarray, np.ndarray]:
    """Reorder point mean x L + z x sd x sqrt(L) and order-up-to = that + mean x review days.

    Args:
        history: trailing daily units per SKU (rows); sd is the sample sd (ddof 1).
        lead_days: lead time per SKU in days.
        target: the cycle service level z is taken for.
        review_days: days of demand the order-up-to level adds above the reorder point.

    Returns:
        (reorder_point, order_up_to) per SKU.
    """
    mean = history.mean(axis=1)
    sd = history.std(axis=1, ddof=1) if history.shape[1] > 1 else np.zeros(history.shape[0])
    reorder_point = mean * lead_days + norm.ppf(target) * sd * np.sqrt(lead_days)
    return reorder_point, reorder_point + mean * review_days


def lead_time_demand_sums(history: np.ndarray, lead_days: int) -> np.ndarray:
    """Every sum of ``lead_days`` consecutive days per SKU: SKUs x (days - lead_days + 1)."""
    if history.shape[1] < lead_days:
        raise ValueError(
            f"the history holds {history.shape[1]} days, fewer than the {lead_days}-day lead time; "
            "start the replay later or shorten inventory.backtest_distribution_days"
        )
    return sliding_window_view(history, lead_days, axis=1).sum(axis=-1)


@dataclass(frozen=True)
class RecommendedLevels:
    """What :func:`recommended_levels` plans, per SKU (arrays in the history's row order).

    Attributes:
        reorder_point: the chosen quantile of L-day demand, scaled to the recent level.
        order_up_to: reorder point + level x review days.
        level: mean daily demand over the recent ``level_history_days`` (units per day).
        scale: level / mean daily demand over the whole distribution window (1 without sales):
            the factor the empirical L-day sums are scaled by.
        planned_cycle_service: share of the empirical L-day sums the reorder point covers,
            P(L-day demand <= reorder point) (the scale cancels out).
    """

    reorder_point: np.ndarray
    order_up_to: np.ndarray
    level: np.ndarray
    scale: np.ndarray
    planned_cycle_service: np.ndarray


def _known_sums(history: np.ndarray, lead_days: int) -> np.ndarray:
    """:func:`lead_time_demand_sums`, or one unknown (NaN) sum per SKU when the window is
    shorter than the lead time (the daily list of a young shop): no run of L days is known."""
    if history.shape[1] < lead_days:
        return np.full((history.shape[0], 1), np.nan)
    return lead_time_demand_sums(history, lead_days)


def demand_level(history: np.ndarray, level_history_days: int) -> np.ndarray:
    """Each SKU's demand level: mean units per day over the last ``level_history_days`` of
    ``history`` (SKUs x days), unknown days (NaN) left out; 0 for a SKU with no known day."""
    if not history.shape[1]:
        return np.zeros(history.shape[0])
    with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # "mean of empty slice": no known day
        return np.nan_to_num(np.nanmean(history[:, -level_history_days:], axis=1))


def recommended_levels(
    history: np.ndarray,
    level_history_days: int,
    lead_days: np.ndarray,
    target: float | np.ndarray,
    review_days: int,
    unit_value: np.ndarray,
    cycle_weight: float,
) -> RecommendedLevels:
    """Reorder point from the empirical lead-time demand, service allocated by value.

    The quantile chosen on the long window is scaled by the recent level over the window
    mean, so the shape of demand comes from the long window and its level from the recent one.

    Args:
        history: trailing daily units per SKU (the distribution window, cleansed); NaN
            marks a day before a SKU's first sale (the daily list's young SKUs): only sums
            of known days count, and a SKU with none plans L x its level.
        level_history_days: the last days of ``history`` whose mean is the demand level
            (the same window the classic policy uses).
        lead_days: lead time per SKU in days (SKUs are grouped by lead time).
        target: planned blended service (see the module docstring): one for all SKUs, or one
            per SKU; SKUs sharing a target are allocated together (the daily list passes its
            ABC class's target, so each class reaches its own target at least stock value).
        review_days: days of demand the order-up-to level adds above the reorder point.
        unit_value: value of one unit per SKU (what stock costs to hold).
        cycle_weight: share of cycle service in the blend; the rest is fill rate.

    Returns:
        The levels per SKU (:class:`RecommendedLevels`).
    """
    n_skus = history.shape[0]
    lead_days = np.broadcast_to(np.asarray(lead_days, dtype=np.int64), (n_skus,))
    targets = np.broadcast_to(np.asarray(target, dtype=float), (n_skus,))
    with np.errstate(invalid="ignore", divide="ignore"):  # all-unknown rows give NaN, set below
        mean = np.nan_to_num(np.nanmean(history, axis=1)) if history.shape[1] else np.zeros(n_skus)
    level = demand_level(history, level_history_days)
    candidates, covered, shortage = _candidate_service(history, lead_days, level)
    pick = np.zeros(n_skus, dtype=np.int64)
    for value in np.unique(targets):
        group = targets == value
        pick[group] = _allocate(
            candidates[group] * np.asarray(unit_value, dtype=float)[group, None],
            covered[group],
            shortage[group],
            mean[group],
            review_days,
            float(value),
            cycle_weight,
        )
    rows = np.arange(n_skus)
    scale = np.where(mean > 0, level / np.maximum(mean, 1e-12), 1.0)
    reorder_point = candidates[rows, pick] * scale
    return RecommendedLevels(
        reorder_point=reorder_point,
        order_up_to=reorder_point + level * review_days,
        level=level,
        scale=scale,
        planned_cycle_service=covered[rows, pick],
    )


def _candidate_service(
    history: np.ndarray, lead_days: np.ndarray, level: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per SKU and ``SERVICE_GRID`` quantile: the candidate reorder point (unscaled), the
    share of L-day sums it covers and its mean shortage over them (SKUs x grid each)."""
    candidates = np.zeros((history.shape[0], len(SERVICE_GRID)))
    covered = np.zeros_like(candidates)
    shortage = np.zeros_like(candidates)
    for lead in np.unique(lead_days):  # a handful of supplier lead times, not one per SKU
        group = lead_days == lead
        sums = _known_sums(history[group], int(lead))
        valid = ~np.isnan(sums)
        counted = valid.sum(axis=1)
        if valid.all():  # the backtest's matrices: no unknown days, the fast exact path
            grid = np.quantile(sums, SERVICE_GRID, axis=1, method="higher").T
        else:  # a young SKU: only sums of days since its first sale; none: L x its level
            with warnings.catch_warnings():  # a SKU with no complete sum: handled below
                warnings.simplefilter("ignore", RuntimeWarning)
                grid = np.nan_to_num(nan_quantiles_by_row(sums, SERVICE_GRID, "higher").T)
            grid[counted == 0] = (level[group] * lead)[counted == 0, None]
            sums = np.where(valid, sums, -np.inf)  # never above a candidate, no shortage
        candidates[group] = grid
        covered[group], shortage[group] = _covered_and_shortage(sums, valid, counted, grid)
    return candidates, covered, shortage


def _covered_and_shortage(
    sums: np.ndarray, valid: np.ndarray, counted: np.ndarray, grid: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per SKU and candidate of ``grid``: the share of its L-day ``sums`` the candidate
    covers and the mean shortage over them, ``ROWS_AT_ONCE`` SKUs at a time.

    Comparing every sum with every candidate takes SKUs x candidates x sums values; in
    blocks of SKUs that stays a few hundred MB however large the catalog (each SKU's
    figures are its own, so the blocks give the same bits)."""
    covered = np.empty(grid.shape)
    shortage = np.empty(grid.shape)
    for first in range(0, sums.shape[0], ROWS_AT_ONCE):
        rows = slice(first, first + ROWS_AT_ONCE)
        block, candidates = sums[rows, None, :], grid[rows, :, None]
        share = 1 / np.maximum(counted[rows], 1)[:, None]
        covered[rows] = np.where(
            counted[rows, None] > 0,
            ((block <= candidates) & valid[rows, None, :]).sum(axis=-1) * share,
            1.0,
        )
        shortage[rows] = np.maximum(block - candidates, 0.0).sum(axis=-1) * share
    return covered, shortage


def _allocate(
    cost: np.ndarray,
    covered: np.ndarray,
    shortage: np.ndarray,
    mean: np.ndarray,
    review_days: int,
    target: float,
    cycle_weight: float,
) -> np.ndarray:
    """Index into ``SERVICE_GRID`` per SKU: the least-cost picks whose blended service >= target."""
    cycles_per_day = mean / np.maximum(mean * review_days, 1.0)
    gain = cycle_weight * cycles_per_day[:, None] * covered / max(cycles_per_day.sum(), 1e-12)
    gain -= (1 - cycle_weight) * cycles_per_day[:, None] * shortage / max(mean.sum(), 1e-12)
    rows = np.arange(cost.shape[0])

    def choose(multiplier: float) -> tuple[np.ndarray, float]:
        pick = np.argmin(cost - multiplier * gain, axis=1)
        return pick, float(gain[rows, pick].sum()) + (1 - cycle_weight)

    low, high = 0.0, 1.0
    while choose(high)[1] < target and high < 1e18:
        high *= 4
    for _ in range(BISECTION_STEPS):
        middle = (low + high) / 2
        low, high = (low, middle) if choose(middle)[1] >= target else (middle, high)
    return choose(high)[0]


def lead_time_exceedance(
    history: np.ndarray, lead_days: np.ndarray, scale: np.ndarray, position: np.ndarray
) -> np.ndarray:
    """P(L-day demand > position) per SKU over the empirical L-day sums scaled by ``scale``.

    Args:
        history: the same cleansed distribution window :func:`recommended_levels` planned from.
        lead_days: lead time per SKU in days.
        scale: :attr:`RecommendedLevels.scale` (level over the window mean).
        position: inventory position per SKU (on hand + on order).

    Returns:
        The share of scaled L-day sums above the position, per SKU (NaN days left out;
        NaN when a SKU has no complete L-day sum).
    """
    lead_days = np.broadcast_to(np.asarray(lead_days, dtype=np.int64), (history.shape[0],))
    probability = np.zeros(history.shape[0])
    for lead in np.unique(lead_days):
        group = lead_days == lead
        sums = _known_sums(history[group], int(lead)) * scale[group, None]
        counted = (~np.isnan(sums)).sum(axis=1)
        above = (sums > position[group, None]).sum(axis=1)  # NaN is never above
        probability[group] = np.where(counted > 0, above / np.maximum(counted, 1), np.nan)
    return probability
