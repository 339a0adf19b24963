"""How many models each class combines and how, or whether it forecasts zero: chosen on earlier windows.

forecasting.selection ranks a class's routed models on a set of backtest windows. How many
of them to combine (1 .. ``forecasting.combine_top``), by their mean or their median, and
whether the class is better off forecasting nothing at all, is chosen the same way one
level down (nested): for every window after the first of the windows the choice may use,
the models are ranked on the windows before it, and each option forecasts that window:
the mean of the top 1, 2 ... models, the median of the top 3 or more, or zero. The option
with the lowest pooled WAPE on 7-day sums over those windows wins (a tie goes to fewer
models, and the mean before the median); the models are then ranked on all the windows
the choice may use.

The choice judged on the holdout may use the windows before it only, so the holdout
figure of ``selected`` reports a choice made without it; the live forecast's choice may
use every window, the holdout included.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import polars as pl

from forecasting.forecast_grid import ForecastGrid
from forecasting.forecast_grid import combine as combine_forecasts
from forecasting.grid_errors import window_sums
from forecasting.metrics import WEEK_STEPS
from forecasting.models import ROUTES, ZERO
from forecasting.selection import MEAN, MEDIAN, class_choices
from forecasting.stable_sums import stable_sum

ALL = "all"
CHOICE_SCHEMA = {
    "demand_pattern": pl.String,
    "model": pl.String,
    "rank": pl.Int64,
    "wape_7d": pl.Float64,  # the model's pooled WAPE on 7-day sums on the choice's windows
    "combined": pl.Int64,  # models the class combines (0: it forecasts zero)
    "combine": pl.String,  # how: their mean or their median
    "nested_wape_7d": pl.Float64,  # that option's WAPE on the windows it was tried on
}
# The fewest models whose median differs from their mean (of two, both are the midpoint).
FEWEST_FOR_MEDIAN = 3


def nested_choices(
    tried: Mapping[int, pl.DataFrame],
    errors: pl.DataFrame,
    classes_before: Mapping[int, pl.DataFrame],
    windows: Sequence[int],
    candidates: Sequence[str],
    most: int,
) -> pl.DataFrame:
    """Choose each class's option on ``windows`` only, then its models on all of them.

    Args:
        tried: window -> every option's errors on it (from :func:`option_errors`): the
            windows after the first of ``windows`` are tried (all absent when the backtest
            had no batch of forecasts).
        errors: the models' window errors (sku, model, window, actual, abs_error_7d),
            failed models already left out.
        classes_before: window -> sku, demand_pattern classified on the history before
            that window; needs ``max(windows) + 1`` (the classes the chosen models will
            forecast).
        windows: the windows the choice may use, oldest first.
        candidates: the models that ran.
        most: the most models a class may combine (forecasting.combine_top).

    Returns:
        The rows of ``CHOICE_SCHEMA``: per pattern in ``ROUTES`` its chosen models best
        first (one row, model ``ZERO``, when forecasting nothing won). Without a window to
        try the options on (``windows`` holds one window) a class takes the mean of ``most``.
    """
    options = _option_scores([tried[target] for target in windows[1:] if target in tried])
    final = class_choices(
        errors.filter(pl.col("window").is_in(list(windows))),
        classes_before[max(windows) + 1],
        candidates,
        most,
    )
    rows = []
    for pattern in ROUTES:
        combined, combine, score = _best_option(options, pattern, most)
        if combined == 0:
            rows.append(
                {"demand_pattern": pattern, "model": ZERO, "rank": 1, "wape_7d": 1.0}
                | {"combined": 0, "combine": MEAN, "nested_wape_7d": score}
            )
            continue
        ranked = final.filter(pl.col("demand_pattern") == pattern).head(combined)
        # Fewer routed models than the option named: the median of one or two is the mean.
        how = combine if ranked.height >= FEWEST_FOR_MEDIAN else MEAN
        rows += [
            row | {"combined": ranked.height, "combine": how, "nested_wape_7d": score}
            for row in ranked.iter_rows(named=True)
        ]
    return pl.DataFrame(rows, schema=CHOICE_SCHEMA)


def choice_options(most: int) -> list[tuple[int, str]]:
    """(models, how) of every option a class may choose: (0, mean) is the zero forecast,
    then the mean of the top 1 .. ``most`` and the median of the top 3 .. ``most``."""
    means = [(combined, MEAN) for combined in range(most + 1)]
    return means + [(combined, MEDIAN) for combined in range(FEWEST_FOR_MEDIAN, most + 1)]


def option_errors(
    batches: Iterable[ForecastGrid],
    errors: pl.DataFrame,
    classes_before: Mapping[int, pl.DataFrame],
    targets: Sequence[int],
    candidates: Sequence[str],
    most: int,
    sum_steps: int = WEEK_STEPS,
) -> dict[int, pl.DataFrame]:
    """Every option's errors on each window of ``targets``, its models ranked on the windows
    before it: what :func:`nested_choices` picks from.

    The choices for the holdout and for the forecast try the options on the same earlier
    windows (each window's ranking uses only the windows before it), so both take them
    from one call over every window they need.

    Args:
        batches: backtest forecasts of the routed models and ``ZERO`` as grids
            (forecasting/forecast_grid.py), failed models already left out, a batch of
            SKUs at a time (a SKU's option errors are its own: any split gives the same).
        errors: their window errors (sku, model, window, actual, abs_error_7d), failed
            models already left out.
        classes_before: window -> sku, demand_pattern classified on the history before it.
        targets: the windows to try the options on.
        candidates: the models that ran.
        most: the most models a class may combine (forecasting.combine_top).
        sum_steps: steps per error sum (7 days of a daily series, 1 week or month).

    Returns:
        window -> sku, actual, abs_error_7d, demand_pattern, window, combined, combine.
    """
    classes = {t: classes_before[t].select("sku", "demand_pattern") for t in targets}
    rankings = {
        t: class_choices(errors.filter(pl.col("window") < t), classes[t], candidates, most)
        for t in targets
    }
    parts: dict[int, list[pl.DataFrame]] = {t: [] for t in targets}
    for grid in batches:
        for t in targets:
            parts[t].append(_options_on(grid, rankings[t], classes[t], t, most, sum_steps))
    return {t: pl.concat(parts[t]) for t in targets if parts[t]}


def _option_scores(tried: Sequence[pl.DataFrame]) -> pl.DataFrame:
    """demand_pattern (and ``ALL``), combined (0 = zero), combine, wape_7d: each option's
    pooled WAPE on 7-day sums over the windows of ``tried`` (each window's option errors)."""
    if not tried:
        return pl.DataFrame(
            schema={
                "demand_pattern": pl.String,
                "combined": pl.Int64,
                "combine": pl.String,
                "wape_7d": pl.Float64,
            }
        )
    scored = pl.concat(tried)
    wape_7d = stable_sum("abs_error_7d", ["sku", "window"]) / stable_sum(
        "actual", ["sku", "window"]
    )
    option = ["combined", "combine"]
    by_class = scored.group_by("demand_pattern", *option).agg(wape_7d.alias("wape_7d"))
    overall = scored.group_by(option).agg(wape_7d.alias("wape_7d"))
    return pl.concat(
        [by_class, overall.select(pl.lit(ALL).alias("demand_pattern"), *option, "wape_7d")]
    ).filter(pl.col("wape_7d").is_finite())


def _options_on(
    grid: ForecastGrid,
    ranking: pl.DataFrame,
    classes: pl.DataFrame,
    target: int,
    most: int,
    sum_steps: int,
) -> pl.DataFrame:
    """sku, actual, abs_error_7d, demand_pattern, window, combined, combine: every option's
    errors on window ``target`` of the SKUs in ``grid``, its models the ``ranking``."""
    on_target = grid.rows(grid.keys["window"] == target)
    patterns = on_target.row_patterns(classes)
    parts = []
    for combined, combine in choice_options(most):
        if combined == 0:
            chosen = pl.DataFrame({"demand_pattern": list(ROUTES), "model": ZERO})
        else:
            chosen = ranking.filter(pl.col("rank") <= combined)
        use, median = on_target.chosen_columns(
            patterns, chosen.with_columns(combine=pl.lit(combine))
        )
        mix = combine_forecasts(on_target.values, use, median)
        scored = window_sums(on_target.keys, mix, sum_steps)
        parts.append(
            scored.select(pl.col("unique_id").alias("sku"), "actual", "abs_error_7d")
            .join(classes, on="sku")
            .with_columns(
                pl.lit(target, pl.Int64).alias("window"),
                pl.lit(combined, pl.Int64).alias("combined"),
                pl.lit(combine).alias("combine"),
            )
        )
    return pl.concat(parts)


def _best_option(options: pl.DataFrame, pattern: str, most: int) -> tuple[int, str, float | None]:
    """(models to combine, 0 for zero; mean or median; its score): the class's best option,
    the best over all SKUs when the class had no demand in the windows tried, the mean of
    ``most`` without any. Ties go to the simpler option (fewer models, zero first; the mean
    before the median)."""
    for group in (pattern, ALL):
        scores = options.filter(pl.col("demand_pattern") == group).sort(
            "wape_7d", "combined", "combine"
        )
        if not scores.is_empty():
            return scores["combined"][0], scores["combine"][0], scores["wape_7d"][0]
    return most, MEAN, None
