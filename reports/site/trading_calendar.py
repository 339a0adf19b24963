"""Which days the shop was closed, by the trading calendar the demand forecasts use.

`marts.sku_demand_daily.is_trading_day` is that calendar in the warehouse: a day is a
trading day when its weekday is one the shop trades on (setting
`forecasting.trading_weekdays`; the demo's shop never trades on Saturdays) and the shop
took at least one order on it. Every other day is closed: a daily rate of such a day (the
demo's simulated traffic still has sessions on Saturdays, so its conversion read 0 %) is
a gap in a daily line, not a zero. Reading the flag the forecasts wrote keeps one place
for the calendar.
"""

from __future__ import annotations

from datetime import date

import duckdb

from warehouse.frames import query


def closed_days(con: duckdb.DuckDBPyConnection) -> list[date]:
    """The days of marts.sku_demand_daily that are not trading days, oldest first."""
    frame = query(
        con,
        "select day from marts.sku_demand_daily group by day"
        " having not bool_or(is_trading_day) order by day",
    )
    return frame["day"].to_list()
