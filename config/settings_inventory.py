"""Inventory settings: the reorder recommendations, purchase orders, stock risk and the
policy backtest (one section of the run settings, config/settings.py)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator

from config.settings_section import Section
from config.settings_suppliers import SupplierSettings
from config.settings_types import (
    ClassServiceLevel,
    NonNegativeFloat,
    Policy,
    PositiveFloat,
    PositiveInt,
    PositiveShare,
    ServiceLevel,
    Share,
)


class InventorySettings(Section):
    """Reorder recommendations and the policy backtest."""

    service_level: dict[Literal["A", "B", "C"], ClassServiceLevel] = Field(
        default_factory=lambda: {"A": 0.98, "B": 0.95, "C": 0.90},
        description="Target cycle service level (probability of no stockout per replenishment "
        "cycle) by ABC class, read as a quantile of the lead-time demand seen (1 covers the "
        "largest); a class left out keeps its default.",
    )
    review_period_days: PositiveInt = Field(
        7, description="How often, in days, the merchandiser places orders."
    )
    policy: Policy = Field(
        "order-up-to",
        description="Replenishment policy: order up to a target level, or economic order "
        "quantities.",
    )
    holding_cost_rate: PositiveFloat = Field(
        0.25, description="Yearly cost of holding a unit, as a share of its cost (EOQ)."
    )
    order_cost: PositiveFloat = Field(30.0, description="Fixed cost of one purchase order (EOQ).")
    budget_cap: NonNegativeFloat | None = Field(
        None,
        description="Money available for today's orders; null: no cap. When set, orders are "
        "funded in order of stockout probability x value of the lead-time demand; the rest "
        "are deferred.",
    )
    budget_customer_weight: NonNegativeFloat = Field(
        1.0,
        description="Under a budget cap an order's priority is multiplied by 1 + this weight x "
        "the SKU's share of revenue from high-value customers (high_value_customer_share), so "
        "a SKU bought only by them counts double at 1.0; 0 ranks by stockout risk x value only.",
    )
    high_value_customer_share: PositiveShare = Field(
        0.2,
        description="Share of customers counted as high-value: the top this share by CLV "
        "(marts.customers.clv), or by spend (revenue) when the shop's CLV could not be modelled.",
    )
    overstock_cover_days: PositiveInt = Field(
        90,
        description="Stock beyond this many calendar days of demand is overstock "
        "(inventory.overstock): its value at unit cost is capital tied up. Demand is the "
        "SKU's planning rate, the one the reorder list reads: its forecast where reliable, "
        "else its recent level on its own history; an overstocked SKU is never reordered.",
    )
    slow_mover_days: PositiveInt = Field(
        90,
        description="A SKU in stock with no sale in this many days is a slow mover "
        "(inventory.overstock.no_recent_sale).",
    )
    markdown_discount: Share = Field(
        0.3,
        description="Discount off the catalog unit price that moves overstock: a markdown frees "
        "excess units x unit price x (1 - this) in cash (nothing when the price is unknown).",
    )
    return_credit_share: Share | None = Field(
        None,
        description="Share of unit cost suppliers credit for returned stock; null: unknown, "
        "valued at full unit cost.",
    )
    feedback_window_days: PositiveInt = Field(
        28,
        description="Recent window of the feedback guard: its mean rating and return rate are "
        "compared with the SKU's own history before it.",
    )
    feedback_min_reviews: PositiveInt = Field(
        5,
        description="Reviews a SKU needs in the recent window, and before it, for its rating "
        "to be judged by the feedback guard.",
    )
    feedback_min_orders: PositiveInt = Field(
        10,
        description="Orders a SKU needs in the recent window, and before it, for its return "
        "rate to be judged by the feedback guard.",
    )
    feedback_standard_errors: PositiveFloat = Field(
        2.0,
        description="The feedback guard flags a SKU whose recent mean rating is more than this "
        "many standard errors below its usual mean, or whose recent return rate is as many "
        "above its usual rate: 'review before reordering'.",
    )
    backtest_budget_share: PositiveShare = Field(
        0.8,
        description="The policy backtest's budget-capped rows give the recommended policy this "
        "share of what it spent per trading day uncapped, as an open-to-buy that accrues daily, "
        "and fund orders by stockout risk x value, without and with budget_customer_weight.",
    )
    backtest_targets: tuple[ServiceLevel, ...] = Field(
        (0.80, 0.90, 0.95, 0.98),
        min_length=1,
        description="Service-level targets the policy backtest (inventory.policy_backtest) "
        "replays; the defaults are the reference setup in docs/inventory.md, so its classic "
        "row can be checked against the reference figures.",
    )
    backtest_replay_days: PositiveInt = Field(
        84, description="Trading days replayed, ending on the last demand day."
    )
    backtest_replan_every_days: PositiveInt = Field(
        28, description="Trading days between re-plans of the replayed policy."
    )
    backtest_history_days: PositiveInt = Field(
        56, description="Window of the classic mean/sd policy; the recommended demand level."
    )
    backtest_distribution_days: PositiveInt = Field(
        112, description="Window of the empirical lead-time demand and large-order thresholds."
    )
    backtest_large_order_multiple: PositiveFloat | None = Field(
        10.0,
        description="A SKU-day above this multiple of the SKU's median selling day (and its "
        "99th percentile) is made to order, not served from stock, under both policies; "
        "null: all from stock.",
    )

    # Supplier terms assumed for every SKU when the shop sends no catalog feed: the reorder
    # levels still need a lead time and a cost, and each row says its terms are assumed.
    assumed_lead_time_days: PositiveFloat = Field(
        14.0,
        description="Lead time in calendar days assumed for every SKU when no catalog is "
        "loaded; the reorder rows built on it are flagged catalog_assumed.",
    )
    assumed_unit_cost: PositiveFloat = Field(
        1.0,
        description="Unit cost assumed for every SKU when no catalog is loaded: equal costs "
        "allocate service by units, and order values are in these units, not money.",
    )
    assumed_moq: PositiveInt = Field(
        1, description="Minimum order quantity assumed for every SKU when no catalog is loaded."
    )
    assumed_pack_size: PositiveInt = Field(
        1, description="Pack size assumed for every SKU when no catalog is loaded."
    )
    suppliers: SupplierSettings = Field(
        default_factory=SupplierSettings,
        description="Suppliers and their purchase-order terms (minimum order, order days).",
    )

    @field_validator("service_level", mode="before")
    @classmethod
    def _service_level_over_default(cls, value: Any) -> Any:
        return cls.over_default("service_level", value)
