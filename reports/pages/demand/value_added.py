"""Forecast value added: how much of the demand has a forecast worth more than the benchmarks.

The benchmarks are forecasting zero and seasonal naive, scored on the same backtest windows
on 7-day sums (forecasting/reliability.py says why weekly sums). Shares are of revenue over
the demand history, so a SKU counts by what it sells for, not one vote each.
"""

from __future__ import annotations

import polars as pl

from reports.pages.demand.queries import SELECTED

ZERO = "Zero"
SEASONAL_NAIVE = "SeasonalNaive"
BENCHMARKS = (SELECTED, ZERO, SEASONAL_NAIVE)


def value_shares(verdicts: pl.DataFrame) -> dict[str, float | int | None]:
    """beats_naive, beats_zero, reliable: shares of revenue (None without revenue), and
    unreliable: how many SKUs have no reliable forecast."""
    total = verdicts["revenue"].sum()

    def share(column: str) -> float | None:
        if not total:
            return None
        return verdicts.filter(pl.col(column))["revenue"].sum() / total

    return {
        "beats_naive": share("beats_naive"),
        "beats_zero": share("beats_zero"),
        "reliable": share("reliable"),
        "unreliable": verdicts.filter(~pl.col("reliable")).height,
    }


def by_class(summary: pl.DataFrame) -> pl.DataFrame:
    """One row per demand pattern (``all`` first): selected, Zero and seasonal naive WAPE on
    7-day sums, the best single model and its figure, the verdict and the band coverage."""
    if summary.is_empty() or "coverage_80" not in summary.columns:
        return pl.DataFrame()
    wide = summary.filter(pl.col("model").is_in(BENCHMARKS)).pivot(
        on="model", index="demand_pattern", values="wape_7d"
    )
    # A benchmark no SKU could run has no rows: seasonal naive when the season (a year of
    # weeks or months) is longer than every series.
    wide = wide.with_columns(
        pl.lit(None, pl.Float64).alias(name) for name in BENCHMARKS if name not in wide.columns
    )
    best = (
        summary.filter(~pl.col("model").is_in(BENCHMARKS))
        .sort("wape_7d", "model", nulls_last=True)
        .group_by("demand_pattern", maintain_order=True)
        .first()
        .select(
            "demand_pattern",
            pl.col("model").alias("best_single"),
            pl.col("wape_7d").alias("best_single_wape_7d"),
        )
    )
    selected = summary.filter(pl.col("model") == SELECTED).select(
        "demand_pattern", "skus", "coverage_80", "coverage_95"
    )
    benchmark = pl.min_horizontal(ZERO, SEASONAL_NAIVE)
    return (
        selected.join(wide, on="demand_pattern", how="left")
        .join(best, on="demand_pattern", how="left")
        .with_columns(
            pl.when(pl.col(SEASONAL_NAIVE).is_null() & (pl.col(SELECTED) < pl.col(ZERO)))
            .then(pl.lit("beats zero; seasonal naive not scored (season longer than history)"))
            .when(pl.col(SELECTED) < benchmark)
            .then(pl.lit("beats zero and seasonal naive"))
            .when(pl.col(ZERO) <= pl.col(SEASONAL_NAIVE))
            .then(pl.lit("no better than forecasting zero"))
            .otherwise(pl.lit("no better than seasonal naive"))
            .alias("verdict")
        )
        .sort(pl.col("demand_pattern") != "all", "demand_pattern")
    )
