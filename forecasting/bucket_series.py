"""Demand series in daily, weekly or monthly buckets, from the daily SKU demand mart.

Daily series are :func:`forecasting.demand.demand_series`: trading days only, stockout and
partial days left out. Weekly and monthly series sum every day of their bucket, trading
day or not: the trading calendar says which days a daily step falls on, and applied to a
coarser bucket it would lose the sales booked on a closed weekday (a month whose sales
are all dated on its first day, a Saturday, would vanish). Three rules make the sums
honest:

- Only complete buckets are history: the current week or month holds the sales of its
  first days only and would read as a slump. It is the forecast's first bucket instead.
- A bucket's stockout and partial days are censored (their sales are at least what was
  sold): the bucket's sum is scaled by its days over its observed days, and a bucket
  observed on fewer than half its days is left out, as a daily series leaves such days out.
- The history window (``history_days``) starts on a bucket's first day, so no series
  begins with a bucket cut by the window.

A series starts at the SKU's first sale (the first bucket then counts from the first
sale's day), or with ``series_start: history_start`` at the window's first bucket with zero
demand before the first sale.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from forecasting.buckets import DAY, MONTH, WEEK, bucket_end, bucket_start, next_bucket
from forecasting.demand import SKU_DEMAND_COLUMNS, demand_series

SERIES_SCHEMA = {"unique_id": pl.String, "ds": pl.Date, "y": pl.Float64}
TRUNCATE = {WEEK: "1w", MONTH: "1mo"}
FIRST_SALE, HISTORY_START = "first_sale", "history_start"


def bucket_series(
    sku_demand_daily: pl.DataFrame,
    bucket: str,
    history_days: int,
    min_active_days: int,
    series_start: str = FIRST_SALE,
    calendar: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """The statsforecast long frame of every active SKU in ``bucket`` steps.

    Args:
        sku_demand_daily: ``marts.sku_demand_daily`` rows (see
            :func:`forecasting.demand.demand_series`).
        bucket: day, week or month.
        history_days: calendar days of history kept, ending at the last day in the frame.
        min_active_days: a SKU without a sale in this many calendar days is not forecast.
        series_start: ``first_sale`` or ``history_start`` (zero demand before the first sale).
        calendar: ds, the shop's trading days a daily ``history_start`` series is zero-filled
            on (:func:`window_trading_days`; default: those of ``sku_demand_daily``).

    Returns:
        unique_id, ds (Date: the trading day, or the bucket's first day), y (Float64 units
        >= 0), sorted by unique_id, ds.
    """
    if series_start not in (FIRST_SALE, HISTORY_START):
        raise ValueError(
            f"series_start {series_start!r} is unknown; use first_sale or history_start"
        )
    if bucket == DAY:
        series = demand_series(sku_demand_daily, history_days, min_active_days)
        if series_start == HISTORY_START:
            series = _daily_from_window_start(series, sku_demand_daily, history_days, calendar)
        return series
    if bucket not in TRUNCATE:
        raise ValueError(f"bucket {bucket!r} is unknown; expected day, week or month")
    missing = [c for c in SKU_DEMAND_COLUMNS if c not in sku_demand_daily.columns]
    if missing or sku_demand_daily.is_empty():
        # demand_series names the missing columns, or returns the empty frame.
        return demand_series(sku_demand_daily, history_days, min_active_days)
    last_day: dt.date = sku_demand_daily["day"].max()
    first_day = _window_start(last_day, history_days, bucket)
    last_start = _last_complete_start(last_day, bucket)
    if last_start < first_day:
        return pl.DataFrame(schema=SERIES_SCHEMA)
    sums = _bucket_sums(sku_demand_daily, bucket, first_day, last_start, min_active_days)
    kept = sums.filter(2 * pl.col("observed") >= pl.col("days")).select(
        "unique_id",
        "ds",
        (pl.col("units") * pl.col("days") / pl.col("observed")).alias("y"),
    )
    if series_start == HISTORY_START:
        kept = _zero_before_first_sale(kept, sums, bucket, first_day)
    return kept.sort("unique_id", "ds").select(
        pl.col(name).cast(dtype) for name, dtype in SERIES_SCHEMA.items()
    )


def _window_start(last_day: dt.date, history_days: int, bucket: str) -> dt.date:
    """The first bucket start on or after the window's first day."""
    window_first = last_day - dt.timedelta(days=history_days - 1)
    start = bucket_start(window_first, bucket)
    return start if start == window_first else next_bucket(start, bucket)


def _last_complete_start(last_day: dt.date, bucket: str) -> dt.date:
    """The start of the last bucket that ends on or before ``last_day``."""
    start = bucket_start(last_day, bucket)
    if bucket_end(start, bucket) == last_day:
        return start
    return bucket_start(start - dt.timedelta(days=1), bucket)


def _bucket_sums(
    demand: pl.DataFrame,
    bucket: str,
    first_day: dt.date,
    last_start: dt.date,
    min_active_days: int,
) -> pl.DataFrame:
    """unique_id, ds (bucket start), units (observed days' sum), days (the SKU's days in
    the bucket), observed (those neither stockout nor partial)."""
    last_day = demand["day"].max()
    days = demand.lazy()
    active = days.filter(
        (pl.col("day") > pl.lit(last_day) - pl.duration(days=min_active_days))
        & (pl.col("demand_units") > 0)
    ).select("sku")
    observed = ~pl.col("is_stockout").fill_null(False) & ~pl.col("is_partial_day")
    return (
        days.join(active, on="sku", how="semi")
        .filter(pl.col("day") >= pl.lit(first_day))
        .with_columns(pl.col("day").dt.truncate(TRUNCATE[bucket]).alias("ds"))
        .filter(pl.col("ds") <= pl.lit(last_start))
        .group_by(pl.col("sku").cast(pl.String).alias("unique_id"), "ds")
        .agg(
            pl.col("demand_units")
            .clip(lower_bound=0)
            .filter(observed)
            .sum()
            .cast(pl.Float64)
            .alias("units"),
            pl.len().alias("days"),
            observed.sum().alias("observed"),
        )
        .collect()
    )


def _zero_before_first_sale(
    kept: pl.DataFrame, sums: pl.DataFrame, bucket: str, first_day: dt.date
) -> pl.DataFrame:
    """Add a zero bucket for every bucket of the window before each SKU's first one."""
    first = sums.group_by("unique_id").agg(pl.col("ds").min().alias("first"))
    starts = pl.date_range(first_day, sums["ds"].max(), TRUNCATE[bucket], eager=True)
    grid = first.join(pl.DataFrame({"ds": starts}), how="cross").filter(
        pl.col("ds") < pl.col("first")
    )
    zeros = grid.select("unique_id", "ds", pl.lit(0.0).alias("y"))
    return pl.concat([zeros, kept])


def window_trading_days(demand: pl.DataFrame, history_days: int) -> pl.DataFrame:
    """ds: the days of ``demand`` (sku_demand_daily rows, or its distinct day,
    is_trading_day, is_partial_day) that are complete trading days of the history window."""
    last_day = demand["day"].max()
    return (
        demand.filter(
            pl.col("is_trading_day")
            & ~pl.col("is_partial_day")
            & (pl.col("day") > pl.lit(last_day) - pl.duration(days=history_days))
        )
        .select(pl.col("day").alias("ds"))
        .unique()
    )


def _daily_from_window_start(
    series: pl.DataFrame,
    demand: pl.DataFrame,
    history_days: int,
    calendar: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """A daily series zero-filled on the shop's trading days of the window (``calendar``,
    else read off ``demand``) before each SKU's first day (its first sale, as the mart
    starts a SKU there)."""
    if series.is_empty():
        return series
    if calendar is None:
        calendar = window_trading_days(demand, history_days)
    first = series.group_by("unique_id").agg(pl.col("ds").min().alias("first"))
    zeros = (
        first.join(calendar, how="cross")
        .filter(pl.col("ds") < pl.col("first"))
        .select("unique_id", "ds", pl.lit(0.0).alias("y"))
    )
    return pl.concat([zeros, series]).sort("unique_id", "ds")
