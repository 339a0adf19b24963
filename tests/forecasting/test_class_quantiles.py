"""A class's band quantiles, worked by hand on a class with a day whose forecast failed."""

import polars as pl

from forecasting.intervals import class_quantiles


def test_quantiles_of_a_class_with_a_failed_forecast_day():
    """Scores -1, 0, 0, 1, 4 and one null (no forecast that day), scale 1, forecast 1.
    80 %: the lower quantile is the 0-th known score, -1 (lower bound 0, no day below it),
    so the upper one is the ceil(0.8 * 7) - 1 = 5th of the six sorted with the null
    first: 4. 50 %: lower quantile 0 (bound 1, one day of five below it), upper the
    ceil(0.7 * 7) - 1 = 4th: 1. A class with no known score has no quantiles. Catches the
    null sorted last (80 %: null), the null not counted in n (80 %: 1), a quantile of the
    sorted scores with the null among them, and one sort shared across classes."""
    scored = pl.DataFrame(
        {
            "demand_pattern": ["a"] * 6 + ["b"] * 2,
            "y": [0.0, 1.0, 1.0, 2.0, 5.0, 3.0, 1.0, 2.0],
            "forecast": [1.0, 1.0, 1.0, 1.0, 1.0, None, None, None],
            "scale": 1.0,
        }
    ).with_columns(((pl.col("y") - pl.col("forecast")) / pl.col("scale")).alias("score"))
    quantiles = class_quantiles(scored.reverse(), (80, 50)).sort("demand_pattern")
    assert quantiles.rows(named=True) == [
        {"demand_pattern": "a", "q_lo_80": -1.0, "q_hi_80": 4.0, "q_lo_50": 0.0, "q_hi_50": 1.0},
        {"demand_pattern": "b", "q_lo_80": None, "q_hi_80": None, "q_lo_50": None, "q_hi_50": None},
    ]
