"""Forecast value added: how much of the demand has a forecast worth more than the benchmarks.

The benchmarks are forecasting zero and seasonal naive, scored on the same backtest windows
on 7-day sums (forecasting/reliability.py says why weekly sums). Where seasonal naive could
not forecast every SKU (a history shorter than a season) plain Naive, the last bucket
repeated, is the benchmark instead, as forecasting/naive_benchmark.py chooses it. Shares are
of revenue over the demand history, so a SKU counts by what it sells for, not one vote each.
"""

from __future__ import annotations

import polars as pl

from reports.pages.demand.buckets import DAY, WORDS, class_bucket
from reports.pages.demand.queries import NAIVE, SEASONAL_NAIVE, SELECTED

ZERO = "Zero"
BENCHMARKS = (SELECTED, ZERO, SEASONAL_NAIVE, NAIVE)


def benchmark_name(model: str | None, last: str) -> str | None:
    """ "seasonal naive", "naive (last month)" (``last``: what Naive repeats), or None
    without a benchmark."""
    if model is None:
        return None
    return "seasonal naive" if model == SEASONAL_NAIVE else f"naive ({last})"


def naive_words(verdicts: pl.DataFrame, last: str) -> str:
    """The SKUs' naive benchmarks in words: "seasonal naive", "naive (last month)", or e.g.
    "seasonal naive; naive (last month) for 3 SKUs" when the histories differ."""
    counts = dict(verdicts.group_by("naive_model").len().iter_rows())
    parts = [
        benchmark_name(model, last) + ("" if i == 0 else f" for {counts[model]} SKUs")
        for i, model in enumerate(m for m in (SEASONAL_NAIVE, NAIVE) if counts.get(m))
    ]
    if counts.get(None):
        parts.append(f"none for {counts[None]} SKUs")
    return "; ".join(parts) or "no naive benchmark"


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


def by_class(summary: pl.DataFrame, buckets: list[str] | None = None) -> pl.DataFrame:
    """One row per demand pattern (``all`` first): selected, Zero and the naive benchmark's
    WAPE on 7-day sums (seasonal naive where it scored every SKU of the class, as many as
    forecasting zero; else Naive), the best single model and its figure, the verdict and the
    band coverage. ``buckets``: the run's buckets (the Naive's words), daily by default."""
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
    every = summary.filter(pl.col("model") == ZERO).select("demand_pattern", "skus")
    complete = (
        summary.filter(pl.col("model").is_in([SEASONAL_NAIVE, NAIVE]))
        .join(every, on=["demand_pattern", "skus"], how="semi")
        .sort("demand_pattern", pl.col("model") != SEASONAL_NAIVE)
        .group_by("demand_pattern", maintain_order=True)
        .first()
        .select("demand_pattern", pl.col("model").alias("naive_model"))
    )
    wide = wide.join(complete, on="demand_pattern", how="left").with_columns(
        pl.when(pl.col("naive_model") == SEASONAL_NAIVE)
        .then(pl.col(SEASONAL_NAIVE))
        .when(pl.col("naive_model") == NAIVE)
        .then(pl.col(NAIVE))
        .alias("naive"),
        pl.struct("demand_pattern", "naive_model")
        .map_elements(
            lambda r: benchmark_name(
                r["naive_model"], WORDS[class_bucket(r["demand_pattern"], buckets or [DAY])].last
            ),
            return_dtype=pl.String,
        )
        .alias("naive_benchmark"),
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
    benchmark = pl.min_horizontal(ZERO, "naive")
    return (
        selected.join(wide, on="demand_pattern", how="left")
        .join(best, on="demand_pattern", how="left")
        .with_columns(
            pl.when(pl.col("naive").is_null() & (pl.col(SELECTED) < pl.col(ZERO)))
            .then(pl.lit("beats zero; no naive benchmark scored every SKU"))
            .when(pl.col(SELECTED) < benchmark)
            .then(pl.format("beats zero and {}", "naive_benchmark"))
            .when(pl.col("naive").is_null() | (pl.col(ZERO) <= pl.col("naive")))
            .then(pl.lit("no better than forecasting zero"))
            .otherwise(pl.format("no better than {}", "naive_benchmark"))
            .alias("verdict")
        )
        .sort(pl.col("demand_pattern") != "all", "demand_pattern")
    )
