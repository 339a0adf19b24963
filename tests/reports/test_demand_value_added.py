"""The demand page's value-added table when seasonal naive could not run."""

from __future__ import annotations

import polars as pl

from reports.pages.demand.value_added import by_class


def test_a_class_without_seasonal_naive_still_gets_its_row():
    """Bug caught: under monthly buckets on a year of history the 12-month season is longer
    than every series, seasonal naive has no rows, and publishing the site failed with
    'unable to find column "SeasonalNaive"'."""
    summary = pl.DataFrame(
        {
            "model": ["selected", "Zero", "ADIDA"],
            "demand_pattern": ["all"] * 3,
            "skus": [40] * 3,
            "wape_7d": [0.41, 1.0, 0.40],
            "coverage_80": [0.7, None, None],
            "coverage_95": [0.8, None, None],
        }
    )
    row = by_class(summary).row(0, named=True)
    assert row["SeasonalNaive"] is None and row["best_single"] == "ADIDA"
    assert row["verdict"] == "beats zero; seasonal naive not scored (season longer than history)"
