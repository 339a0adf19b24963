"""Spare-parts demand with a known process: thousands of slow, lumpy series over years.

A spare-parts catalog is planned in months: most parts sell in few months, in lumps (a
workshop orders several at once). Each part follows one of three processes, with its
parameters drawn once and kept as the truth:

- ``steady``: orders arrive as a Poisson process of ``rate`` orders per month;
- ``declining``: the same, the rate falling linearly to a tenth over the whole span
  (a part whose machines are being retired);
- ``seasonal``: the rate times 1 + 0.8 sin(2 pi (month - 3) / 12), a yearly season
  (a part for garden machinery sells in spring and summer).

An order's size is 1 + a negative binomial draw (mean ``size_mean - 1``): mostly single
units, now and then a lump. Orders fall on any calendar day of their month. The
expected demand of a month is ``rate_that_month x size_mean``: the best forecast
possible, which a bench can set beside the models.

The output has the shape of ``marts.sku_demand_daily`` (one row per part and day from
its first sale, zero-filled), so the forecasting code reads it as it reads a shop's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import polars as pl

PROCESSES = ("steady", "declining", "seasonal")
SEASON_AMPLITUDE = 0.8
LAST_RATE_SHARE = 0.1  # a declining part's last rate, as a share of its first


@dataclass(frozen=True)
class SpareParts:
    demand: pl.DataFrame  # the marts.sku_demand_daily shape, from each part's first sale
    truth: pl.DataFrame  # sku, process, rate, size_mean
    expected: pl.DataFrame  # sku, month (first day), expected units


def spare_parts(
    parts: int = 3000, months: int = 48, first_month: dt.date = dt.date(2021, 1, 1), seed: int = 7
) -> SpareParts:
    """Draw ``parts`` series of ``months`` calendar months of spare-parts demand.

    Args:
        parts: number of parts (SKUs ``P00001``...).
        months: months of history, from ``first_month``.
        first_month: the first day of the first month.
        seed: the random seed (the same seed gives the same parts and orders).

    Returns:
        The daily demand, each part's process and parameters, and each month's expected units.
    """
    rng = np.random.default_rng(seed)
    skus = [f"P{n:05d}" for n in range(1, parts + 1)]
    process = rng.choice(PROCESSES, size=parts, p=(0.6, 0.2, 0.2))
    rate = rng.lognormal(mean=np.log(0.35), sigma=0.8, size=parts).clip(0.02, 4.0)
    size_mean = 1 + rng.gamma(shape=1.5, scale=1.0, size=parts)
    month_starts = [_add_months(first_month, m) for m in range(months)]
    rates = _monthly_rates(process, rate, months)
    expected = rates * size_mean[:, None]
    orders = rng.poisson(rates)
    rows = _order_days(rng, orders, size_mean, month_starts)
    last_day = _add_months(first_month, months) - dt.timedelta(days=1)
    return SpareParts(
        demand=_daily_frame(rows, skus, last_day),
        truth=pl.DataFrame({"sku": skus, "process": process, "rate": rate, "size_mean": size_mean}),
        expected=pl.DataFrame(
            {
                "sku": np.repeat(skus, months),
                "month": month_starts * parts,
                "expected": expected.ravel(),
            }
        ),
    )


def _monthly_rates(process: np.ndarray, rate: np.ndarray, months: int) -> np.ndarray:
    """Orders expected per part (rows) and month (columns)."""
    month = np.arange(months)[None, :]
    decline = 1 - (1 - LAST_RATE_SHARE) * month / max(months - 1, 1)
    season = 1 + SEASON_AMPLITUDE * np.sin(2 * np.pi * (month - 3) / 12)
    shape = np.where(
        (process == "declining")[:, None],
        decline,
        np.where((process == "seasonal")[:, None], season, 1.0),
    )
    return rate[:, None] * shape


def _order_days(
    rng: np.random.Generator, orders: np.ndarray, size_mean: np.ndarray, starts: list[dt.date]
) -> pl.DataFrame:
    """part (row index), day, units: every order on a random day of its month."""
    part, month = np.nonzero(orders)
    counts = orders[part, month]
    part, month = np.repeat(part, counts), np.repeat(month, counts)
    lengths = np.array([(_add_months(s, 1) - s).days for s in starts])
    offset = (rng.random(len(part)) * lengths[month]).astype(int)
    extra = size_mean[part] - 1
    # negative binomial with mean `extra` and dispersion 1 (geometric-like lumps)
    units = 1 + rng.negative_binomial(1, 1 / (1 + extra))
    day = np.array(starts, dtype="datetime64[D]")[month] + offset
    return pl.DataFrame({"part": part, "day": day, "units": units.astype(float)})


def _daily_frame(orders: pl.DataFrame, skus: list[str], last_day: dt.date) -> pl.DataFrame:
    """One row per part and day from its first sale to ``last_day``, zero-filled."""
    by_day = orders.group_by("part", "day").agg(pl.col("units").sum())
    first = by_day.group_by("part").agg(pl.col("day").min().alias("first"))
    grid = first.with_columns(pl.date_ranges("first", pl.lit(last_day)).alias("day")).explode("day")
    names = pl.DataFrame(
        {"part": range(len(skus)), "sku": skus}, schema={"part": pl.Int64, "sku": pl.String}
    )
    return (
        grid.join(by_day, on=["part", "day"], how="left")
        .join(names, on="part")
        .select(
            "sku",
            "day",
            pl.lit(True).alias("is_trading_day"),
            pl.lit(False).alias("is_partial_day"),
            pl.col("units").fill_null(0.0).alias("demand_units"),
            pl.lit(False).alias("is_stockout"),
        )
        .sort("sku", "day")
    )


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)
