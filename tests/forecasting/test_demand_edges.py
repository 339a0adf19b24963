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


def test_a_day_with_more_units_returned_than_sold_is_no_demand():
    """Bug caught: a net negative day (returns above sales) kept as negative demand (the
    clip at 0 moved), which pulls the forecast below what customers bought."""
    mart = _mart(
        [
            ("SKU", _day(2), True, 3, False, False),
            ("SKU", _day(1), True, -2, False, False),
            ("SKU", _day(0), True, 1, False, False),
        ]
    )
    assert demand_series(mart, history_days=10, min_active_days=30)["y"].to_list() == [
        3.0,
        0.0,
        1.0,
    ]


def test_abc_shares_leave_refunds_out_and_rank_any_positive_revenue():
    """Bugs caught: a SKU with net refunds (-4) taking its loss off the total the shares are
    of (shares of 99 instead of 100); a SKU earning less than one unit of money taken for one
    without revenue (C), when alone it is the shop's best seller (A)."""
    abc = abc_classes(
        pl.DataFrame({"sku": ["big", "small", "refunds"], "revenue": [90.0, 10.0, -4.0]})
    )
    assert abc["revenue_share"].to_list() == [0.9, 0.1, 0.0]
    alone = abc_classes(pl.DataFrame({"sku": ["cheap"], "revenue": [0.5]}))
    assert alone["abc_class"].to_list() == ["A"]


def test_the_a_cut_absorbs_a_float_hair_but_not_a_real_shortfall():
    """Bug caught: the rounding of the revenue share above a SKU set to other than 9
    decimals. 7,999,999,999 of 10,000,000,000 above the second SKU is 0.7999999999: a hair
    (1e-10) below 80 %, taken as at the cut (B; with 10 decimals it would be A); 799,999,997
    of 1,000,000,000 is 0.799999997, 3e-9 short of it: A (with 8 decimals it would be B)."""

    def second_class(above: float, total: float) -> str:
        revenue = pl.DataFrame({"sku": ["a", "b"], "revenue": [above, total - above]})
        return abc_classes(revenue)["abc_class"][1]

    assert second_class(7_999_999_999.0, 10_000_000_000.0) == "B"
    assert second_class(799_999_997.0, 1_000_000_000.0) == "A"
