"""Prediction intervals calibrated on a forecast's own past errors, and how often they held.

The bands are split-conformal, pooled per demand-pattern class and scaled by each SKU's
level:

- **Calibration windows.** The forecast (the class's mean or median of models) is rerun on
  the ``INTERVAL_WINDOWS`` windows of the horizon just before the days it bands: the live
  forecast on the last windows of the history, the holdout on the windows before it. The
  days being banded never calibrate their own band.
- **Score.** Each calibration day's error, actual - forecast, divided by its SKU's scale:
  the larger of the SKU's mean demand over the ``span`` steps before the window and the
  mean forecast over the window (the whole history's mean where both are 0, else 1 unit).
  Dividing by the level lets one class pool the errors of SKUs that sell 1 or 100 a day.
- **Quantiles per class.** A class's band for level L runs from the forecast plus the
  (100 - L) / 2 % quantile of its scores, times the SKU's scale, to the forecast plus the
  upper quantile chosen so that L % of the calibration days fall inside the band (finite
  sample correction included). The lower bound is clipped at 0: a slow mover's lower
  bound is 0 on most days, so almost no day falls below it, and the upper quantile takes
  the misses the lower side does not use. Pooling the days gives every step of the horizon
  the same band, so no day of it jumps.
- **Kept between calibrations.** The pipeline's forecast calibrates the quantiles with
  the model backtest's cadence and bands the nights between with the kept ones
  (incremental/band_cadence.py); each SKU's scale is always that night's.

Before, each SKU's band came from the quantiles of its own 2 x 28 errors: a SKU that sold
on 3 of them had an upper 95 % bound below any sale, and a forecast that sits below the
mean (the median of the top models) missed most spikes. The reference holdout's 80 / 95 %
bands covered 70 / 79 % of days (docs/forecasting.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

from forecasting.series_order import series_runs, step_numbers

CLASS = "demand_pattern"
_KEY = ["unique_id", "cutoff"]
# A day counts as below the lower bound only when it is below by more than float noise:
# the day whose score is the lower quantile sits exactly on its bound (y = forecast +
# scale * its own score), and engines that compute the forecast in float32 (Dask) would
# otherwise flip it outside and shift the upper quantile by a whole rank.
_BELOW_BY = 1e-6


def calibrated_bands(
    point: pl.DataFrame,
    past: pl.DataFrame,
    history: pl.DataFrame,
    classes: pl.DataFrame,
    span: int,
    levels: Sequence[int],
) -> pl.DataFrame:
    """Add lo_<level> and hi_<level> to a forecast from its class's scaled past errors.

    Args:
        point: unique_id, cutoff (the series' last step of history), forecast and any other
            columns: the days to band.
        past: unique_id, cutoff, y, forecast: the same forecast on earlier windows (each
            window's cutoff its last step of history), the calibration days.
        history: unique_id, ds (step 1, 2, 3 ...), y: the series the windows are cut from,
            one after the other, each in step order (forecasting.backtest.step_frame).
        classes: unique_id, demand_pattern: the class whose errors a series' band pools.
        span: steps of history before a window whose mean demand scales it.
        levels: band levels in percent.

    Returns:
        ``point`` with lo_<level> and hi_<level> per level, >= 0 and ordered lo_95 <= lo_80
        <= forecast <= hi_80 <= hi_95; null where the class has no calibration day.
    """
    totals = SoldToDate.of(history)
    calibration = scored_days(past, classes, totals, span)
    banded = scaled(point, totals, span).join(classes, on="unique_id", how="left")
    added = [] if CLASS in point.columns else [CLASS]
    return with_bounds(banded, class_quantiles(calibration, levels), levels).drop(added)


def with_bounds(
    scaled_point: pl.DataFrame, quantiles: pl.DataFrame, levels: Sequence[int]
) -> pl.DataFrame:
    """``scaled_point`` (forecast, scale and demand_pattern per row, from :func:`scaled`)
    with lo_<level> and hi_<level> from its class's ``quantiles`` (:func:`class_quantiles`),
    row by row: the bounds of a row depend on that row and its class alone, so the days of
    a catalog can be banded a batch at a time once the classes' quantiles are known."""
    added = [*quantiles.drop(CLASS).columns, "scale"]
    joined = scaled_point.join(quantiles, on=CLASS, how="left")
    return joined.with_columns(_bounds(levels)).drop(added)


def class_quantiles(scored: pl.DataFrame, levels: Sequence[int]) -> pl.DataFrame:
    """demand_pattern, q_lo_<level>, q_hi_<level>: the scaled-error quantiles per class.

    Args:
        scored: demand_pattern, y, forecast, scale, score ((y - forecast) / scale).
        levels: band levels in percent.
    """
    schema = {CLASS: pl.String} | {
        f"q_{side}_{level}": pl.Float64 for level in levels for side in ("lo", "hi")
    }
    rows = []
    # Class by class, its scores sorted once for every level (null scores first, as
    # polars sorts them), not once per quantile.
    for (pattern,), days in scored.group_by(CLASS):
        ordered = days["score"].sort()
        row = {CLASS: pattern}
        for level in levels:
            miss = 1 - level / 100
            low = ordered.quantile(miss / 2, "lower")  # of the known scores
            # The share of days the upper bound must hold: the level plus the misses the
            # clipped lower bound leaves unused, with the conformal (n + 1) / n correction.
            share = 1 - miss + _below(_lower(pl.lit(low, dtype=pl.Float64))).mean()
            rank = days.select(_rank(share, pl.len())).item()
            row |= {f"q_lo_{level}": low, f"q_hi_{level}": None if rank is None else ordered[rank]}
        rows.append(row)
    return pl.DataFrame(rows, schema=schema)


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


def _rank(share: pl.Expr, n: pl.Expr) -> pl.Expr:
    """The 0-based position in n sorted scores of the ceil(share * (n + 1))-th smallest
    (the largest where that is beyond n)."""
    return ((share * (n + 1)).ceil() - 1).clip(0, n - 1).cast(pl.Int64)


def _below(lower: pl.Expr) -> pl.Expr:
    """Whether a day's actual is below ``lower`` by more than float noise."""
    return pl.col("y") < lower - _BELOW_BY * (1 + lower.abs())


def _lower(q_lo: pl.Expr) -> pl.Expr:
    point = pl.col("forecast")
    return pl.min_horizontal((point + pl.col("scale") * q_lo).clip(lower_bound=0), point)


def _bounds(levels: Sequence[int]) -> list[pl.Expr]:
    point = pl.col("forecast")
    bounds = []
    for level in levels:
        hi = pl.max_horizontal(point + pl.col("scale") * pl.col(f"q_hi_{level}"), point)
        bounds += [
            _lower(pl.col(f"q_lo_{level}")).alias(f"lo_{level}"),
            hi.alias(f"hi_{level}"),
        ]
    known = pl.col(f"q_lo_{levels[0]}").is_not_null()
    return [pl.when(known).then(bound) for bound in bounds]


def scored_days(
    past: pl.DataFrame, classes: pl.DataFrame, totals: SoldToDate, span: int
) -> pl.DataFrame:
    """The calibration days (``past``: unique_id, cutoff, y, forecast) with their class
    (``classes``: unique_id, demand_pattern), scale and score; ``totals`` of the series
    they are cut from."""
    return (
        scaled(past, totals, span)
        .join(classes, on="unique_id")
        .with_columns(((pl.col("y") - pl.col("forecast")) / pl.col("scale")).alias("score"))
    )


@dataclass(frozen=True)
class SoldToDate:
    """The units each series sold up to each of its steps, for looking up a few steps.

    ``runs``: unique_id, first_row (the series' first row in ``sold``), rows (its steps);
    ``sold``: the running total of y at every row of the history, series after series.
    """

    runs: pl.DataFrame
    sold: np.ndarray

    @classmethod
    def of(cls, history: pl.DataFrame) -> SoldToDate:
        """From a history sorted by unique_id with steps 1, 2, 3 ... (a step frame).

        Raises:
            ValueError: a series' steps are not 1, 2, 3 ... in row order.
        """
        runs = series_runs(history["unique_id"])
        if runs["unique_id"].n_unique() != runs.height or not np.array_equal(
            history["ds"].to_numpy(), step_numbers(runs)
        ):
            raise ValueError(
                "the history must hold each series' steps 1, 2, 3 ... in order, one series "
                "after the other (forecasting.backtest.step_frame)"
            )
        y = history["y"].to_numpy()
        sold = np.empty_like(y)
        # One series at a time, in step order: the same additions, so the same bits, as a
        # cum_sum over each series.
        for start, steps in zip(runs["first_row"].to_list(), runs["rows"].to_list()):
            np.cumsum(y[start : start + steps], out=sold[start : start + steps])
        return cls(runs, sold)

    def at(self, cutoffs: pl.DataFrame, offset: int = 0) -> pl.Series:
        """The units sold up to step ``cutoff - offset`` of each row's series (null where
        the series has no such step)."""
        found = cutoffs.select("unique_id", "cutoff").join(
            self.runs, on="unique_id", how="left", maintain_order="left"
        )
        step = found["cutoff"].to_numpy() - offset
        first = found["first_row"].fill_null(0).to_numpy()
        inside = (step >= 1) & (step <= found["rows"].fill_null(0).to_numpy())
        rows = np.where(inside, first + step - 1, 0)
        values = self.sold[rows] if len(self.sold) else np.zeros(len(rows))
        return pl.Series(values).set(pl.Series(~inside), None)


def scaled(frame: pl.DataFrame, totals: SoldToDate, span: int) -> pl.DataFrame:
    """``frame`` (unique_id, cutoff, forecast, ...) with the scale of each of its windows:
    the larger of the mean demand over the ``span`` steps up to the cutoff and the window's
    mean forecast; the whole history's mean demand where both are 0; else 1 unit."""
    # One pass over the windows: their keys and mean forecast (a group's mean, as the
    # window mean over the same rows gives it), then one join back.
    windows = frame.group_by(_KEY).agg(pl.col("forecast").mean().alias("window_forecast"))
    levels = windows.with_columns(
        totals.at(windows).alias("sold_by_cutoff"), totals.at(windows, span).alias("sold_before")
    ).select(
        *_KEY,
        (
            (pl.col("sold_by_cutoff") - pl.col("sold_before").fill_null(0))
            / pl.min_horizontal(pl.col("cutoff"), pl.lit(span))
        ).alias("recent"),
        (pl.col("sold_by_cutoff") / pl.col("cutoff")).alias("whole"),
        "window_forecast",
    )
    level = pl.max_horizontal("recent", "window_forecast")
    return (
        frame.join(levels, on=_KEY, how="left")
        .with_columns(
            pl.when(level > 0)
            .then(level)
            .when(pl.col("whole") > 0)
            .then(pl.col("whole"))
            .otherwise(1.0)
            .alias("scale")
        )
        .drop("recent", "whole", "window_forecast")
    )
