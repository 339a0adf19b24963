"""How many models each class averages, or whether it forecasts zero: chosen on earlier windows.

forecasting.selection ranks a class's routed models on a set of backtest windows. How many
of them to average (1 .. ``forecasting.combine_top``), and whether the class is better off
forecasting nothing at all, is chosen the same way one level down (nested): for every
window after the first of the windows the choice may use, the models are ranked on the
windows before it, and each option (the mean of the top 1, 2 ... models, or the zero
forecast) forecasts that window. The option with the lowest pooled WAPE on 7-day sums over
those windows wins; the models are then ranked on all the windows the choice may use.

The choice judged on the holdout may use the windows before it only, so the holdout
figure of ``selected`` reports a choice made without it; the live forecast's choice may
use every window, the holdout included.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polars as pl

from forecasting.metrics import WEEK_STEPS, window_errors
from forecasting.models import ROUTES, ZERO
from forecasting.selection import class_choices, selected_forecasts
from forecasting.stable_sums import stable_sum

ALL = "all"
CHOICE_SCHEMA = {
    "demand_pattern": pl.String,
    "model": pl.String,
    "rank": pl.Int64,
    "wape_7d": pl.Float64,  # the model's pooled WAPE on 7-day sums on the choice's windows
    "combined": pl.Int64,  # models the class averages (0: it forecasts zero)
    "nested_wape_7d": pl.Float64,  # that option's WAPE on the windows it was tried on
}
NO_SCALES = pl.DataFrame(
    schema={"unique_id": pl.String, "window": pl.Int64, "naive_scale": pl.Float64}
)


def nested_choices(
    forecasts: pl.DataFrame,
    errors: pl.DataFrame,
    classes_before: Mapping[int, pl.DataFrame],
    windows: Sequence[int],
    candidates: Sequence[str],
    most: int,
    sum_steps: int = WEEK_STEPS,
) -> pl.DataFrame:
    """Choose each class's option on ``windows`` only, then its models on all of them.

    Args:
        forecasts: backtest forecasts of the routed models and ``ZERO`` (unique_id,
            window, step, day, y, model, forecast), failed models already left out.
        errors: their window errors (sku, model, window, actual, abs_error_7d), failed
            models already left out.
        classes_before: window -> sku, demand_pattern classified on the history before
            that window; needs every window after the first of ``windows`` and
            ``max(windows) + 1`` (the classes the chosen models will forecast).
        windows: the windows the choice may use, oldest first.
        candidates: the models that ran.
        most: the most models a class may average (forecasting.combine_top).
        sum_steps: steps per error sum (7 days of a daily series, 1 week or month).

    Returns:
        The rows of ``CHOICE_SCHEMA``: per pattern in ``ROUTES`` its chosen models best
        first (one row, model ``ZERO``, when forecasting nothing won). Without a window to
        try the options on (``windows`` holds one window) a class averages ``most``.
    """
    options = _option_scores(
        forecasts, errors, classes_before, windows, candidates, most, sum_steps
    )
    final = class_choices(
        errors.filter(pl.col("window").is_in(list(windows))),
        classes_before[max(windows) + 1],
        candidates,
        most,
    )
    rows = []
    for pattern in ROUTES:
        combined, score = _best_option(options, pattern, most)
        if combined == 0:
            rows.append(
                {"demand_pattern": pattern, "model": ZERO, "rank": 1, "wape_7d": 1.0}
                | {"combined": 0, "nested_wape_7d": score}
            )
            continue
        ranked = final.filter(pl.col("demand_pattern") == pattern).head(combined)
        rows += [
            row | {"combined": ranked.height, "nested_wape_7d": score}
            for row in ranked.iter_rows(named=True)
        ]
    return pl.DataFrame(rows, schema=CHOICE_SCHEMA)


def _option_scores(
    forecasts: pl.DataFrame,
    errors: pl.DataFrame,
    classes_before: Mapping[int, pl.DataFrame],
    windows: Sequence[int],
    candidates: Sequence[str],
    most: int,
    sum_steps: int,
) -> pl.DataFrame:
    """demand_pattern (and ``ALL``), combined (0 = zero), wape_7d: each option's pooled
    WAPE on 7-day sums over the windows after the first of ``windows``."""
    parts = []
    for target in windows[1:]:
        classes = classes_before[target].select("sku", "demand_pattern")
        ranking = class_choices(errors.filter(pl.col("window") < target), classes, candidates, most)
        on_target = forecasts.filter(pl.col("window") == target)
        for combined in range(most + 1):
            if combined == 0:
                chosen = pl.DataFrame({"demand_pattern": list(ROUTES), "model": ZERO})
            else:
                chosen = ranking.filter(pl.col("rank") <= combined)
            mix = selected_forecasts(on_target, classes, chosen)
            scored = window_errors(mix, NO_SCALES, sum_steps).select(
                "sku", "actual", "abs_error_7d"
            )
            parts.append(
                scored.join(classes, on="sku").with_columns(
                    pl.lit(target, pl.Int64).alias("window"),
                    pl.lit(combined, pl.Int64).alias("combined"),
                )
            )
    if not parts:
        return pl.DataFrame(
            schema={"demand_pattern": pl.String, "combined": pl.Int64, "wape_7d": pl.Float64}
        )
    scored = pl.concat(parts)
    wape_7d = stable_sum("abs_error_7d", ["sku", "window"]) / stable_sum(
        "actual", ["sku", "window"]
    )
    by_class = scored.group_by("demand_pattern", "combined").agg(wape_7d.alias("wape_7d"))
    overall = scored.group_by("combined").agg(wape_7d.alias("wape_7d"))
    return pl.concat(
        [by_class, overall.select(pl.lit(ALL).alias("demand_pattern"), "combined", "wape_7d")]
    ).filter(pl.col("wape_7d").is_finite())


def _best_option(options: pl.DataFrame, pattern: str, most: int) -> tuple[int, float | None]:
    """(models to average, 0 for zero; its score): the class's best option, the best over
    all SKUs when the class had no demand in the windows tried, ``most`` without any.
    Ties go to the simpler option (fewer models; zero first)."""
    for group in (pattern, ALL):
        scores = options.filter(pl.col("demand_pattern") == group).sort("wape_7d", "combined")
        if not scores.is_empty():
            return scores["combined"][0], scores["wape_7d"][0]
    return most, None
