"""The reorder list's inputs on hand-made frames: catalog defaults, the demand grid, lead
times in trading days, the forecast's freshness and the last sales."""

import datetime as dt

import numpy as np
import polars as pl
import pytest

from forecasting.reorder_inputs import (
    daily_demand_grid,
    last_sales_in,
    lead_trading_days,
    orderable_skus,
    require_current_forecast,
)

AS_OF = dt.date(2024, 7, 1)
EVERY_DAY = (1, 2, 3, 4, 5, 6, 7)


def _day(n: int) -> dt.date:
    return AS_OF + dt.timedelta(days=n)


def test_a_catalog_without_terms_takes_the_documented_defaults():
    """Bugs caught: a catalog without is_product, moq or pack_size given other defaults
    than a product, an MOQ of 1 and packs of 1 (e.g. every SKU dropped as no product, or
    orders in pairs), and a catalog's descriptions dropped."""
    forecast = pl.DataFrame({"sku": ["A"], "day": [_day(1)], "demand_pattern": ["smooth"]})
    catalog = pl.DataFrame(
        {"sku": ["A"], "description": ["mug"], "unit_cost": [2.0], "lead_time_days": [7.0]}
    )
    abc = pl.DataFrame({"sku": ["A"], "abc_class": ["C"]})
    row = orderable_skus(forecast, catalog, None, abc, {"C": 0.9}).row(0, named=True)
    assert (row["is_product"], row["moq"], row["pack_size"]) == (True, 1, 1)
    assert row["description"] == "mug"


def test_lead_times_in_whole_trading_days_at_least_one():
    """Bugs caught: a lead time of 0 or 1 calendar day planned as 0 or 2 trading days, and
    calendar days turned into trading days by 7/8 instead of 7/7 (14 days read as 13)."""
    leads = np.array([0.0, 1.0, 14.0])
    assert lead_trading_days(leads, EVERY_DAY).tolist() == [1, 1, 14]
    assert lead_trading_days(leads, (1, 2, 3, 4, 5, 6)).tolist() == [1, 1, 12]


def test_a_forecast_ending_on_the_stock_day_is_stale_and_the_first_sku_is_named():
    """Bugs caught: a forecast whose last day is the as-of day itself taken as current (it
    has no day to plan on), and the error naming the last stale SKU instead of the first."""
    forecast = pl.DataFrame({"sku": ["A", "B", "C"], "day": [AS_OF, AS_OF, _day(1)]})
    skus = pl.DataFrame({"sku": ["A", "B", "C"]})
    with pytest.raises(ValueError, match=r"for 2 SKU\(s\) \(first: 'A'\) ends on or before"):
        require_current_forecast(forecast, skus, AS_OF)


def test_the_last_sale_counts_a_single_unit_sold_on_the_stock_day():
    """Bugs caught: a sale on the as-of day itself left out (< for <=), and a day selling
    one unit not counted as a sale."""
    history = pl.DataFrame(
        {"sku": ["A", "A", "A"], "day": [_day(-3), AS_OF, _day(1)], "units": [5.0, 1.0, 2.0]}
    )
    assert last_sales_in(history, AS_OF).rows() == [("A", AS_OF)]


def test_the_demand_grid_starts_after_the_stock_day_and_fills_by_the_horizon():
    """Bugs caught: a forecast row on the as-of day taken as future demand, a day inside a
    SKU's horizon that its forecast skips given 1 or -1 unit instead of none, and the days
    past its horizon filled by a mean that leaves out its last forecast day.

    A is forecast 1 on day 1 and 4 on day 3 (day 2 skipped; B's forecast makes it a
    column), B 1 a day on days 1-2; the grid runs to day 4: A's day 4 is its average
    forecast day (1 + 4) / 2, the skipped day not one of them, and B's days 3-4 its 1."""
    forecast = pl.DataFrame(
        {
            "sku": ["A", "A", "A", "B", "B"],
            "day": [AS_OF, _day(1), _day(3), _day(1), _day(2)],
            "forecast": [9.0, 1.0, 4.0, 1.0, 1.0],
        }
    )
    days, mean, horizon_end = daily_demand_grid(forecast, ["A", "B"], AS_OF, _day(4), EVERY_DAY)
    assert days.astype(dt.date).tolist() == [_day(1), _day(2), _day(3), _day(4)]
    assert mean.tolist() == [[1.0, 0.0, 4.0, 2.5], [1.0, 1.0, 1.0, 1.0]]
    assert horizon_end.astype(dt.date).tolist() == [_day(3), _day(2)]
