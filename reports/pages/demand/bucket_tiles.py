"""The demand page's holdout tiles when the SKUs are forecast in several buckets (auto).

The headline WAPE sums every bucket group's holdout errors over their actual units, each
SKU in its own bucket (a day, a week or a month per step); one tile per group then gives
its own figure on its sums, its SKUs and its best single model, so the split is visible.
"""

from __future__ import annotations

import polars as pl

from reports.pages.demand.buckets import LABEL_SUFFIX, WORDS, run_words
from reports.pages.demand.value_added import BENCHMARKS
from reports.site.format import fmt_date, fmt_int, fmt_number
from reports.site.layout import kpi_tiles


def _ratio(part: float | None, whole: float | None) -> str:
    return fmt_number(part / whole if whole else None, 3)


def _best_single(summary: pl.DataFrame, bucket: str) -> str:
    """The best single model of a group's `all` row on its sums, e.g. "best single ADIDA 0.64";
    the benchmarks (zero, naive) are not single models here, as in the value-added table."""
    label = "all" + LABEL_SUFFIX.get(bucket, "")
    singles = summary.filter(
        (pl.col("demand_pattern") == label) & ~pl.col("model").is_in(BENCHMARKS)
    ).sort("wape_7d", "model", nulls_last=True)
    if singles.is_empty():
        return ""
    best = singles.row(0, named=True)
    return f"; best single {best['model']} {fmt_number(best['wape_7d'], 3)}"


def mixed_tiles(summary: pl.DataFrame, holdout: pl.DataFrame, buckets: list[str]) -> str:
    """Tiles of `selected` over every bucket group's holdout, then one per group.

    Args:
        summary: forecasts.accuracy_summary (for each group's best single model).
        holdout: from :func:`reports.pages.demand.buckets.holdout_by_bucket`.
        buckets: the run's buckets, finest first.
    """
    if holdout.is_empty():
        return ""
    actual, groups = holdout["actual"].sum(), holdout.to_dicts()
    words = run_words(buckets)
    split = " · ".join(f"{WORDS[g['bucket']].step} {fmt_int(g['skus'])}" for g in groups)
    tiles = [
        (
            "selected_wape",
            "Selected WAPE",
            _ratio(holdout["abs_error"].sum(), actual),
            "holdout, each SKU per step of its bucket",
        ),
        (
            "selected_wape_7d",
            "Selected WAPE on sums",
            _ratio(holdout["abs_error_7d"].sum(), actual),
            f"on {words.sums}, by SKU's bucket",
        ),
        *(
            (
                f"selected_wape_{g['bucket']}",
                f"{WORDS[g['bucket']].step.capitalize()} SKUs",
                _ratio(g["abs_error_7d"], g["actual"]),
                f"{fmt_int(g['skus'])} SKU{'s' if g['skus'] != 1 else ''} on "
                f"{WORDS[g['bucket']].sums}" + _best_single(summary, g["bucket"]),
            )
            for g in groups
        ),
        (
            "holdout",
            "Holdout",
            fmt_date(holdout["first_day"].min()),
            f"to {fmt_date(holdout['last_day'].max())}",
        ),
        ("backtest_skus", "SKUs judged", fmt_int(holdout["skus"].sum()), split),
    ]
    return kpi_tiles(tiles)
