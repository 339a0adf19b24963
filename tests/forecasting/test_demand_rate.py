"""One demand rate per SKU for the reorder list and the overstock table.

The two plausible rates of a SKU, its forecast and its recent level on its own history,
disagree in the hand-made catalog below; the list and the table must read the same one,
and a SKU the table lists is never ordered."""

import datetime as dt

import polars as pl
import pytest

from config.settings import InventorySettings
from forecasting.demand_rate import BASIS_FORECAST, BASIS_HISTORY, planning_demand_rate
from forecasting.overstock import overstock
from forecasting.reorder_inputs import last_sales_in
from tests.forecasting.test_reorder import (
    AS_OF,
    EVERY_DAY,
    SERVICE,
    _catalog,
    _forecast,
    _history,
    _recommend,
    _stock,
)

UNRELIABLE = "2 days with sales in the last 90 days; forecasting zero missed less"
# Both SKUs sold 10 a day (reorder point 70) and hold 60: below the point.
# ODD's forecast (0.2 a day) lost to forecasting zero: it is planned on its history.
# DRIFT's forecast (0.5 a day) is reliable: 90 days of it is 45 units, so 15 are excess.
CATALOG = _catalog([{"sku": "ODD"}, {"sku": "DRIFT"}])
STOCK = _stock([("ODD", 60, 0), ("DRIFT", 60, 0)])
HISTORY = _history({"ODD": 10.0, "DRIFT": 10.0})
FORECAST = pl.concat(
    [
        _forecast(["ODD"], per_day=0.2).with_columns(
            pl.lit(UNRELIABLE).alias("reliability_reason")
        ),
        _forecast(["DRIFT"], per_day=0.5).with_columns(
            pl.lit(None, pl.String).alias("reliability_reason")
        ),
    ]
)
INVENTORY = InventorySettings(service_level=SERVICE, review_period_days=7)


def test_the_rate_is_the_forecast_only_where_it_is_reliable():
    """Bug caught: a SKU whose forecast lost to zero measured against that forecast."""
    rates = planning_demand_rate(
        FORECAST, HISTORY, ["ODD", "DRIFT", "NEW"], AS_OF, INVENTORY, EVERY_DAY
    )
    assert rates.rows() == [
        ("ODD", pytest.approx(10.0), BASIS_HISTORY),
        ("DRIFT", pytest.approx(0.5), BASIS_FORECAST),
        ("NEW", 0.0, BASIS_HISTORY),  # no forecast, no history: sells nothing
    ]
    # A shop trading 5 days a week: 10 a trading day is 50 / 7 a calendar day.
    weekdays = _history({"ODD": 10.0}, weekdays=(1, 2, 3, 4, 5))
    five = planning_demand_rate(FORECAST, weekdays, ["ODD"], AS_OF, INVENTORY, (1, 2, 3, 4, 5))
    assert five["daily_demand"][0] == pytest.approx(50 / 7)


def test_the_stock_counting_day_is_history_too():
    """Bug caught: the history taken strictly before the day the stock was counted, so a
    SKU whose only sales are that day (4 units) was planned on no demand at all."""
    one_day = _history({"ODD": 4.0}, days=1)
    assert one_day["day"].to_list() == [AS_OF]
    rates = planning_demand_rate(FORECAST, one_day, ["ODD"], AS_OF, INVENTORY, EVERY_DAY)
    assert rates.rows() == [("ODD", pytest.approx(4.0), BASIS_HISTORY)]


def test_no_sku_is_both_reordered_and_overstocked():
    """Bug caught: the overstock table measured cover with the forecast while the reorder
    list ordered unreliable-forecast SKUs on their own history, so ODD was both "order now"
    and "90 days of excess"; and DRIFT, overstocked on its reliable forecast, was still
    ordered because its history-based reorder point was above its stock."""
    ordered = _recommend(FORECAST, CATALOG, STOCK, history=HISTORY)
    rates = planning_demand_rate(FORECAST, HISTORY, ["ODD", "DRIFT"], AS_OF, INVENTORY, EVERY_DAY)
    table = overstock(
        STOCK.select("sku", "on_hand"),
        CATALOG,
        rates,
        last_sales_in(HISTORY, AS_OF),
        AS_OF,
        INVENTORY,
    )
    assert ordered["sku"].to_list() == ["ODD"]
    assert table.select("sku", "demand_basis", "cover_units", "excess_units").rows() == [
        ("DRIFT", BASIS_FORECAST, 45, 15)
    ]
    assert not set(ordered["sku"]) & set(table["sku"])
    # The list's cover is the same rate's: 60 on hand at 10 a day.
    assert ordered["days_of_cover"][0] == pytest.approx(6.0)


def test_a_slow_mover_in_stock_is_never_ordered():
    """Bug caught: a SKU listed as a slow mover ("no sale in N days") still ordered because
    its stock is below the reorder point its older sales set."""
    # Sold 10 a day until 40 days ago, nothing since: a slow mover at 30 days, yet its level
    # over the last 56 days is 16 x 10 / 56 a day, so its reorder point is above 1.
    quiet = _history({"QUIET": [10.0] * 56 + [0.0] * 40})
    catalog = _catalog([{"sku": "QUIET"}])
    stock = _stock([("QUIET", 1, 0)])
    forecast = _forecast(["QUIET"], per_day=10.0)
    inventory = InventorySettings(service_level=SERVICE, review_period_days=7, slow_mover_days=30)
    assert _recommend(forecast, catalog, stock, history=quiet, slow_mover_days=90)[
        "sku"
    ].to_list() == ["QUIET"]
    assert _recommend(forecast, catalog, stock, history=quiet, slow_mover_days=30).is_empty()
    rates = planning_demand_rate(forecast, quiet, ["QUIET"], AS_OF, inventory, EVERY_DAY)
    table = overstock(stock, catalog, rates, last_sales_in(quiet, AS_OF), AS_OF, inventory)
    assert table.select("sku", "excess_units", "no_recent_sale").rows() == [("QUIET", 0, True)]


def test_the_forecast_rate_counts_only_days_after_the_stock_count():
    """Bug caught: a forecast row dated the counting day itself (a forecast made the day
    before) added to the rate: that day's demand is already out of the counted stock, so
    100 units forecast for it would turn 1 a day into 26 a day."""
    days = [AS_OF + dt.timedelta(days=n) for n in range(5)]
    forecast = pl.DataFrame(
        {"sku": "DRIFT", "day": days, "forecast": [100.0, 1.0, 1.0, 1.0, 1.0]},
        schema={"sku": pl.String, "day": pl.Date, "forecast": pl.Float64},
    )
    rates = planning_demand_rate(forecast, HISTORY, ["DRIFT"], AS_OF, INVENTORY, EVERY_DAY)
    assert rates.rows() == [("DRIFT", pytest.approx(1.0), BASIS_FORECAST)]
