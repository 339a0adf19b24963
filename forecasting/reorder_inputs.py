"""Inputs of the reorder policy: the SKUs that can be ordered, their demand history and forecast.

Both are steps of :func:`forecasting.reorder.reorder_recommendations`; its module docstring
describes the method.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import numpy as np
import polars as pl

from config.settings import InventorySettings
from forecasting.policy_levels import large_order_thresholds
from forecasting.recommended_policy import RecommendedPolicyRule
from forecasting.trading_calendar import count_trading_days, trading_days_after


def assumed_catalog(products: pl.DataFrame, inventory: InventorySettings) -> pl.DataFrame:
    """A catalog for a shop that sends none: every product gets the assumed supplier terms.

    Args:
        products: sku, description: the products sold (they cannot be ordered otherwise).
        inventory: the settings inventory.assumed_lead_time_days, assumed_unit_cost,
            assumed_moq and assumed_pack_size.

    Returns:
        staging.stg_catalog's columns the reorder policy reads, with catalog_assumed true.
    """
    return products.select("sku", "description").with_columns(
        pl.lit(inventory.assumed_unit_cost, pl.Float64).alias("unit_cost"),
        pl.lit(inventory.assumed_lead_time_days, pl.Float64).alias("lead_time_days"),
        pl.lit(0.0, pl.Float64).alias("lead_time_std_days"),
        pl.lit(inventory.assumed_moq, pl.Int64).alias("moq"),
        pl.lit(inventory.assumed_pack_size, pl.Int64).alias("pack_size"),
        pl.lit(True).alias("is_product"),
        pl.lit(True).alias("catalog_assumed"),
    )


def orderable_skus(
    forecast: pl.DataFrame,
    catalog: pl.DataFrame,
    inventory_position: pl.DataFrame | None,
    abc: pl.DataFrame,
    service_level_by_class: Mapping[str, float],
) -> pl.DataFrame:
    """One row per orderable SKU with everything the policy needs, defaults filled.

    Without an inventory position (None: the shop sends no stock counts) every SKU with a
    catalog row is kept, its on_hand and on_order null.
    """
    unknown = sorted(
        (set(abc["abc_class"].drop_nulls().unique()) | {"C"}) - set(service_level_by_class)
    )
    if unknown:
        raise ValueError(
            f"no service level for ABC class(es) {unknown}; add them to inventory.service_level"
        )
    defaults = {
        "is_product": (True, pl.Boolean),
        "moq": (1, pl.Int64),
        "pack_size": (1, pl.Int64),
        "lead_time_std_days": (0.0, pl.Float64),
        "catalog_assumed": (False, pl.Boolean),
    }
    products = (
        catalog.with_columns(
            (pl.col(name) if name in catalog.columns else pl.lit(None))
            .cast(dtype)
            .fill_null(default)
            .alias(name)
            for name, (default, dtype) in defaults.items()
        )
        .with_columns(
            pl.col("description")
            if "description" in catalog.columns
            else pl.lit(None, pl.String).alias("description")
        )
        .filter(pl.col("is_product"))
    )
    if inventory_position is None:
        stock = pl.DataFrame(schema={"sku": pl.String, "on_hand": pl.Int64, "on_order": pl.Int64})
    else:
        stock = inventory_position.group_by("sku").agg(  # summed over locations
            pl.col("on_hand").sum(), pl.col("on_order").fill_null(0).sum()
        )
    # A forecast without the backtest's verdict (an older table) counts as reliable.
    unreliable = (
        pl.col("reliability_reason").first()
        if "reliability_reason" in forecast.columns
        else pl.lit(None, pl.String)
    )
    return (
        forecast.group_by("sku")
        .agg(pl.col("demand_pattern").first(), unreliable.alias("reliability_reason"))
        .join(products, on="sku")
        .join(stock, on="sku", how="inner" if inventory_position is not None else "left")
        .join(abc.select("sku", "abc_class"), on="sku", how="left")
        .with_columns(pl.col("abc_class").fill_null("C"))
        .with_columns(
            pl.col("abc_class")
            .replace_strict(service_level_by_class, return_dtype=pl.Float64)
            .alias("class_target")
        )
        .sort("sku")
    )


def daily_demand_grid(
    forecast: pl.DataFrame,
    skus: list[str],
    as_of: dt.date,
    through: dt.date,
    trading_weekdays: Sequence[int],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Daily forecast demand per SKU (rows, in ``skus`` order) and future day (columns).

    Returns (days, mean, horizon_end): the day of each column, the matrix without NaN,
    and each SKU's last forecast day.

    Days are the trading days in (as_of, through] plus any forecast day after as_of. Past a
    SKU's horizon its average forecast day is assumed; a day inside the horizon the
    forecast skips (not a trading day for it) holds no demand.
    """
    future = forecast.filter(pl.col("day") > as_of)
    calendar = sorted(
        set(
            trading_days_after(
                as_of, count_trading_days(as_of, through, trading_weekdays), trading_weekdays
            )
        )
        | set(future["day"].to_list())
    )
    days = np.array(calendar, dtype="datetime64[D]")
    cells = future.join(pl.DataFrame({"sku": skus, "row": range(len(skus))}), on="sku").join(
        pl.DataFrame(
            {"day": calendar, "col": range(len(calendar))}, schema={"day": pl.Date, "col": pl.Int64}
        ),
        on="day",
    )
    mean = np.full((len(skus), len(days)), np.nan)
    rows, cols = cells["row"].to_numpy(), cells["col"].to_numpy()
    mean[rows, cols] = cells["forecast"].to_numpy()
    # Each SKU's last forecast day: the day of its last column with a forecast (days ascend).
    last_column = len(days) - 1 - np.argmax(~np.isnan(mean[:, ::-1]), axis=1)
    horizon_end = days[last_column]
    within = days[None, :] <= horizon_end[:, None]
    beyond_fill = np.nanmean(np.where(within, mean, np.nan), axis=1, keepdims=True)
    mean = np.where(np.isnan(mean), np.where(within, 0.0, beyond_fill), mean)
    return days, mean, horizon_end


def demand_history(
    history: pl.DataFrame,
    skus: list[str],
    as_of: dt.date,
    rule: RecommendedPolicyRule,
) -> np.ndarray:
    """Units per SKU (rows, in ``skus`` order) over the last trading days to ``as_of``.

    Trading days are the days present in ``history`` (as in the policy backtest's demand
    matrix); a SKU without a row on a day sold nothing, except before its first row: the
    mart starts a SKU at its first sale, so those days are unknown (NaN), not zero demand. Large one-off orders are removed as
    the backtest removes them from the history it plans from
    (:func:`forecasting.policy_levels.large_order_thresholds`; None keeps every unit).

    Args:
        history: sku, day (Date), units (>= 0): one row per SKU and trading day.
        skus: the SKUs to return, in row order.
        as_of: the last day that may be used (no later demand is known).
        rule: the recommended policy's rule: its distribution window is how many trading
            days to keep at most (fewer when the history is shorter), its large-order
            multiple and quantile say which days are one-off orders.

    Returns:
        The cleansed SKUs x days matrix: zero-filled from each SKU's first row, NaN before.
    """
    known = history.filter(pl.col("day") <= as_of)
    calendar = known["day"].unique().sort().tail(rule.distribution_history_days).to_list()
    if not calendar:
        raise ValueError(
            f"no demand history on or before {as_of} in marts.sku_demand_daily; the reorder "
            "levels are planned from past trading days, so load orders before the stock count"
        )
    # The window's days first: the joins then read only the rows of the days they keep.
    window = known.filter(pl.col("day") >= calendar[0])
    cells = window.join(pl.DataFrame({"sku": skus, "row": range(len(skus))}), on="sku").join(
        pl.DataFrame(
            {"day": calendar, "col": range(len(calendar))}, schema={"day": pl.Date, "col": pl.Int64}
        ),
        on="day",
    )
    matrix = np.zeros((len(skus), len(calendar)))
    np.add.at(
        matrix,
        (cells["row"].to_numpy(), cells["col"].to_numpy()),
        cells["units"].cast(pl.Float64).clip(lower_bound=0).to_numpy(),
    )
    threshold = large_order_thresholds(
        matrix, rule.large_order_multiple or np.inf, rule.large_order_quantile
    )
    first = known.group_by("sku").agg(pl.col("day").min().alias("first_day"))
    first_day = (
        pl.DataFrame({"sku": skus})
        .join(first, on="sku", how="left", maintain_order="left")["first_day"]
        .to_numpy()
        .astype("datetime64[D]")
    )
    unknown = np.array(calendar, dtype="datetime64[D]")[None, :] < first_day[:, None]
    unknown |= np.isnat(first_day)[:, None]  # never sold: no row at all
    return np.where(unknown, np.nan, np.where(matrix > threshold[:, None], 0.0, matrix))


def lead_trading_days(lead_time_days: np.ndarray, trading_weekdays: Sequence[int]) -> np.ndarray:
    """Catalog lead times (calendar days) as whole trading days, at least 1, as the backtest counts them."""
    share = len(trading_weekdays) / 7
    return np.maximum(np.ceil(np.asarray(lead_time_days, dtype=float) * share - 1e-9), 1).astype(
        np.int64
    )


def review_trading_days(review_period_days: int, trading_weekdays: Sequence[int]) -> int:
    """The review period (calendar days) in trading days, as the policy's levels count it."""
    return round(review_period_days * len(trading_weekdays) / 7)


def require_current_forecast(forecast: pl.DataFrame, skus: pl.DataFrame, as_of: dt.date) -> None:
    """Refuse a forecast that ends on or before ``as_of`` for any orderable SKU."""
    forecast_skus = forecast.filter(pl.col("day") > as_of)["sku"].unique()
    stale = skus.filter(~pl.col("sku").is_in(forecast_skus.implode()))["sku"]
    if len(stale):
        raise ValueError(
            f"the demand forecast for {len(stale)} SKU(s) (first: {stale[0]!r}) ends on or "
            f"before {as_of}; re-run forecasts.demand_forecast before the reorder step"
        )


def last_sales_in(history: pl.DataFrame, as_of: dt.date) -> pl.DataFrame:
    """Each SKU's last day with units in ``history`` up to ``as_of`` (sku, last_sale_date)."""
    return (
        history.filter((pl.col("units") > 0) & (pl.col("day") <= as_of))
        .group_by("sku")
        .agg(pl.col("day").max().alias("last_sale_date"))
    )
