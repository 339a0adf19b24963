"""Prediction intervals from a forecast's own past errors, and how often they held.

A SKU's band is its forecast plus the quantiles of the errors (actual - forecast) the same
forecast made on the SKU's latest rolling-origin windows, every day of them pooled:
the 80 % band runs from the 10 % to the 90 % quantile of those errors. This is split
conformal prediction with one score distribution for the whole horizon.

statsforecast's ConformalIntervals, used before, take one quantile per forecast step over
only two windows: each day's band rests on two errors, so one past spike that happens to
fall on step k of a calibration window widens day k alone (the demo's SKU 22423: an upper
95 % bound of 242.6 on one day against 65-121 on the others, from a sale of 228 units
42 steps before the end of its history). Pooling the days gives every day of the horizon
the same, steadier error spread, and the band of a mean of models is the band of that
mean (the mean of each model's bounds is not).
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl


def error_quantiles(past: pl.DataFrame, levels: Sequence[int]) -> pl.DataFrame:
    """Quantiles of each series' errors for a central band per level.

    Args:
        past: unique_id, y, forecast: the forecast's days on earlier windows.
        levels: band levels in percent.

    Returns:
        unique_id and, per level, q_lo_<level> and q_hi_<level> (the (100 - level) / 2 %
        and (100 + level) / 2 % quantiles of y - forecast, linear interpolation).
    """
    error = pl.col("y") - pl.col("forecast")
    return past.group_by("unique_id").agg(
        q
        for level in levels
        for q in (
            error.quantile((100 - level) / 200, "linear").alias(f"q_lo_{level}"),
            error.quantile((100 + level) / 200, "linear").alias(f"q_hi_{level}"),
        )
    )


def with_bands(
    forecast: pl.DataFrame, quantiles: pl.DataFrame, levels: Sequence[int]
) -> pl.DataFrame:
    """Add lo_<level> and hi_<level> to a forecast (unique_id, forecast, ...).

    Bounds are >= 0 and ordered lo_95 <= lo_80 <= forecast <= hi_80 <= hi_95; a series
    without error quantiles gets null bounds.
    """
    joined = forecast.join(quantiles, on="unique_id", how="left")
    point = pl.col("forecast")
    bounds = []
    for level in levels:
        lo = (point + pl.col(f"q_lo_{level}")).clip(lower_bound=0)
        hi = point + pl.col(f"q_hi_{level}")
        bounds += [
            pl.min_horizontal(lo, point).alias(f"lo_{level}"),
            pl.max_horizontal(hi, point).alias(f"hi_{level}"),
        ]
    has_errors = pl.col(f"q_lo_{levels[0]}").is_not_null()
    return joined.with_columns(pl.when(has_errors).then(b) for b in bounds).drop(
        quantiles.drop("unique_id").columns
    )


def coverage(banded: pl.DataFrame, by: Sequence[str], levels: Sequence[int]) -> pl.DataFrame:
    """Share of the actual days inside each band (days with bounds only).

    Args:
        banded: y, lo_<level>, hi_<level> per day and the ``by`` columns.
        by: grouping columns.
        levels: band levels in percent.

    Returns:
        by columns and coverage_<level> per level (null for a group without bounds).
    """
    known = banded.filter(pl.col(f"lo_{levels[0]}").is_not_null())
    return known.group_by(by).agg(
        ((pl.col("y") >= pl.col(f"lo_{level}")) & (pl.col("y") <= pl.col(f"hi_{level}")))
        .mean()
        .alias(f"coverage_{level}")
        for level in levels
    )
