"""The demand page's value-added table and tile when seasonal naive could not run."""

from __future__ import annotations

import polars as pl

from reports.pages.demand.value_added import by_class, naive_words


def _summary(models: list[str], skus: list[int], wape_7d: list[float]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "model": models,
            "demand_pattern": ["all"] * len(models),
            "skus": skus,
            "wape_7d": wape_7d,
            "coverage_80": [0.7] + [None] * (len(models) - 1),
            "coverage_95": [0.8] + [None] * (len(models) - 1),
        }
    )


def test_a_class_without_seasonal_naive_still_gets_its_row():
    """Bug caught: under monthly buckets on a year of history the 12-month season is longer
    than every series, seasonal naive has no rows, and publishing the site failed with
    'unable to find column "SeasonalNaive"'."""
    summary = _summary(["selected", "Zero", "ADIDA"], [40] * 3, [0.41, 1.0, 0.40])
    row = by_class(summary, ["month"]).row(0, named=True)
    assert row["naive"] is None and row["best_single"] == "ADIDA"
    assert row["verdict"] == "beats zero; no naive benchmark scored every SKU"


def test_a_class_seasonal_naive_could_not_score_is_judged_against_naive():
    """Bug caught: with seasonal naive missing (or scoring only some SKUs of the class) the
    page said "seasonal naive not scored" although plain Naive beat the selected forecast."""
    summary = _summary(
        ["selected", "Zero", "Naive", "SeasonalNaive"], [40, 40, 40, 3], [0.41, 1.0, 0.28, 0.2]
    )
    row = by_class(summary, ["month"]).row(0, named=True)
    assert (row["naive"], row["naive_benchmark"]) == (0.28, "naive (last month)")
    assert row["verdict"] == "no better than naive (last month)"
    daily = _summary(["selected", "Zero", "Naive", "SeasonalNaive"], [40] * 4, [0.4, 1, 0.5, 0.6])
    row = by_class(daily).row(0, named=True)
    assert (row["naive"], row["verdict"]) == (0.6, "beats zero and seasonal naive")


def test_the_tile_names_the_benchmark_each_sku_was_judged_against():
    """Bug caught: the tile said "seasonal naive" for SKUs seasonal naive never scored."""
    verdicts = pl.DataFrame({"naive_model": ["SeasonalNaive", "Naive", "Naive", None]})
    assert naive_words(verdicts, "last month") == (
        "seasonal naive; naive (last month) for 2 SKUs; none for 1 SKUs"
    )
    assert naive_words(verdicts.tail(2).head(1), "last month") == "naive (last month)"
