"""Which models forecast a SKU: per demand-pattern class, the mean of the class's best models.

Measured on the Online Retail holdout (bench/forecast_accuracy.py), choosing a model per
SKU by its own MAE over three windows loses to the best single model: on a SKU's mostly-zero
windows the noise decides, and MAE rewards forecasting zero. Two changes fix that:

- the choice is made per demand-pattern class, pooling the errors of all the class's SKUs
  (thousands of SKU-days instead of 84), among the candidates routed to the class;
- the score is WAPE on 7-day sums (scale-free, so a fast seller does not drown the
  rest, and a sale put on the wrong weekday is not an error), and the class forecast
  combines its best models: averaging forecasters with different errors is more accurate
  than the best of them more often than not (the M-competitions' lesson).

A class combines its models by their mean or by their median. The median of three or
more forecasts ignores the one that runs furthest away from the rest (a Croston-type
forecast inflated by one large sale, a weekly profile that put a spike on a quiet day),
which the mean passes on in part.

How many models a class combines and how, or whether it forecasts zero, is chosen on
earlier windows by forecasting/nested_choice.py, which ranks with :func:`class_choices`
and forecasting/forecast_grid.py combines the chosen models' forecasts.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from forecasting.models import ROUTES, routed
from forecasting.stable_sums import stable_sum

SELECTED = "selected"
# How a class combines its chosen models' forecasts, day by day.
MEAN, MEDIAN = "mean", "median"
COMBINERS = (MEAN, MEDIAN)


def class_choices(
    errors: pl.DataFrame,
    classes: pl.DataFrame,
    candidates: Sequence[str],
    top: int,
) -> pl.DataFrame:
    """Rank the routed candidates of each pattern class by pooled WAPE on 7-day sums.

    Args:
        errors: window errors (forecasting.metrics.window_errors) of the windows to choose
            on: sku, model, actual, abs_error_7d.
        classes: sku, demand_pattern.
        candidates: the models that ran.
        top: how many of the best models the class forecast averages.

    Returns:
        demand_pattern, model, rank (1 = best), wape_7d: the ``top`` chosen models of every
        pattern in ``ROUTES``. A class without SKUs in ``errors`` is ranked on the errors of
        all SKUs (its routed candidates only); with no errors at all (no SKU has history for
        a backtest window yet) the pool's prior order is used and wape_7d is null.
    """
    if top < 1:
        raise ValueError(f"forecasting.combine_top must be at least 1, got {top}")
    scored = errors.join(classes.select("sku", "demand_pattern"), on="sku")
    wape_7d = (stable_sum("abs_error_7d") / stable_sum("actual")).alias("wape_7d")
    by_class = scored.group_by("demand_pattern", "model").agg(wape_7d)
    overall = scored.group_by("model").agg(wape_7d)
    rows = []
    for pattern in ROUTES:
        pool = routed(pattern, candidates)
        if not pool:
            raise ValueError(
                f"no candidate model is routed to {pattern!r} demand; add one of "
                f"{list(ROUTES[pattern])} to forecasting.candidate_models"
            )
        ranked = _best_models(by_class, overall, pattern, pool, top)
        rows += [
            {"demand_pattern": pattern, "model": model, "rank": rank, "wape_7d": score}
            for rank, (model, score) in enumerate(ranked.iter_rows(), start=1)
        ]
    return pl.DataFrame(
        rows,
        schema={
            "demand_pattern": pl.String,
            "model": pl.String,
            "rank": pl.Int64,
            "wape_7d": pl.Float64,
        },
    )


def _best_models(
    by_class: pl.DataFrame, overall: pl.DataFrame, pattern: str, pool: list[str], top: int
) -> pl.DataFrame:
    """model, wape_7d: the ``top`` best of ``pool`` on the class's errors (on all SKUs'
    when the class has none; in the pool's order when there are no errors at all)."""
    ranked = by_class.filter(pl.col("demand_pattern") == pattern).drop("demand_pattern")
    if ranked.is_empty():
        ranked = overall
    ranked = (
        ranked.filter(pl.col("model").is_in(pool) & pl.col("wape_7d").is_not_nan())
        .sort("wape_7d", "model", nulls_last=True)
        .head(top)
    )
    if ranked.is_empty():
        ranked = pl.DataFrame({"model": pool[:top], "wape_7d": [None] * len(pool[:top])})
    return ranked


def combination_name(models: Sequence[str], combine: str = MEAN) -> str:
    """The model name written for a SKU: ``mean(A, B, C)`` or ``median(A, B, C)``, or the
    model itself when alone."""
    return models[0] if len(models) == 1 else f"{combine}({', '.join(models)})"


def combination_members(label: str) -> list[str]:
    """The models behind a name written by :func:`combination_name` (its inverse)."""
    for combine in COMBINERS:
        if label.startswith(f"{combine}(") and label.endswith(")"):
            return label[len(combine) + 1 : -1].split(", ")
    return [label]


def with_combine(choices: pl.DataFrame) -> pl.DataFrame:
    """``choices`` with a ``combine`` column (``mean`` where it has none: choices written
    before classes could combine by the median)."""
    if "combine" in choices.columns:
        return choices.with_columns(pl.col("combine").fill_null(MEAN))
    return choices.with_columns(pl.lit(MEAN).alias("combine"))
