"""Class choices by pooled 7-day WAPE, the selected mean forecast, and the evidence-free fallback."""

import datetime as dt

import polars as pl
import pytest

from forecasting.forecast_grid import selected_forecasts
from forecasting.selection import class_choices, combination_name

CANDIDATES = ["ADIDA", "TSB", "CrostonSBA", "SeasonalNaive", "Naive"]


def _errors(rows: list[tuple]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=["sku", "model", "actual", "abs_error_7d"], orient="row")


CLASSES = pl.DataFrame({"sku": ["a", "b", "s"], "demand_pattern": ["lumpy", "lumpy", "smooth"]})


def test_a_class_is_ranked_on_the_pooled_errors_of_its_skus():
    errors = _errors(
        [
            # per SKU, CrostonSBA wins on "a" (the small seller); pooled, ADIDA wins the class
            ("a", "ADIDA", 2.0, 1.0),
            ("a", "TSB", 2.0, 1.5),
            ("a", "CrostonSBA", 2.0, 0.0),
            ("b", "ADIDA", 100.0, 30.0),
            ("b", "TSB", 100.0, 40.0),
            ("b", "CrostonSBA", 100.0, 60.0),
            # Naive is best on the smooth SKU but is not routed to any class
            ("s", "ADIDA", 50.0, 20.0),
            ("s", "SeasonalNaive", 50.0, 25.0),
            ("s", "Naive", 50.0, 1.0),
        ]
    )
    got = class_choices(errors, CLASSES, CANDIDATES, top=2)
    lumpy = got.filter(pl.col("demand_pattern") == "lumpy")
    assert lumpy["model"].to_list() == ["ADIDA", "TSB"]
    # The best model is rank 1: the forecast reads rank 1 as "the choice" (rank 0 would
    # leave every class without one).
    assert lumpy["rank"].to_list() == [1, 2]
    assert lumpy["wape_7d"].to_list() == pytest.approx([31 / 102, 41.5 / 102])
    smooth = got.filter(pl.col("demand_pattern") == "smooth")
    assert smooth["model"].to_list() == ["ADIDA", "SeasonalNaive"]
    # no erratic or intermittent SKU: ranked on all SKUs pooled, routed candidates only
    # (TSB 1.5+40=41.5 beats CrostonSBA 60 over 152 units; ADIDA 51 is best)
    intermittent = got.filter(pl.col("demand_pattern") == "intermittent")
    assert intermittent["model"].to_list() == ["ADIDA", "TSB"]


def test_without_any_backtest_the_pool_order_is_the_choice():
    empty = _errors([]).cast(
        {"actual": pl.Float64, "abs_error_7d": pl.Float64, "sku": pl.String, "model": pl.String}
    )
    got = class_choices(empty, CLASSES, CANDIDATES, top=1)
    assert dict(got.select("demand_pattern", "model").iter_rows()) == {
        "smooth": "TSB",
        "erratic": "TSB",
        "intermittent": "TSB",
        "lumpy": "TSB",
    }
    assert got["wape_7d"].null_count() == 4


def test_selected_forecast_is_the_mean_of_the_class_models():
    day = dt.date(2024, 1, 1)
    forecasts = pl.DataFrame(
        {
            "unique_id": ["a"] * 3,
            "window": [1] * 3,
            "step": [1] * 3,
            "day": [day] * 3,
            "y": [5.0] * 3,
            "model": ["ADIDA", "TSB", "CrostonSBA"],
            "forecast": [2.0, 4.0, 100.0],
        }
    )
    choices = pl.DataFrame({"demand_pattern": ["lumpy", "lumpy"], "model": ["ADIDA", "TSB"]})
    got = selected_forecasts(forecasts, CLASSES, choices)
    assert got.rows() == [("a", 1, 1, day, 5.0, "selected", 3.0)]


def test_combination_name():
    assert combination_name(["ADIDA"]) == "ADIDA"
    assert combination_name(["TSB", "ADIDA"]) == "mean(TSB, ADIDA)"


def test_top_must_be_positive():
    with pytest.raises(ValueError, match="combine_top"):
        class_choices(_errors([("a", "ADIDA", 1.0, 1.0)]), CLASSES, CANDIDATES, top=0)
