"""The customers page's date-range bar and the tiles that follow it.

The page's figures are mostly cohort and model figures, not daily sums, so the range means
"customers who first bought in it": new customers, and the repeat rate and revenue to date
of those customers (a cohort, followed to the data's end). The weekly new-vs-returning
chart shows the range, the monthly rates chart the months it touches and the cohort table
the cohorts starting in them. Customers, repeat and returning customers to date, RFM
segments, CLV and P(alive) are as of the data's end and do not follow (the caption says so).
"""

from __future__ import annotations

from datetime import date

import duckdb

from reports.metric_values import metric_values
from reports.site.filters import filter_bar
from reports.site.format import esc, fmt_date, fmt_int, fmt_money, fmt_pct
from reports.site.layout import kpi_tiles
from reports.site.range_followers import followers_script
from warehouse.frames import read_row

# The tiles that follow the range, each a metric of reports/metric_catalogue.py.
RANGE_KPIS = ("new_customers", "new_customer_repeat_rate", "revenue_per_new_customer")
DEFAULT_RANGE = "all"


def last_order_day(con: duckdb.DuckDBPyConnection) -> date | None:
    """The newest day of marts.orders_daily: the presets end on it."""
    return read_row(con, "select max(day) from marts.orders_daily")[0]


def range_bar(con: duckdb.DuckDBPyConnection, last_day: date | None) -> str:
    """The bar, saying what follows it and what is as of the data's end."""
    as_of = fmt_date(last_day) if last_day else "the data's end"
    note = (
        "Here the range selects customers by their first order: the repeat rate and revenue"
        " are those customers' to the data's end, so a recent range has had less time to"
        " repeat. The rates chart shows the months the range touches, the cohort table the"
        " cohorts starting in them. Customers, repeat and returning customers, RFM segments,"
        f" CLV and P(alive) are as of the data's end ({as_of}) and do not follow the range."
    )
    return filter_bar(con, RANGE_KPIS, last_day, DEFAULT_RANGE, note=note) + (
        followers_script() if last_day else ""
    )


def range_tiles(con: duckdb.DuckDBPyConnection) -> str:
    """New customers, their repeat rate and revenue per new customer, over every day (the
    bar's default range; the browser recomputes them for another)."""
    k = metric_values(con, RANGE_KPIS)
    return kpi_tiles(
        [
            (
                "new_customers",
                "New customers",
                fmt_int(k["new_customers"]),
                "first placed order in the range",
            ),
            (
                "new_customer_repeat_rate",
                "Repeat rate of new customers",
                fmt_pct(k["new_customer_repeat_rate"]),
                "2+ orders by the data's end",
            ),
            (
                "revenue_per_new_customer",
                "Revenue per new customer",
                fmt_money(k["revenue_per_new_customer"]),
                "net, to the data's end",
            ),
        ]
    )


def as_of_heading(last_day: date | None) -> str:
    """The line over the tiles that do not follow the range."""
    day = f" ({fmt_date(last_day)})" if last_day else ""
    return f'<p class="meta" data-as-of>As of the data\'s end{esc(day)}, whatever the range:</p>'
