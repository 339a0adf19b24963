"""The backtest and forecast assets with forecasting.bucket auto: real Dagster, DuckDB and
statsforecast on a hand-made demand mart of a daily, a weekly and a monthly seller."""

import datetime as dt

import dagster as dg
import duckdb
import polars as pl

from assets.forecasts import demand_backtest, demand_forecast
from config.resources import RunPaths, SettingsResource
from pipelines.resources import build_resources

SETTINGS = """
forecasting:
  bucket: auto
  trading_weekdays: [1, 2, 3, 4, 5, 7]
  horizon: 12
  backtest_windows: 2
  backtest_min_train_days: 28
  history_days: 730
  min_active_days: 365
"""
FIRST, LAST = dt.date(2023, 1, 1), dt.date(2024, 6, 12)  # a Wednesday mid-June


def _mart() -> pl.DataFrame:
    days = [FIRST + dt.timedelta(days=n) for n in range((LAST - FIRST).days + 1)]

    def units(sku: str, day: dt.date) -> float:
        if sku == "DAILY":
            return float(3 + day.day % 4) if day.isoweekday() != 6 else 0.0
        if sku == "WEEKLY":
            return 2.0 if day.isoweekday() == 3 else 0.0
        return 5.0 if day.day == 1 and day.month % 2 == 1 else 0.0  # every other month

    return pl.DataFrame(
        [
            {
                "sku": sku,
                "day": day,
                "is_trading_day": day.isoweekday() != 6,
                "is_partial_day": False,
                "demand_units": units(sku, day),
                "is_stockout": False,
            }
            for sku in ("DAILY", "WEEKLY", "MONTHLY")
            for day in days
        ]
    )


def test_auto_buckets_run_through_the_backtest_and_forecast_assets(tmp_path):
    """Bug: with bucket auto the classes of the three buckets would mix in model_choice, or
    the forecast would read a monthly step as a trading day: each SKU must be forecast in
    its own bucket, its days covering the horizon's calendar span, its units per day."""
    (tmp_path / "settings.yaml").write_text(SETTINGS)
    paths = RunPaths(data_dir=str(tmp_path))
    with duckdb.connect(str(paths.warehouse)) as con:
        con.execute("create schema marts; create schema forecasts")
        con.register("d", _mart().to_arrow())
        con.execute("create table marts.sku_demand_daily as select * from d")
    resources = build_resources(
        paths, SettingsResource(settings_file=str(paths.data / "settings.yaml"))
    )
    assert dg.materialize(
        [demand_backtest, demand_forecast],
        resources=resources,
        instance=dg.DagsterInstance.ephemeral(),
    ).success
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        forecast = con.sql("select * from forecasts.demand_forecast").pl()
        choice = con.sql("select * from forecasts.model_choice").pl()
        buckets = con.sql("select * from forecasts.sku_bucket order by sku").pl()
    patterns = dict(forecast.select("sku", "demand_pattern").unique().iter_rows())
    assert patterns["MONTHLY"].endswith("(monthly)") and patterns["WEEKLY"].endswith("(weekly)")
    assert "(" not in patterns["DAILY"]
    assert {p for p in patterns.values()} <= set(choice["demand_pattern"])
    span = forecast.group_by("sku").agg(pl.col("day").min(), pl.col("day").max().alias("last"))
    spans = {row[0]: (row[1], row[2]) for row in span.iter_rows()}
    # 12 trading days: 2 weeks (the running one first) or 1 month (June, running)
    assert spans["WEEKLY"] == (dt.date(2024, 6, 13), dt.date(2024, 6, 23))
    assert spans["MONTHLY"] == (dt.date(2024, 6, 13), dt.date(2024, 6, 30))
    assert spans["DAILY"][0] == dt.date(2024, 6, 13) and spans["DAILY"][1] < dt.date(2024, 6, 30)
    weekly = forecast.filter(pl.col("sku") == "WEEKLY")
    # 2 a week: the running week's 4 days left (2 x 4 / 7), then a whole week
    assert abs(weekly["forecast"].sum() - 2 * (4 / 7 + 1)) < 0.5
    # Why each SKU got its bucket is in the warehouse, with the shares the rule judged
    # (bug caught: the choice only logged, so no page or analyst could say why).
    assert buckets["bucket"].to_list() == ["day", "month", "week"]
    reasons = dict(buckets.select("sku", "reason").iter_rows())
    assert reasons["WEEKLY"].startswith("weekly: sells on 17 % of its")
    assert "weeks, in 100 % of its" in reasons["WEEKLY"]
    assert (
        reasons["MONTHLY"].startswith("monthly: ") and "53 % of its 17 months" in reasons["MONTHLY"]
    )
