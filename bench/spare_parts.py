"""Monthly spare parts: does the class selection beat the best single model on its holdout?

The parts come from simulator/spare_parts.py (a known demand process: Poisson orders in
lumps, steady, declining or seasonal; 3,000 parts over 48 months by default, most months
without a sale). They go through the pipeline's own code in monthly buckets: the series
start at the first month of the history (every part was on sale from the start), 4
back-to-back windows of 3 months, the last the holdout, 3 months of history before a
part's first window, a yearly season of 12 months. `selected` is chosen on the 3 earlier
windows only.

    .venv/bin/python bench/spare_parts.py [--parts 3000] [--months 48] [--seed 7]

Prints per class (demand pattern in monthly buckets) the holdout WAPE of `selected`, the
best single model on the holdout (picked by looking at it, so a high bar), forecasting
zero, seasonal naive and the true expected demand (the best forecast possible), and when
`selected` loses to the best single model, why: the gap against its standard error over
the class's parts, and whether even the true expectation loses to zero. The WAPE of the
3-month window sums (the demand over a lead time) is printed beside it.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from config.settings import ForecastingSettings
from forecasting.bucket_series import HISTORY_START, bucket_series
from forecasting.buckets import MONTH, bucket_plan
from forecasting.evaluation import Evaluation, evaluate_models
from forecasting.models import SEASONAL_NAIVE, ZERO
from forecasting.selection import SELECTED
from simulator.spare_parts import SpareParts, spare_parts

ORACLE = "expected (truth)"


def spare_parts_settings(months: int) -> ForecastingSettings:
    """The monthly setup of the module docstring."""
    return ForecastingSettings(
        bucket=MONTH,
        horizon=3,
        backtest_windows=4,
        backtest_min_train_days=56,
        history_days=months * 31,
        min_active_days=months * 31,
        series_start=HISTORY_START,
    )


def run(parts: SpareParts, months: int) -> tuple[Evaluation, pl.DataFrame]:
    """The evaluation of the parts in monthly buckets and the per-class verdicts."""
    cfg = spare_parts_settings(months)
    series = bucket_series(
        parts.demand, MONTH, cfg.history_days, cfg.min_active_days, cfg.series_start
    )
    evaluation = evaluate_models(series, cfg, plan=bucket_plan(cfg, MONTH))
    return evaluation, verdicts(evaluation, parts)


def verdicts(evaluation: Evaluation, parts: SpareParts) -> pl.DataFrame:
    """One row per class (and all): the holdout WAPE of selected, the best single model,
    zero, seasonal naive and the truth, and why selected loses where it does."""
    holdout = evaluation.backtest.filter(
        (pl.col("window") == pl.col("window").max())
        & pl.col("reason").is_null()
        & pl.col("demand_pattern").is_not_null()
    )
    with_all = pl.concat([holdout, holdout.with_columns(pl.lit("all").alias("demand_pattern"))])
    oracle = _oracle_errors(with_all, parts)
    rows = []
    for pattern in sorted(with_all["demand_pattern"].unique()):
        errors = pl.concat(
            [
                with_all.filter(pl.col("demand_pattern") == pattern),
                oracle.filter(pl.col("demand_pattern") == pattern),
            ],
            how="diagonal",
        )
        rows.append(_verdict(pattern, errors))
    return pl.DataFrame(rows)


def _oracle_errors(holdout: pl.DataFrame, parts: SpareParts) -> pl.DataFrame:
    """The true expected demand scored like a model on the same holdout windows."""
    windows = holdout.filter(pl.col("model") == SELECTED).select(
        "sku", "demand_pattern", "first_day", "last_day", "actual"
    )
    expected = (
        windows.join(parts.expected, on="sku")
        .filter(pl.col("month").is_between(pl.col("first_day"), pl.col("last_day")))
        .join(_monthly_actuals(parts), on=["sku", "month"], how="left")
        .with_columns(pl.col("units").fill_null(0.0))
        .group_by("sku", "demand_pattern")
        .agg(
            pl.col("actual").first(),
            (pl.col("expected") - pl.col("units")).abs().sum().alias("abs_error"),
            pl.col("expected").sum().alias("forecast"),
        )
    )
    return expected.with_columns(pl.lit(ORACLE).alias("model"))


def _monthly_actuals(parts: SpareParts) -> pl.DataFrame:
    return parts.demand.group_by("sku", pl.col("day").dt.truncate("1mo").alias("month")).agg(
        pl.col("demand_units").sum().alias("units")
    )


def _verdict(pattern: str, errors: pl.DataFrame) -> dict:
    actual = errors.filter(pl.col("model") == SELECTED)["actual"].sum()
    wape = errors.group_by("model").agg((pl.col("abs_error").sum() / actual).alias("wape"))
    score = dict(wape.iter_rows())
    window_sums = errors.group_by("model").agg(
        ((pl.col("forecast") - pl.col("actual")).abs().sum() / actual).alias("wape")
    )
    on_sums = dict(window_sums.iter_rows())
    singles = wape.filter(~pl.col("model").is_in([SELECTED, ZERO, ORACLE])).sort("wape")
    best, best_wape = singles.row(0)
    gap, spread = _paired_gap(errors, SELECTED, best, actual)
    zero_rows = errors.filter(pl.col("model") == SELECTED)
    zero_months = 1 - (zero_rows["actual"] > 0).mean()
    if score[SELECTED] <= best_wape:
        why = "selected beats or ties the best single model"
    elif abs(gap) < 2 * spread:
        why = (
            f"loses by {gap:.3f}, within the noise (2 standard errors over the class's parts "
            f"= {2 * spread:.3f})"
        )
    else:
        why = f"loses by {gap:.3f} (2 standard errors = {2 * spread:.3f})"
    if score[SELECTED] > score[ZERO]:
        why += f"; loses to zero by {score[SELECTED] - score[ZERO]:.3f}"
    if score.get(ORACLE, math.inf) > score[ZERO]:
        why += (
            "; even the true expectation loses to zero month by month: "
            f"{zero_months:.0%} of its parts sell nothing in the 3 holdout months"
        )
    return {
        "class": pattern,
        "parts": zero_rows.height,
        SELECTED: round(score[SELECTED], 3),
        "best single": f"{best} {best_wape:.3f}",
        ZERO: round(score[ZERO], 3),
        SEASONAL_NAIVE: round(score[SEASONAL_NAIVE], 3) if SEASONAL_NAIVE in score else None,
        ORACLE: round(score.get(ORACLE, math.nan), 3),
        "3-month sums: selected / best single / zero / truth": " / ".join(
            f"{on_sums[name]:.3f}" for name in (SELECTED, best, ZERO, ORACLE)
        ),
        "why": why,
    }


def _paired_gap(errors: pl.DataFrame, a: str, b: str, actual: float) -> tuple[float, float]:
    """(WAPE of a - WAPE of b, its standard error) from the per-part differences."""
    paired = (
        errors.filter(pl.col("model").is_in([a, b]))
        .pivot("model", index="sku", values="abs_error")
        .drop_nulls()
    )
    difference = paired[a] - paired[b]
    spread = difference.std() * math.sqrt(paired.height) / actual if paired.height > 1 else 0.0
    return difference.sum() / actual, spread


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", type=int, default=3000)
    parser.add_argument("--months", type=int, default=48)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    started = time.perf_counter()
    parts = spare_parts(args.parts, args.months, seed=args.seed)
    zero_share = 1 - (_monthly_actuals(parts).filter(pl.col("units") > 0).height) / (
        parts.demand["sku"].n_unique() * args.months
    )
    evaluation, table = run(parts, args.months)
    seconds = time.perf_counter() - started
    with pl.Config(tbl_rows=50, tbl_cols=12, tbl_width_chars=250, fmt_str_lengths=200):
        choice = evaluation.model_choice.filter(pl.col("used_for") == "holdout")
        print(choice.select("demand_pattern", "model", "rank", "combined", "nested_wape_7d"))
        print(table)
        bands = evaluation.accuracy_summary.filter(pl.col("model") == SELECTED)
        print(bands.select("demand_pattern", "skus", "coverage_80", "coverage_95"))
    print(
        f"{parts.demand['sku'].n_unique()} parts with a sale, {args.months} months, "
        f"{zero_share:.0%} of part-months without a sale; {seconds:.1f} s"
    )


if __name__ == "__main__":
    main()
