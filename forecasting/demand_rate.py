"""The one demand rate per SKU that stock is planned on: units per calendar day.

The reorder list (forecasting/reorder.py) and the overstock table (forecasting/overstock.py)
both read this rate, so "days of cover", "stock beyond N days of cover" and "order now"
never measure a SKU's stock against two different demands:

- a SKU with a forecast worth planning on (no ``reliability_reason`` on its forecast rows):
  its forecast units after the as-of day up to its last forecast day, divided by the
  calendar days in between (basis "forecast");
- a SKU without one (the forecast lost to forecasting zero or seasonal naive), or without
  a forecast at all: its recent level on its own history, the mean units per trading day
  over the last ``inventory.backtest_history_days`` known trading days with large one-off
  orders removed (the level its reorder point, its min, is planned from), times trading
  days per week / 7 (basis "own history").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import polars as pl

from config.settings import InventorySettings
from forecasting.policy_levels import demand_level
from forecasting.recommended_policy import RecommendedPolicyRule
from forecasting.reorder_inputs import demand_history, review_trading_days

RATE_SCHEMA: dict[str, pl.DataType] = {
    "sku": pl.String(),
    "daily_demand": pl.Float64(),  # units per calendar day
    "demand_basis": pl.String(),  # BASIS_FORECAST or BASIS_HISTORY
}
BASIS_FORECAST = "forecast"
BASIS_HISTORY = "own history"


def forecast_daily_demand(forecast: pl.DataFrame, as_of: dt.date) -> pl.DataFrame:
    """Mean forecast units per calendar day after ``as_of``, per SKU (sku, daily_demand)."""
    future = forecast.filter(pl.col("day") > as_of)
    return future.group_by("sku").agg(
        (
            pl.col("forecast").sort_by("day").sum()
            / (pl.col("day").max() - pl.lit(as_of)).dt.total_days()
        ).alias("daily_demand")
    )


def history_daily_demand(
    history: pl.DataFrame,
    skus: list[str],
    as_of: dt.date,
    rule: RecommendedPolicyRule,
    trading_weekdays: Sequence[int],
) -> pl.DataFrame:
    """Each SKU's recent level on its own history, per calendar day (sku, daily_demand).

    0 for a SKU without sales in the history, or when there is no history up to ``as_of``.
    """
    level = np.zeros(len(skus))
    if skus and not history.filter(pl.col("day") <= as_of).is_empty():
        level = demand_level(demand_history(history, skus, as_of, rule), rule.level_history_days)
    per_calendar_day = level * len(set(trading_weekdays)) / 7
    return pl.DataFrame(
        {"sku": skus, "daily_demand": per_calendar_day},
        schema={"sku": pl.String, "daily_demand": pl.Float64},
    )


def planning_demand_rate(
    forecast: pl.DataFrame,
    history: pl.DataFrame,
    skus: list[str],
    as_of: dt.date,
    inventory: InventorySettings,
    trading_weekdays: Sequence[int],
) -> pl.DataFrame:
    """The demand rate each of ``skus`` is planned on (module docstring).

    Args:
        forecast: forecasts.demand_forecast rows: sku, day, forecast; optional
            reliability_reason (null, or the column missing: the forecast is planned on).
        history: marts.sku_demand_daily on trading days: sku, day, units.
        skus: the SKUs to rate.
        as_of: the day the stock was counted.
        inventory: the inventory settings (the level window ``backtest_history_days`` and
            the large-order rule of :class:`RecommendedPolicyRule`).
        trading_weekdays: ISO weekdays the shop trades (1 = Monday).

    Returns:
        One row per SKU of ``skus`` with the columns of ``RATE_SCHEMA``, in ``skus`` order.
    """
    unreliable = (
        forecast.filter(pl.col("reliability_reason").is_not_null())["sku"].unique()
        if "reliability_reason" in forecast.columns
        else pl.Series("sku", [], pl.String)
    )
    by_forecast = forecast_daily_demand(
        forecast.filter(~pl.col("sku").is_in(unreliable.implode())), as_of
    ).with_columns(pl.lit(BASIS_FORECAST).alias("demand_basis"))
    forecast_skus = set(by_forecast["sku"].to_list())
    rest = [sku for sku in skus if sku not in forecast_skus]
    rule = RecommendedPolicyRule.from_settings(
        inventory, review_trading_days(inventory.review_period_days, trading_weekdays)
    )
    by_history = history_daily_demand(history, rest, as_of, rule, trading_weekdays).with_columns(
        pl.lit(BASIS_HISTORY).alias("demand_basis")
    )
    rates = pl.concat([by_forecast, by_history], how="vertical_relaxed")
    return (
        pl.DataFrame({"sku": skus}, schema={"sku": pl.String})
        .join(rates, on="sku", how="left", maintain_order="left")
        .select(pl.col(name).cast(dtype) for name, dtype in RATE_SCHEMA.items())
    )
