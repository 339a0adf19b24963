"""The slow-mover hint: counted in weeks, more than half the SKUs, daily buckets only."""

import datetime as dt

import duckdb
import polars as pl
import pytest

from assets.slow_movers import slow_mover_hint
from config.settings import ForecastingSettings

FIRST = dt.date(2024, 1, 1)  # a Monday
DAYS = 364  # 52 whole weeks


def _mart(every_days: dict[str, int], last_sale_cut: dict[str, int] | None = None):
    """marts.sku_demand_daily with each SKU selling one unit every ``every_days[sku]`` days
    (from its first day), and none in the last ``last_sale_cut[sku]`` days."""
    cut = last_sale_cut or {}
    rows = [
        {
            "sku": sku,
            "day": FIRST + dt.timedelta(days=i),
            "demand_units": int(i % every == 0 and i < DAYS - cut.get(sku, 0)),
        }
        for sku, every in every_days.items()
        for i in range(DAYS)
    ]
    con = duckdb.connect()
    con.execute("create schema marts")
    frame = pl.DataFrame(rows)  # noqa: F841 (read by the statement below)
    con.execute("create table marts.sku_demand_daily as select * from frame")
    return con


def test_counts_weeks_not_days():
    # Every 10 days sells on 10 % of days but in 10 of every 14 weeks: not slow. A rule on
    # days would call all five SKUs slow; on weeks only the two selling every 3 weeks are.
    con = _mart({"A": 10, "B": 10, "C": 10, "D": 21, "E": 21})
    assert slow_mover_hint(con, ForecastingSettings(), unreliable=2, backtested=5) is None


def test_names_the_counts_and_the_settings():
    con = _mart({"A": 10, "B": 21, "C": 21, "D": 30}, last_sale_cut={"D": 120})
    hint = slow_mover_hint(con, ForecastingSettings(), unreliable=3, backtested=3)
    assert hint is not None
    assert hint.startswith("3 of 4 SKUs sell in fewer than half their weeks")
    assert (
        "(3 of 3 backtested SKUs have no reliable forecast; 1 without a sale in the last "
        "90 days are not forecast)"
    ) in hint
    assert "forecasting: {bucket: auto, history_days: 1095, min_active_days: 365}" in hint


def test_settings_already_long_enough_are_not_repeated():
    con = _mart({"A": 21, "B": 21})
    cfg = ForecastingSettings(history_days=1460, min_active_days=400)
    hint = slow_mover_hint(con, cfg, unreliable=2, backtested=2)
    assert hint is not None
    assert "forecasting: {bucket: auto}" in hint
    assert "not forecast" not in hint


@pytest.mark.parametrize("bucket", ["week", "month", "auto"])
def test_only_daily_buckets_get_the_hint(bucket):
    con = _mart({"A": 21, "B": 21})
    assert slow_mover_hint(con, ForecastingSettings(bucket=bucket), 2, 2) is None
