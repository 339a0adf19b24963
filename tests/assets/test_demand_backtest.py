"""The model backtest runs weekly on Dagster's schedule; other runs keep it unless its
history has moved more than backtest_every_days, its settings or the history's first day
changed, its tables are missing, or the run config asks (incremental/backtest_cadence.py).
What the last backtest saw is read back from Dagster's instance, not from a warehouse table.
Real Dagster, DuckDB and statsforecast on a hand-made demand mart."""

import datetime as dt

import dagster as dg
import duckdb
import numpy as np
import polars as pl
import pytest

from assets.feedback_text import FEEDBACK_TEXT_SPECS
from assets.forecasts import demand_backtest
from config.resources import RunPaths, SettingsResource
from pipelines.definitions import defs
from pipelines.resources import build_resources

SETTINGS = """
forecasting:
  trading_weekdays: [1, 2, 3, 4, 5, 6, 7]
  horizon: 7
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


@pytest.fixture
def instance():
    """One Dagster instance for all runs of a test: it holds the last backtest's inputs."""
    with dg.DagsterInstance.ephemeral() as instance:
        yield instance


def _paths(tmp_path, top: int = 2, every: int = 7) -> RunPaths:
    (tmp_path / "settings.yaml").write_text(SETTINGS.format(top=top, every=every))
    return RunPaths(data_dir=str(tmp_path))


def _run(
    instance: dg.DagsterInstance, paths: RunPaths, full_rebuild: bool = False
) -> tuple[str, str, pl.DataFrame]:
    result = dg.materialize(
        [demand_backtest],
        instance=instance,
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
    assert metadata.keys() == {
        "demand_backtest",
        "accuracy_summary",
        "model_choice",
        "sku_reliability",
    }
    assert metadata["demand_backtest"]["build"] == metadata["accuracy_summary"]["build"]
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        summary = con.sql("select * from forecasts.accuracy_summary").pl().sort(pl.all())
    backtest = metadata["demand_backtest"]
    return backtest["build"].value, backtest["build_reason"].value, summary


def test_backtest_is_kept_until_the_history_has_grown_by_more_than_a_week(tmp_path, instance):
    paths = _paths(tmp_path)
    _add_demand(paths, range(60))
    build, reason, first = _run(instance, paths)
    assert (build, reason) == ("backtest", "no earlier backtest recorded")
    assert first["holdout_last_day"].max() == FIRST + dt.timedelta(days=59)

    _add_demand(paths, range(60, 67))  # a week of new days: the backtest of day 59 still serves
    build, reason, kept = _run(instance, paths)
    assert build == "kept"
    assert reason == (
        "kept the backtest of history to 2024-02-29: history is 7 days newer, "
        "within forecasting.backtest_every_days (7)"
    )
    assert kept.equals(first)

    _add_demand(paths, range(67, 68))  # the eighth day: older than the weekly schedule's cadence
    build, reason, grown = _run(instance, paths)
    assert (build, reason) == (
        "backtest",
        "history ends 8 days from the last backtest's 2024-02-29 "
        "(more than forecasting.backtest_every_days, 7)",
    )
    assert grown["holdout_last_day"].max() == FIRST + dt.timedelta(days=67)


def test_settings_older_days_missing_tables_and_the_run_config_each_force_a_backtest(
    tmp_path, instance
):
    paths = _paths(tmp_path)
    _add_demand(paths, range(10, 60))
    assert _run(instance, paths)[0] == "backtest"
    assert _run(instance, paths)[0] == "kept"
    assert (
        _run(instance, _paths(tmp_path, top=1))[1]
        == "forecasting settings changed since the last backtest"
    )
    assert _run(instance, paths, full_rebuild=True)[1] == "full_rebuild requested in the run config"
    _add_demand(paths, range(10))  # older days loaded: same last day, longer history
    assert (
        _run(instance, paths)[1]
        == "history now starts 2024-01-01, the last backtest's started 2024-01-11"
    )
    assert _run(instance, paths)[0] == "kept"
    with duckdb.connect(str(paths.warehouse)) as con:
        con.execute("drop table forecasts.accuracy_summary")
    assert _run(instance, paths)[1] == "the last backtest's tables are missing from the warehouse"
    # a fresh Dagster instance has no record of a backtest, whatever the warehouse holds
    with dg.DagsterInstance.ephemeral() as fresh:
        assert _run(fresh, paths)[1] == "no earlier backtest recorded"


def _last_backtest_metadata(instance: dg.DagsterInstance) -> dict[str, object]:
    event = instance.get_latest_materialization_event(dg.AssetKey(["forecasts", "demand_backtest"]))
    return {k: v.value for k, v in event.asset_materialization.metadata.items()}


def test_a_kept_backtest_carries_forward_what_its_backtest_saw(tmp_path, instance):
    paths = _paths(tmp_path)
    _add_demand(paths, range(60))
    _run(instance, paths)
    _add_demand(paths, range(60, 64))
    assert _run(instance, paths)[0] == "kept"
    kept = _last_backtest_metadata(instance)
    assert (kept["build"], kept["backtest_history_end"]) == ("kept", "2024-02-29")
    # four more days: 8 from the backtest (4 from the keep), so it runs
    _add_demand(paths, range(64, 68))
    assert _run(instance, paths)[0] == "backtest"
    ran = _last_backtest_metadata(instance)
    assert (ran["backtest_history_start"], ran["backtest_history_end"]) == (
        "2024-01-01",
        "2024-03-08",
    )
    # the state lives in Dagster: the warehouse holds no bookkeeping of backtests, only the
    # lineage of the tables they wrote (incremental/written.py), which the analyst copy reads
    lineage = {f"build_state.{t}" for t in ("written", "written_days", "written_visitors")}
    lineage.add("build_state.analyst_copy")
    assert {t for (t,) in _tables(paths) if t.startswith("build_state.")} <= lineage


def test_zero_days_runs_the_backtest_in_every_run(tmp_path, instance):
    paths = _paths(tmp_path, every=0)
    _add_demand(paths, range(60))
    assert [_run(instance, paths)[1] for _ in range(2)] == [
        "no earlier backtest recorded",
        "forecasting.backtest_every_days is 0: every run",
    ]


def test_the_weekly_schedule_runs_every_evaluation_with_full_rebuild():
    """Bug caught: the weekly run leaving out the policy backtest (inventory.policy_backtest),
    the CLV validation (marts.clv_*) or the review-text fits (feedback_text_marts), which
    the nightly runs keep, so their result would age past a week."""
    schedule = defs.resolve_schedule_def("weekly_backtest")
    assert schedule.cron_schedule == "0 2 * * 0"  # the nightly slot, on Sundays
    job = defs.resolve_job_def(schedule.job_name)
    assert job.asset_layer.executable_asset_keys == {
        dg.AssetKey(["forecasts", "demand_backtest"]),
        dg.AssetKey(["forecasts", "accuracy_summary"]),
        dg.AssetKey(["forecasts", "model_choice"]),
        dg.AssetKey(["forecasts", "sku_reliability"]),
        dg.AssetKey(["inventory", "policy_backtest"]),
        dg.AssetKey(["marts", "customer_clv"]),
        dg.AssetKey(["marts", "clv_model"]),
        dg.AssetKey(["marts", "clv_tracking"]),
        dg.AssetKey(["marts", "clv_conditional"]),
        *(dg.AssetKey(["marts", table]) for table in FEEDBACK_TEXT_SPECS),
    }
    with dg.build_schedule_context(scheduled_execution_time=dt.datetime(2026, 12, 6, 2)) as context:
        request = schedule(context)
    assert request.run_config == {
        "ops": {
            "demand_backtest": {"config": {"full_rebuild": True}},
            "inventory__policy_backtest": {"config": {"full_rebuild": True}},
            "clv_marts": {"config": {"full_rebuild": True}},
            "feedback_text_marts": {"config": {"full_rebuild": True}},
        }
    }
    dg.validate_run_config(job, request.run_config)  # raises if the job does not take it


def _tables(paths: RunPaths) -> list[tuple[str]]:
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        return con.execute(
            "select schema_name || '.' || table_name from duckdb_tables()"
        ).fetchall()
