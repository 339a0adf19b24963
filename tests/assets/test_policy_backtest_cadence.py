"""The policy backtest runs on the model backtest's cadence (incremental/backtest_cadence.py):
a run that adds a day keeps the last replay and says why; the weekly run, changed inventory
settings or catalog terms, an older first day, a missing table or `full_rebuild` replay
again, and a replay equals what a first replay of the same warehouse writes. Real Dagster and
DuckDB on the hand-made warehouse of tests/assets/test_inventory.py."""

import datetime as dt

import dagster as dg
import duckdb
import polars as pl
import pytest

from assets.policy_backtest import policy_backtest
from config.resources import RunPaths, SettingsResource
from pipelines.resources import build_resources
from tests.assets.test_inventory import SETTINGS, _warehouse

FIRST = dt.date(2024, 1, 1)


@pytest.fixture
def instance():
    """One Dagster instance for all runs of a test: it holds what the last replay saw."""
    with dg.DagsterInstance.ephemeral() as instance:
        yield instance


def _paths(tmp_path, days: int, settings: str = SETTINGS) -> RunPaths:
    (tmp_path / "settings.yaml").write_text(settings)
    paths = RunPaths(data_dir=str(tmp_path))
    _warehouse(paths.warehouse, days)
    return paths


def _add_days(paths: RunPaths, days: range) -> None:
    with duckdb.connect(str(paths.warehouse)) as con:
        for d in days:
            con.execute(
                "insert into marts.sku_demand_daily (sku, day, is_trading_day, units, units_sold) "
                "select sku, ?, true, 2, 2 from (values ('A'), ('B')) as t(sku)",
                [FIRST + dt.timedelta(days=d)],
            )


def _run(
    instance: dg.DagsterInstance, paths: RunPaths, full_rebuild: bool = False
) -> tuple[str, str, str, pl.DataFrame]:
    """(build, build_reason, replay) of the materialization, and the table after it."""
    result = dg.materialize(
        [policy_backtest],
        instance=instance,
        resources=build_resources(
            paths, SettingsResource(settings_file=str(paths.data / "settings.yaml"))
        ),
        run_config={
            "ops": {"inventory__policy_backtest": {"config": {"full_rebuild": full_rebuild}}}
        },
    )
    assert result.success
    metadata = result.asset_materializations_for_node("inventory__policy_backtest")[0].metadata
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        table = con.sql("select * from inventory.policy_backtest order by all").pl()
    return (
        metadata["build"].value,
        metadata["build_reason"].value,
        metadata["replay"].value,
        table,
    )


def _first_replay(paths: RunPaths) -> pl.DataFrame:
    """The table a replay of this warehouse writes with no earlier replay recorded."""
    with dg.DagsterInstance.ephemeral() as fresh:
        build, reason, _, table = _run(fresh, paths)
    assert (build, reason) == ("replay", "no earlier policy backtest recorded")
    return table


def test_a_new_day_keeps_the_replay_and_the_eighth_replays_again(tmp_path, instance):
    """Bugs caught: the nightly run replaying the policies for one more day (the cost the
    cadence removes), a kept replay that loses its table or stops saying which days it
    replayed, and a replay never run again once kept."""
    paths = _paths(tmp_path, 40)
    build, reason, replay, first = _run(instance, paths)
    assert (build, reason) == ("replay", "no earlier policy backtest recorded")
    assert replay == "replayed 2024-01-31..2024-02-09"

    _add_days(paths, range(40, 41))
    build, reason, replay, kept = _run(instance, paths)
    assert build == "kept"
    assert reason == (
        "kept the policy backtest of history to 2024-02-09: history is 1 days newer, "
        "within forecasting.backtest_every_days (7)"
    )
    assert replay == "replayed 2024-01-31..2024-02-09"  # the kept replay's days, not today's
    assert kept.equals(first)
    assert kept["replay_end"].unique().to_list() == [dt.date(2024, 2, 9)]

    _add_days(paths, range(41, 48))  # the eighth day past the last replay
    build, reason, replay, replayed = _run(instance, paths)
    assert (build, reason) == (
        "replay",
        "history ends 8 days from the last policy backtest's 2024-02-09 "
        "(more than forecasting.backtest_every_days, 7)",
    )
    assert replay == "replayed 2024-02-08..2024-02-17"
    assert replayed.equals(_first_replay(paths))
    _add_days(paths, range(48, 49))  # the day after that replay: kept again
    assert _run(instance, paths)[:3] == (
        "kept",
        "kept the policy backtest of history to 2024-02-17: history is 1 days newer, "
        "within forecasting.backtest_every_days (7)",
        "replayed 2024-02-08..2024-02-17",
    )


def test_settings_catalog_terms_history_start_tables_and_full_rebuild_each_replay(
    tmp_path, instance
):
    """Bugs caught: a kept replay surviving a change of what it replays with (an inventory
    setting, a SKU's unit cost or lead time, older history loaded), its table dropped, or
    the weekly run's `full_rebuild`; and a replay after a keep differing from a first one."""
    paths = _paths(tmp_path, 40)
    _run(instance, paths)
    assert _run(instance, paths)[0] == "kept"
    changed = "inventory settings or catalog terms changed since the last policy backtest"

    (paths.data / "settings.yaml").write_text(SETTINGS.replace("[0.9, 0.95]", "[0.9, 0.98]"))
    build, reason, _, table = _run(instance, paths)
    assert (build, reason) == ("replay", changed)
    assert table["target_service_level"].unique().sort().to_list() == [0.9, 0.98]
    assert table.equals(_first_replay(paths))
    assert _run(instance, paths)[0] == "kept"

    with duckdb.connect(str(paths.warehouse)) as con:
        con.execute("update staging.stg_catalog set unit_cost = 6.0 where sku = 'B'")
    assert _run(instance, paths)[1] == changed
    with duckdb.connect(str(paths.warehouse)) as con:
        con.execute("update staging.stg_catalog set lead_time_days = 4 where sku = 'A'")
    assert _run(instance, paths)[1] == changed
    assert _run(instance, paths)[0] == "kept"
    # a product first sold after the last replay's day waits for the next replay
    with duckdb.connect(str(paths.warehouse)) as con:
        con.execute("insert into staging.stg_catalog values ('NEW', 3.0, 2.0, true)")
        con.execute(
            "insert into marts.sku_demand_daily (sku, day, is_trading_day, units, units_sold) "
            "values ('NEW', date '2024-02-10', true, 1, 1)"
        )
    assert _run(instance, paths)[0] == "kept"

    with duckdb.connect(str(paths.warehouse)) as con:
        con.execute("delete from marts.sku_demand_daily where day = ?", [FIRST])
    assert _run(instance, paths)[1] == (
        "history now starts 2024-01-02, the last policy backtest's started 2024-01-01"
    )
    assert _run(instance, paths, full_rebuild=True)[1] == "full_rebuild requested in the run config"
    with duckdb.connect(str(paths.warehouse)) as con:
        con.execute("drop table inventory.policy_backtest")
    assert _run(instance, paths)[1] == (
        "the last policy backtest's tables are missing from the warehouse"
    )
    assert _run(instance, paths)[3].equals(_first_replay(paths))


def test_a_history_too_short_to_replay_is_tried_again_the_next_run(tmp_path, instance):
    """Bug caught: an empty table written while the history was short kept for a week
    after the history became long enough to replay."""
    paths = _paths(tmp_path, 29)
    build, _, replay, table = _run(instance, paths)
    assert build == "replay" and table.height == 0
    assert replay.startswith("not replayed: 29 trading days of demand, 30 needed")
    _add_days(paths, range(29, 30))
    build, reason, replay, table = _run(instance, paths)
    assert (build, reason) == ("replay", "no earlier policy backtest recorded")
    assert replay == "replayed 2024-01-21..2024-01-30" and table.height == 8


def test_zero_days_replays_in_every_run(tmp_path, instance):
    """Bug caught: forecasting.backtest_every_days 0 (every run) not reaching the replay."""
    paths = _paths(tmp_path, 40)
    (paths.data / "settings.yaml").write_text(
        SETTINGS.replace("forecasting:\n", "forecasting:\n  backtest_every_days: 0\n")
    )
    assert [_run(instance, paths)[1] for _ in range(2)] == [
        "no earlier policy backtest recorded",
        "forecasting.backtest_every_days is 0: every run",
    ]
