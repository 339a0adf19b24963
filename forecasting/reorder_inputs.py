"""Inputs of the reorder policy: the SKUs that can be ordered, and their daily demand.

Both are steps of :func:`forecasting.reorder.reorder_recommendations`; its module docstring
describes the method.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import numpy as np
import polars as pl
from scipy.stats import norm

from forecasting.trading_calendar import count_trading_days, trading_days_after

Z_95 = float(norm.ppf(0.975))  # half-width of a two-sided 95 % interval in standard deviations


def orderable_skus(
    forecast: pl.DataFrame,
    catalog: pl.DataFrame,
    inventory_position: pl.DataFrame,
    abc: pl.DataFrame,
    service_level_by_class: Mapping[str, float],
) -> pl.DataFrame:
    """One row per orderable SKU with everything the policy needs, defaults filled."""
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
    return (
        forecast.group_by("sku")
        .agg(pl.col("demand_pattern").first())
        .join(products, on="sku")
        .join(
            inventory_position.group_by("sku").agg(  # summed over locations
                pl.col("on_hand").sum(), pl.col("on_order").fill_null(0).sum()
            ),
            on="sku",
        )
        .join(abc.select("sku", "abc_class"), on="sku", how="left")
        .with_columns(pl.col("abc_class").fill_null("C"))
        .with_columns(
            pl.col("abc_class")
            .replace_strict(service_level_by_class, return_dtype=pl.Float64)
            .alias("service_level")
        )
        .sort("sku")
    )


def daily_demand_grid(
    forecast: pl.DataFrame,
    skus: list[str],
    as_of: dt.date,
    through: dt.date,
    trading_weekdays: Sequence[int],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Daily demand mean and variance per SKU (rows, in ``skus`` order) and future day (columns).

    Returns (days, mean, variance, horizon_end): the day of each column, the two matrices
    without NaN, and each SKU's last forecast day.

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
    variance = np.full_like(mean, np.nan)
    rows, cols = cells["row"].to_numpy(), cells["col"].to_numpy()
    mean[rows, cols] = cells["forecast"].to_numpy()
    variance[rows, cols] = (
        ((cells["hi_95"] - cells["forecast"]).clip(lower_bound=0) / Z_95).pow(2).to_numpy()
    )
    horizon_end = np.array([np.max(days[~np.isnan(row)]) for row in mean])
    within = days[None, :] <= horizon_end[:, None]
    for grid in (mean, variance):
        beyond_fill = np.nanmean(np.where(within, grid, np.nan), axis=1, keepdims=True)
        grid[:] = np.where(np.isnan(grid), np.where(within, 0.0, beyond_fill), grid)
    return days, mean, variance, horizon_end
