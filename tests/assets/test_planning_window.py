"""The planning window (assets/inventory.py PLANNING_WINDOW): demand_history reads the same
matrix from it as from the whole planning history, for every kind of SKU."""

import datetime as dt

import duckdb
import numpy as np
import polars as pl
import pytest

from assets.inventory import PLANNING_WINDOW, TRADING_DEMAND
from forecasting.recommended_policy import RecommendedPolicyRule
from forecasting.reorder_inputs import demand_history
from warehouse.frames import query

FIRST = dt.date(2024, 1, 1)
DAYS = 40
WINDOW = 10
AS_OF = FIRST + dt.timedelta(days=DAYS - 6)  # five days of the mart lie after it


def _mart() -> pl.DataFrame:
    """A demand mart of 40 days, Sundays not trading, whose SKUs differ in what the window
    sees of them."""
    rows = []
    rng = np.random.default_rng(4)
    for n in range(DAYS):
        day = FIRST + dt.timedelta(days=n)
        trading = day.isoweekday() != 7
        for sku, first, gaps in (
            ("OLD", 0, False),  # sold since the first day, a row every day
            ("GAPPY", 3, True),  # first row long before the window, days without a row
            ("NEW", DAYS - 12, False),  # first row inside the window
            ("GONE", 0, True),  # rows only before the window
            ("LATE", DAYS - 3, False),  # rows only after the as-of day
        ):
            if n < first or (gaps and rng.random() < 0.4) or (sku == "GONE" and n > 15):
                continue
            units = int(rng.integers(0, 4)) * (30 if rng.random() < 0.05 else 1)  # some large
            rows.append((sku, day, trading, units - (sku == "OLD" and n == 30)))
    return pl.DataFrame(
        rows, schema=["sku", "day", "is_trading_day", "units"], orient="row"
    ).with_columns(pl.col("units").cast(pl.Int64))


@pytest.mark.parametrize("every_day", [False, True])
def test_demand_history_reads_the_same_matrix_from_the_window(every_day):
    """Catches a window that drops a SKU's first row before it (its zero days would turn
    unknown), counts calendar days instead of trading days, keeps days after the as-of day,
    or starts one day late."""
    rule = RecommendedPolicyRule(
        level_history_days=5,
        distribution_history_days=WINDOW,
        review_days=6,
        large_order_multiple=3.0,
    )
    with duckdb.connect() as con:
        con.execute("create schema marts")
        con.register("mart", _mart())
        con.execute("create table marts.sku_demand_daily as select * from mart")
        whole = query(con, TRADING_DEMAND, {"every_day": every_day})
        window = query(
            con, PLANNING_WINDOW, {"every_day": every_day, "as_of": AS_OF, "days": WINDOW}
        )
    skus = ["OLD", "GAPPY", "NEW", "GONE", "LATE", "NEVER"]
    expected = demand_history(whole, skus, AS_OF, rule)
    assert window.height < whole.filter(pl.col("day") <= AS_OF).height / 2
    np.testing.assert_array_equal(demand_history(window, skus, AS_OF, rule), expected)
    # the cases are there: a SKU known only before the window holds zeros, one starting in
    # it unknown days first, and one never sold (or only later) nothing known
    assert (
        (expected[3] == 0).all() and np.isnan(expected[2]).any() and not np.isnan(expected[2]).all()
    )
    assert np.isnan(expected[4]).all() and np.isnan(expected[5]).all()
