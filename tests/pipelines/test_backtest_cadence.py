"""The model backtest runs again when its history has grown by backtest_every_days, its
settings or the history's first day changed, or the run config asks; otherwise Dagster
records its tables as kept (assets/backtest_cadence.py). Real Dagster, DuckDB and
statsforecast on a hand-made demand mart."""

import datetime as dt

import dagster as dg
import duckdb
import numpy as np
import polars as pl

from assets.forecasts import demand_backtest
from config.resources import RunPaths, SettingsResource
from pipelines.resources import build_resources

SETTINGS = """
forecasting:
  trading_weekdays: [1, 2, 3, 4, 5, 6, 7]
  horizon_days: 7
  backtest_windows: 2
  backtest_min_train_days: 14
  min_active_days: 30
  combine_top: {top}
  backtest_every_days: {every}
"""
FIRST = dt.date(2024, 1, 1)


def _demand(days: range) -> pl.DataFrame:
    rng = np.random.default_rng(days.start)
    return pl.DataFrame(
        [
            {
                "sku": sku,
                "day": FIRST + dt.timedelta(days=d),
                "is_trading_day": True,
                "is_partial_day": False,
                "demand_units": float(rng.poisson(4)),
                "is_stockout": False,
            }
            for sku in ("A", "B", "C")
            for d in days
        ]
    )


def _add_demand(paths: RunPaths, days: range) -> None:
    with duckdb.connect(str(paths.warehouse)) as con:
        con.execute("create schema if not exists marts; create schema if not exists forecasts")
        con.register("d", _demand(days).to_arrow())
        con.execute("create table if not exists marts.sku_demand_daily as select * from d limit 0")
        con.execute("insert into marts.sku_demand_daily select * from d")


def _paths(tmp_path, top: int = 2, every: int = 7) -> RunPaths:
    (tmp_path / "settings.yaml").write_text(SETTINGS.format(top=top, every=every))
    return RunPaths(data_dir=str(tmp_path))


def _run(paths: RunPaths, full_rebuild: bool = False) -> tuple[str, str, pl.DataFrame]:
    result = dg.materialize(
        [demand_backtest],
        resources=build_resources(
            paths, SettingsResource(settings_file=str(paths.data / "settings.yaml"))
        ),
        run_config={"ops": {"demand_backtest": {"config": {"full_rebuild": full_rebuild}}}},
    )
    assert result.success
    metadata = {
        event.asset_key.path[-1]: event.materialization.metadata
        for event in result.get_asset_materialization_events()
    }
    assert metadata.keys() == {"demand_backtest", "accuracy_summary"}
    assert metadata["demand_backtest"]["build"] == metadata["accuracy_summary"]["build"]
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        summary = con.sql("select * from forecasts.accuracy_summary").pl().sort(pl.all())
    backtest = metadata["demand_backtest"]
    return backtest["build"].value, backtest["build_reason"].value, summary


def test_backtest_is_kept_until_the_history_has_grown_by_a_week(tmp_path):
    paths = _paths(tmp_path)
    _add_demand(paths, range(60))
    build, reason, first = _run(paths)
    assert (build, reason) == ("backtest", "no earlier backtest in this warehouse")
    assert first["holdout_last_day"].max() == FIRST + dt.timedelta(days=59)

    _add_demand(paths, range(60, 66))  # six new days: the backtest of day 59 still serves
    build, reason, kept = _run(paths)
    assert build == "kept"
    assert reason.startswith(
        "kept the backtest of history to 2024-02-29: history is 6 of 7 days newer"
    )
    assert kept.equals(first)

    _add_demand(paths, range(66, 67))  # the seventh day
    build, reason, grown = _run(paths)
    assert (build, reason) == (
        "backtest",
        "history ends 7 days from the last backtest's 2024-02-29 (every 7)",
    )
    assert grown["holdout_last_day"].max() == FIRST + dt.timedelta(days=66)


def test_settings_older_days_and_the_run_config_each_force_a_backtest(tmp_path):
    paths = _paths(tmp_path)
    _add_demand(paths, range(10, 60))
    assert _run(paths)[0] == "backtest"
    assert _run(paths)[0] == "kept"
    assert (
        _run(_paths(tmp_path, top=1))[1] == "forecasting settings changed since the last backtest"
    )
    assert _run(paths, full_rebuild=True)[1] == "full_rebuild requested in the run config"
    _add_demand(paths, range(10))  # older days loaded: same last day, longer history
    assert _run(paths)[1] == "history now starts 2024-01-01, the last backtest's started 2024-01-11"
    with duckdb.connect(str(paths.warehouse)) as con:
        con.execute("drop table forecasts.accuracy_summary")
    assert _run(paths)[1] == "no earlier backtest in this warehouse"


def test_zero_days_runs_the_backtest_in_every_run(tmp_path):
    paths = _paths(tmp_path, every=0)
    _add_demand(paths, range(60))
    assert [_run(paths)[1] for _ in range(2)] == [
        "no earlier backtest in this warehouse",
        "forecasting.backtest_every_days is 0: every run",
    ]
