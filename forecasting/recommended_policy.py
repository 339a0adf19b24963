"""The planning rule of the recommended reorder policy, built from the inventory settings.

The daily reorder list (:mod:`forecasting.reorder`) and the policy backtest's
``recommended`` rows (:mod:`forecasting.policy_backtest`) plan their levels with this one
rule, so the backtest validates exactly the policy behind the list.
"""

from __future__ import annotations

from dataclasses import dataclass

from config.settings import InventorySettings

# A SKU-day is a large one-off order when it is above both the setting's multiple of the
# SKU's median selling day and this quantile of its selling days.
LARGE_ORDER_QUANTILE = 0.99
# Share of cycle service in the blended service target; the rest is fill rate.
CYCLE_WEIGHT = 0.5


@dataclass(frozen=True)
class RecommendedPolicyRule:
    """How the recommended policy plans a SKU's reorder point and order-up-to level.

    Attributes:
        level_history_days: trailing trading days whose mean is the demand level (also the
            classic policy's mean and sd window in the backtest).
        distribution_history_days: trailing trading days of the empirical lead-time demand
            and of the large-order thresholds.
        review_days: trading days of demand the order-up-to level adds above the reorder point.
        large_order_multiple: see :data:`LARGE_ORDER_QUANTILE`; None serves every order
            from stock.
    """

    level_history_days: int
    distribution_history_days: int
    review_days: int
    large_order_multiple: float | None
    large_order_quantile: float = LARGE_ORDER_QUANTILE
    cycle_weight: float = CYCLE_WEIGHT

    @classmethod
    def from_settings(cls, inventory: InventorySettings, review_days: int) -> RecommendedPolicyRule:
        """The rule of ``inventory`` with a review period of ``review_days`` trading days."""
        return cls(
            level_history_days=inventory.backtest_history_days,
            distribution_history_days=inventory.backtest_distribution_days,
            review_days=review_days,
            large_order_multiple=inventory.backtest_large_order_multiple,
        )

    def large_order_text(self) -> str:
        """The large-order rule in words, as inventory.policy_backtest reports it."""
        if self.large_order_multiple is None:
            return "none flagged: every order is served from stock"
        return (
            f"a SKU-day above {self.large_order_multiple:g}x the SKU's median selling day and its "
            f"{self.large_order_quantile * 100:g}th percentile (trailing "
            f"{self.distribution_history_days} days) is made to order, not served from stock"
        )
