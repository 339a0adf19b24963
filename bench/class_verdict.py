"""Per class: does the selected forecast meet the rule "never worse than zero, naive or the
best single model"? (docs/forecasting.md, "The per-class rule").

The rule is judged on the planning-period sums the class choice itself scores: 7-day sums
under daily buckets, the week or the month itself under weekly or monthly ones. On single
days an absolute error cannot tell a useful demand rate from none: for a day that sells
with a chance below one half the error-minimising forecast is 0, so zero wins day by day
on any class that sells on fewer than half its days. The daily WAPE is printed beside the
verdict, with the share of holdout days that sold, so that loss is visible and explained.

Each condition that does not hold says why, from the development windows (every window
before the holdout, the ones the choice may use): how the chosen option and the rival
scored there. A rival that wins only on the holdout was not knowable when choosing.
"""

from __future__ import annotations

import polars as pl

from forecasting.evaluation import ALL_CLASSES, HOLDOUT_CHOICE
from forecasting.metrics import accuracy
from forecasting.models import ROUTES, SEASONAL_NAIVE, ZERO
from forecasting.selection import SELECTED

NAIVE = "Naive"


def class_verdicts(
    summary: pl.DataFrame,
    backtest: pl.DataFrame,
    choice: pl.DataFrame,
    series: pl.DataFrame,
    planning: str,
    step: str = "daily",
) -> list[str]:
    """Lines that print each class's verdict.

    Args:
        summary: forecasts.accuracy_summary of the run (the holdout's figures).
        backtest: forecasts.demand_backtest of the run (every window's errors).
        choice: forecasts.model_choice of the run.
        series: unique_id, ds, y: the demand the backtest ran on.
        planning: what a planning period is, e.g. "7-day sums" or "weeks".
        step: what a step's WAPE is called ("daily"); left out where a step is the
            planning period (weekly and monthly buckets).
    """
    holdout = int(backtest["window"].max())
    # The windows the choice's options were tried on: each after the first, before the
    # holdout (classes as at the holdout).
    development = accuracy(
        backtest.filter(pl.col("window").is_between(2, holdout - 1) & pl.col("reason").is_null()),
        ["model", "demand_pattern"],
    )
    nested = (
        choice.filter(pl.col("used_for") == HOLDOUT_CHOICE)
        .group_by("demand_pattern")
        .agg(pl.col("nested_wape_7d").first())
    )
    sold = _share_of_days_sold(backtest.filter(pl.col("window") == holdout), series)
    beside = f" ({step} WAPE beside it)" if step else ""
    lines = [f"Per-class rule, judged on {planning}{beside}:"]
    for pattern in sorted(set(summary["demand_pattern"]) - {ALL_CLASSES}):
        lines += _verdict(
            pattern,
            summary.filter(pl.col("demand_pattern") == pattern),
            development.filter(pl.col("demand_pattern") == pattern),
            nested.filter(pl.col("demand_pattern") == pattern)["nested_wape_7d"],
            sold.get(pattern),
            planning,
            step,
        )
    return lines


def _verdict(
    pattern: str,
    holdout: pl.DataFrame,
    development: pl.DataFrame,
    nested: pl.Series,
    sold: float | None,
    planning: str,
    step: str,
) -> list[str]:
    figures = {row["model"]: row for row in holdout.iter_rows(named=True)}
    selected = figures[SELECTED]
    naive = SEASONAL_NAIVE if figures.get(SEASONAL_NAIVE, {}).get("wape") is not None else NAIVE
    singles = holdout.filter(
        ~pl.col("model").is_in([SELECTED, ZERO]) & pl.col("wape_7d").is_not_null()
    )
    best = singles.sort("wape_7d", "model").row(0, named=True)["model"]
    chosen_dev = nested.item() if len(nested) else None
    dev = {row["model"]: row["wape_7d"] for row in development.iter_rows(named=True)}

    def pair(row: dict) -> str:
        return f"{row['wape']:.3f} / {row['wape_7d']:.3f}" if step else f"{row['wape_7d']:.3f}"

    def score(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.3f}"

    lines = [
        f"  {pattern} ({selected['skus']} SKUs): selected {selected['chosen']} {pair(selected)}",
        f"    development windows ({planning}): chosen option {score(chosen_dev)}, "
        f"zero {score(dev.get(ZERO))}, {naive} {score(dev.get(naive))}",
    ]
    for label, rival in (("zero", ZERO), ("naive", naive), ("best single", best)):
        other = figures.get(rival)
        if other is None or other["wape_7d"] is None:
            lines.append(f"    vs {label} ({rival}): not scored on this class")
            continue
        holds = selected["wape_7d"] <= other["wape_7d"]
        daily = "beats" if selected["wape"] <= other["wape"] else "loses to"
        line = (
            f"    vs {label} ({rival} {pair(other)}): "
            f"{'holds' if holds else 'DOES NOT HOLD'} on {planning}"
        )
        if step:
            line += f"; {step} it {daily} it"
        if not holds:
            line += "; " + _why_not(pattern, rival, dev.get(rival), chosen_dev)
        elif step and daily == "loses to" and rival == ZERO and sold is not None:
            line += (
                f" ({sold:.0%} of the class's holdout days sold: on a day more likely "
                "to sell nothing than something, 0 has the smaller absolute error)"
            )
        lines.append(line)
    best_daily = singles.sort("wape", "model").row(0, named=True)
    if step and best_daily["model"] != best:
        daily = "beats" if selected["wape"] <= best_daily["wape"] else "loses to"
        lines.append(
            f"    vs the best single {step} ({best_daily['model']} {pair(best_daily)}): "
            f"{step} it {daily} it (shown, not ruled on)"
        )
    return lines


def _why_not(pattern: str, rival: str, rival_dev: float | None, chosen_dev: float | None) -> str:
    """Why the choice made on the development windows lost to ``rival`` on the holdout."""
    if chosen_dev is None or rival_dev is None:
        return "no development-window figures to compare"
    if chosen_dev <= rival_dev:
        return (
            f"on the development windows the chosen option scored {chosen_dev:.3f} against "
            f"{rival_dev:.3f}: only the holdout favours {rival}, which no choice could know"
        )
    if rival != ZERO and rival not in ROUTES.get(pattern, ()):
        return (
            f"on the development windows {rival} scored {rival_dev:.3f} against the chosen "
            f"option's {chosen_dev:.3f}, and {rival} is not among this class's models"
        )
    return (
        f"on the development windows {rival} scored {rival_dev:.3f} against the chosen "
        f"option's {chosen_dev:.3f}: the options combine the models ranked best on the "
        f"windows before each window, and {rival} alone was not one of them"
    )


def _share_of_days_sold(holdout: pl.DataFrame, series: pl.DataFrame) -> dict[str, float]:
    """demand_pattern -> the share of its SKUs' holdout days (or buckets) with a sale."""
    days = (
        holdout.filter(pl.col("model") == SELECTED)
        .select(pl.col("sku").alias("unique_id"), "demand_pattern", "first_day", "last_day")
        .join(series.select("unique_id", "ds", "y"), on="unique_id")
        .filter(pl.col("ds").is_between(pl.col("first_day"), pl.col("last_day")))
    )
    shares = days.group_by("demand_pattern").agg((pl.col("y") > 0).mean().alias("sold"))
    return dict(shares.iter_rows())
