"""statsforecast alone runs the models the forecast asset wrote, a class's mean of models included."""

import datetime as dt

import duckdb
import polars as pl

from bench.reference import statsforecast_alone
from config.settings import ForecastingSettings
from forecasting.selection import combination_members, combination_name

FIRST = dt.date(2024, 1, 1)


def _warehouse(path, models_by_sku, days=30):
    demand = pl.DataFrame(
        {
            "sku": [sku for sku in models_by_sku for _ in range(days)],
            "day": [FIRST + dt.timedelta(days=i) for _ in models_by_sku for i in range(days)],
            "is_trading_day": True,
            "is_partial_day": False,
            "demand_units": [float(i % 3) for _ in models_by_sku for i in range(days)],
            "is_stockout": False,
        }
    )
    forecast = pl.DataFrame({"sku": list(models_by_sku), "model": list(models_by_sku.values())})
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts; create schema forecasts")
        con.register("demand_frame", demand)
        con.register("forecast_frame", forecast)
        con.execute("create table marts.sku_demand_daily as select * from demand_frame")
        con.execute("create table forecasts.demand_forecast as select * from forecast_frame")


def test_each_model_of_a_mean_runs_on_the_skus_that_average_it(tmp_path):
    _warehouse(
        tmp_path / "w.duckdb",
        {
            "S1": "mean(ADIDA, TSB, SeasonalESOptimized)",
            "S2": "mean(ADIDA, TSB, SeasonalESOptimized)",
            "S3": "mean(TSB, IMAPA)",
            "S4": "HistoricAverage",
            "S5": "SomeoneElsesModel",
        },
    )
    figures = statsforecast_alone(tmp_path / "w.duckdb", ForecastingSettings(horizon=3))
    assert figures["models"] == {
        "ADIDA": 2,
        "TSB": 3,
        "SeasonalESOptimized": 2,
        "IMAPA": 1,
        "HistoricAverage": 1,
    }
    assert figures["skipped_models"] == ["SomeoneElsesModel"]
    assert figures["skus"] == 5


def test_combination_members_reverses_combination_name():
    for models in (["ADIDA"], ["TSB", "IMAPA"], ["SeasonalESOptimized", "TSB", "ADIDA"]):
        assert combination_members(combination_name(models)) == models


def test_a_weekly_forecast_is_timed_on_weeks(tmp_path):
    """With forecasting.bucket week the asset forecasts weeks: catches a reference that
    times every SKU on its daily series whatever the bucket (9x the steps here, and the
    daily season), which made the forecast ratio look better than it was."""
    _warehouse(tmp_path / "w.duckdb", {"S1": "HistoricAverage", "S2": "HistoricAverage"}, 70)
    daily = statsforecast_alone(tmp_path / "w.duckdb", ForecastingSettings(horizon=3))
    weekly = statsforecast_alone(
        tmp_path / "w.duckdb", ForecastingSettings(horizon=3, bucket="week")
    )
    assert daily["frame_rows"] == 2 * 70
    # 2024-01-01 is a Monday: 70 days are 10 complete weeks.
    assert weekly["frame_rows"] == 2 * 10


def test_the_bench_summarizes_the_reference_figures(tmp_path):
    """Bug caught: a reference figure named like a run's table of steps (`steps`) made the
    bench's summary take the reference for a run and crash (KeyError 'success') after the
    whole benchmark had run, losing its record."""
    from bench.run import summarize

    _warehouse(tmp_path / "w.duckdb", {"S1": "HistoricAverage", "S2": "HistoricAverage"}, 70)
    figures = statsforecast_alone(tmp_path / "w.duckdb", ForecastingSettings(horizon=3))
    summary = summarize([{"statsforecast": figures}, {"statsforecast": figures}])
    assert summary["statsforecast"]["frame_rows"]["median"] == 2 * 70
