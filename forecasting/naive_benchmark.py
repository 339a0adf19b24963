"""Which naive forecast a SKU or a class is benchmarked against.

Seasonal naive (the same weekday of the week before; the same month a year before) is the
benchmark where it forecast every backtest window. Where the history is shorter than a
season (a year of months or weeks) it forecasts nothing, and plain Naive, the last observed
bucket repeated, takes its place on the same windows. Naive needs one observation, so it
always runs (both are required candidates, forecasting/models.py). A missing benchmark is
never counted as beaten: the SKU or class then has none, and says so.
"""

from __future__ import annotations

import polars as pl

from forecasting.buckets import DAY, MONTH, WEEK
from forecasting.models import NAIVE, SEASONAL_NAIVE, ZERO
from forecasting.stable_sums import stable_sum

# The benchmarks, preferred first.
NAIVE_BENCHMARKS = (SEASONAL_NAIVE, NAIVE)
LAST_STEP = {DAY: "last day", WEEK: "last week", MONTH: "last month"}


def benchmark_name(model: str, bucket: str) -> str:
    """How a reason names the benchmark: "seasonal naive" or "naive (last month)"."""
    return "seasonal naive" if model == SEASONAL_NAIVE else f"naive ({LAST_STEP[bucket]})"


def sku_benchmarks(windows: pl.DataFrame, naive_errors: pl.DataFrame) -> pl.DataFrame:
    """Each SKU's naive benchmark over the windows its forecast is judged on.

    Args:
        windows: sku, window: the windows judged.
        naive_errors: sku, window, model (``NAIVE_BENCHMARKS``), abs_error_7d (null where
            the model gave no forecast).

    Returns:
        sku, naive_model, naive_abs_error_7d: the first benchmark that forecast every
        judged window of the SKU, its errors summed; no row for a SKU neither forecast.
    """
    parts = []
    for preference, model in enumerate(NAIVE_BENCHMARKS):
        errors = naive_errors.filter(pl.col("model") == model).select(
            "sku", "window", "abs_error_7d"
        )
        parts.append(
            windows.join(errors, on=["sku", "window"], how="left")
            .group_by("sku")
            .agg(
                pl.lit(preference).alias("preference"),
                pl.lit(model).alias("naive_model"),
                # one failed window leaves the benchmark out (a partial sum would flatter it)
                pl.when(pl.col("abs_error_7d").is_not_null().all())
                .then(stable_sum("abs_error_7d", "window"))
                .alias("naive_abs_error_7d"),
            )
        )
    return (
        pl.concat(parts)
        .drop_nulls("naive_abs_error_7d")
        .sort("sku", "preference")
        .group_by("sku", maintain_order=True)
        .first()
        .select("sku", "naive_model", "naive_abs_error_7d")
    )


def class_benchmarks(summary: pl.DataFrame) -> pl.DataFrame:
    """Each class's naive benchmark on the holdout: seasonal naive where it scored every SKU
    of the class (as many as the zero forecast, which is scored on all), else Naive.

    Args:
        summary: model, demand_pattern, skus, wape, wape_7d (forecasting.metrics.accuracy).

    Returns:
        demand_pattern, naive_model, naive_wape, naive_7d; no row for a class neither
        benchmark scored in full.
    """
    every = summary.filter(pl.col("model") == ZERO).select(
        "demand_pattern", pl.col("skus").alias("every")
    )
    return (
        summary.filter(pl.col("model").is_in(NAIVE_BENCHMARKS))
        .join(every, on="demand_pattern")
        .filter(pl.col("skus") == pl.col("every"))
        .sort("demand_pattern", pl.col("model") != SEASONAL_NAIVE)
        .group_by("demand_pattern", maintain_order=True)
        .first()
        .select(
            "demand_pattern",
            pl.col("model").alias("naive_model"),
            pl.col("wape").alias("naive_wape"),
            pl.col("wape_7d").alias("naive_7d"),
        )
    )
