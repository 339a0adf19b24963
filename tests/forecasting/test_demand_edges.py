"""Demand series and ABC classes at the edges of their windows and cutoffs."""

import datetime as dt

import polars as pl

from forecasting.demand import abc_classes, demand_series
from tests.forecasting.test_demand import _mart

LAST = dt.date(2024, 6, 30)


def _day(n: int) -> dt.date:
    return LAST - dt.timedelta(days=n)


def test_the_history_and_activity_windows_hold_exactly_their_days():
    """Bugs caught: a window one day too long (``>=`` for ``>``): with history_days 10 the
    series holds the last day and the 9 before it, not the day 10 days back; with
    min_active_days 30 a SKU whose last sale was 29 days ago is forecast and one whose last
    sale was 30 days ago is not."""
    mart = _mart(
        [
            ("EDGE", _day(30), True, 2, False, False),  # sold 30 days back only: inactive
            ("EDGE", _day(0), True, 0, False, False),
            ("KEPT", _day(29), True, 1, False, False),  # sold 29 days back: active
            ("KEPT", _day(10), True, 4, False, False),  # outside the 10-day history
            ("KEPT", _day(9), True, 3, False, False),
            ("KEPT", _day(0), True, 0, False, False),
        ]
    )
    series = demand_series(mart, history_days=10, min_active_days=30)
    assert series.rows() == [("KEPT", _day(9), 3.0), ("KEPT", _day(0), 0.0)]


def test_a_sku_with_exactly_80_percent_of_revenue_above_it_is_b():
    """Bug caught: the A cut taken as "at most 80 % above" (``<=`` for ``<``): revenues 80,
    15 and 5 leave 0 %, exactly 80 % and 95 % above each SKU: A, B and C."""
    abc = abc_classes(pl.DataFrame({"sku": ["a", "b", "c"], "revenue": [80.0, 15.0, 5.0]}))
    assert abc["abc_class"].to_list() == ["A", "B", "C"]
