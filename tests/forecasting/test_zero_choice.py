"""A class whose models all forecast worse than nothing chooses the zero forecast."""

import polars as pl
import pytest

from forecasting.models import ZERO
from forecasting.nested_choice import nested_choices

OPTION_SCHEMA = {
    "sku": pl.String,
    "actual": pl.Float64,
    "abs_error_7d": pl.Float64,
    "demand_pattern": pl.String,
    "window": pl.Int64,
    "combined": pl.Int64,
    "combine": pl.String,
}


def test_zero_wins_where_every_option_misses_by_more_than_the_demand():
    """Bugs caught: the zero forecast's row reporting another WAPE than its own, or another
    rank than 1 (forecasts.model_choice lists each class's models from rank 1; a zero
    row ranked 0 or 2 reads as a class without a first choice). Zero misses
    by exactly the demand (WAPE 1: 10 of 10 units on window 2); the best model misses by
    15: the smooth class chooses zero, whose WAPE is 1 on every window."""
    tried = {
        2: pl.DataFrame(
            [("S", 10.0, 10.0, "smooth", 2, 0, "mean"), ("S", 10.0, 15.0, "smooth", 2, 1, "mean")],
            schema=OPTION_SCHEMA,
            orient="row",
        )
    }
    errors = pl.DataFrame(
        {
            "sku": ["S", "S"],
            "model": ["TSB", "TSB"],
            "window": [1, 2],
            "actual": [10.0, 10.0],
            "abs_error_7d": [14.0, 15.0],
        }
    )
    classes = {3: pl.DataFrame({"sku": ["S"], "demand_pattern": ["smooth"]})}
    choice = nested_choices(tried, errors, classes, [1, 2], ["TSB", "SeasonalNaive", "Naive"], 1)
    smooth = choice.filter(pl.col("demand_pattern") == "smooth").row(0, named=True)
    assert (smooth["model"], smooth["combined"], smooth["rank"]) == (ZERO, 0, 1)
    assert smooth["wape_7d"] == 1.0
    assert smooth["nested_wape_7d"] == pytest.approx(1.0)
