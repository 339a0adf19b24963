"""Bounded run history (pipelines/retention.py): old finished runs are deleted with every
file they left, runs in progress and runs the pipeline still reads are kept, and the
warehouse's append-only tables are trimmed to their window. Instance-level runs of
trivial jobs on the CLI's SQLite layout (pipelines/runner.instance_for): seconds."""

import contextlib
import datetime as dt
import sqlite3
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from dagster._core.storage.dagster_run import DagsterRun, DagsterRunStatus

from bench.local_postgres import postgres_bin, postgres_cluster
from config.resources import RunPaths, SettingsResource
from config.settings import RetentionSettings
from pipelines.definitions import build_definitions
from pipelines.retention import prune_runs, trim_warehouse
from pipelines.runner import instance_for

LATER = dt.datetime.now(dt.UTC) + dt.timedelta(days=10)  # every run made now is 10 days old


@dg.op
def say_hello(context: dg.OpExecutionContext) -> None:
    print("hello")  # captured as the step's compute log
    context.log.info("hello")


@dg.job
def hello() -> None:
    say_hello()


@dg.asset(key=["forecasts", "demand_backtest"])
def demand_backtest() -> dg.MaterializeResult:
    return dg.MaterializeResult(metadata={"demand_days": 14})


@dg.asset_check(asset=demand_backtest)
def backtest_has_days() -> dg.AssetCheckResult:
    return dg.AssetCheckResult(passed=True)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def instance(data: Path, monkeypatch) -> dg.DagsterInstance:
    # instance_for sets both; monkeypatch puts them back after the test.
    monkeypatch.setenv("DAGSTER_HOME", str(data))
    monkeypatch.setenv("DAGSTER_EVENT_BATCH_SIZE", "500")
    with instance_for(RunPaths(data_dir=str(data))) as instance:
        yield instance


def _run(instance: dg.DagsterInstance, data: Path) -> str:
    run_id = hello.execute_in_process(instance=instance).run_id
    (data / "logs").mkdir(parents=True, exist_ok=True)
    (data / "logs" / f"run-{run_id}.log").write_text("every event\n")  # as the CLI writes
    return run_id


def _shard(data: Path, run_id: str) -> Path:
    return data / "dagster_home" / "history" / "runs" / f"{run_id}.db"


def _index_events(index: Path, run_id: str) -> int:
    """The events of a run in the cross-run index (copies of the shard's)."""
    with contextlib.closing(sqlite3.connect(index)) as con:
        return con.execute("select count(*) from event_logs where run_id = ?", [run_id]).fetchone()[
            0
        ]


def test_old_runs_are_deleted_with_their_event_shards_and_log_files(instance, data):
    """Bug caught: `instance.delete_run` alone leaves each run's SQLite event shard (an
    empty file of ~1 MB), its compute logs and the CLI's run log on disk, so dagster_home
    and logs/ keep growing after the runs are gone; the index keeps its space without
    VACUUM."""
    old = [_run(instance, data) for _ in range(3)]
    index = data / "dagster_home" / "history" / "runs" / "index.db"
    assert all(_shard(data, run_id).exists() for run_id in old)
    assert all(_index_events(index, run_id) for run_id in old)
    assert (data / "dagster_home" / "storage" / old[0]).exists()

    deleted = prune_runs(instance, RetentionSettings(run_days=7), data / "logs", now=LATER)

    assert sorted(deleted) == sorted(old)
    for run_id in old:
        assert instance.get_run_by_id(run_id) is None
        assert _index_events(index, run_id) == 0
        assert not _shard(data, run_id).exists()
        assert not (data / "dagster_home" / "storage" / run_id).exists()
        assert not (data / "logs" / f"run-{run_id}.log").exists()
    with contextlib.closing(sqlite3.connect(index)) as con:
        assert con.execute("pragma freelist_count").fetchone()[0] == 0  # vacuumed


def test_runs_inside_the_window_are_kept(instance, data):
    """Bug caught: comparing the run's time the wrong way round (or naive against aware
    UTC) deletes yesterday's runs along with last quarter's."""
    run_id = _run(instance, data)
    assert prune_runs(instance, RetentionSettings(run_days=7), data / "logs") == []
    assert instance.get_run_by_id(run_id) is not None
    assert _shard(data, run_id).exists()


def test_a_run_in_progress_is_never_deleted(instance, data):
    """Bug caught: a run still writing (not yet started, started, cancelling) deleted under it by
    the daily retention job, which runs while the nightly refresh may still be going."""
    for status in (
        DagsterRunStatus.NOT_STARTED,
        DagsterRunStatus.STARTED,
        DagsterRunStatus.CANCELING,
    ):
        instance.add_run(
            DagsterRun(job_name="hello", run_id=f"{status.value.lower()}-run", status=status)
        )
    finished = _run(instance, data)

    deleted = prune_runs(instance, RetentionSettings(run_days=7, max_runs=0), None, now=LATER)

    assert deleted == [finished]
    assert {run.run_id for run in instance.get_runs()} == {
        "not_started-run",
        "started-run",
        "canceling-run",
    }


def test_max_runs_keeps_the_newest_runs(instance, data):
    """Bug caught: the run-count bound deleting the newest runs instead of the oldest (the
    run storage lists runs newest first)."""
    runs = [_run(instance, data) for _ in range(3)]
    deleted = prune_runs(instance, RetentionSettings(run_days=0, max_runs=1), data / "logs")
    assert sorted(deleted) == sorted(runs[:2])
    assert [run.run_id for run in instance.get_runs()] == [runs[2]]


def test_the_run_of_an_assets_latest_materialization_is_kept(instance, data):
    """Bug caught: deleting the weekly backtest's run when it is older than the window
    erases its materialization, whose metadata decides whether the nightly run backtests
    again: every night after would rerun the full backtest."""
    key = dg.AssetKey(["forecasts", "demand_backtest"])
    backtest = dg.materialize([demand_backtest], instance=instance).run_id
    later = _run(instance, data)

    deleted = prune_runs(instance, RetentionSettings(run_days=7), data / "logs", now=LATER)

    assert deleted == [later]
    assert instance.get_latest_materialization_event(key).run_id == backtest


def test_the_check_executions_of_a_deleted_run_go_too(instance, data):
    """Bug caught: `instance.delete_run` keeps the run's rows of the index's
    asset_check_executions (~70 checks, ~300 KB per nightly run), so the index grows by
    every run even with the runs themselves deleted."""
    first, second = (
        dg.materialize([demand_backtest, backtest_has_days], instance=instance).run_id
        for _ in range(2)
    )
    index = data / "dagster_home" / "history" / "runs" / "index.db"

    deleted = prune_runs(instance, RetentionSettings(run_days=7), None, now=LATER)

    assert deleted == [first]  # the second holds the asset's latest materialization
    with contextlib.closing(sqlite3.connect(index)) as con:
        runs = con.execute("select run_id from asset_check_executions").fetchall()
    assert runs == [(second,)]


def test_append_only_tables_are_trimmed_to_their_windows():
    """Bug caught: quality.check_results, marts.clv_model and build_state.builds growing
    by every run forever; and trimming build_state.builds past a table's newest build,
    which the next incremental build starts from (it would rebuild everything)."""
    now = dt.datetime(2026, 6, 1)
    old, recent = now - dt.timedelta(days=100), now - dt.timedelta(days=1)
    con = duckdb.connect()
    con.execute("create schema quality; create schema marts; create schema build_state")
    con.execute("create table quality.check_results (run_id varchar, checked_at timestamp)")
    con.execute("create table marts.clv_model (model varchar, run_at timestamp)")
    con.execute("create table build_state.builds (table_name varchar, built_at timestamp)")
    con.execute("insert into quality.check_results values ('old', ?), ('new', ?)", [old, recent])
    con.execute("insert into marts.clv_model values ('old', ?), ('new', ?)", [old, recent])
    con.execute(
        "insert into build_state.builds values ('staging', ?), ('staging', ?), ('visits', ?)",
        [old, recent, old],
    )
    cfg = RetentionSettings(check_results_days=90, clv_model_days=90, build_log_days=90)

    deleted = trim_warehouse(con, cfg, now)

    assert deleted == {"quality.check_results": 1, "marts.clv_model": 1, "build_state.builds": 1}
    assert con.sql("select run_id from quality.check_results").fetchall() == [("new",)]
    assert con.sql("select model from marts.clv_model").fetchall() == [("new",)]
    assert sorted(con.sql("select table_name, built_at from build_state.builds").fetchall()) == [
        ("staging", recent),
        ("visits", old),
    ]


def test_zero_keeps_everything(instance, data):
    """Bug caught: a window of 0 (documented as "keep everything") read as "keep 0 days"
    and deleting the whole history."""
    run_id = _run(instance, data)
    assert prune_runs(instance, RetentionSettings(run_days=0, max_runs=0), None, now=LATER) == []
    assert instance.get_run_by_id(run_id) is not None


@pytest.mark.skipif(postgres_bin() is None, reason="PostgreSQL is not installed")
def test_old_runs_are_deleted_from_postgres_with_their_events_and_checks(tmp_path):
    """Bug caught: pruning written against the SQLite layout only, leaving the service's
    PostgreSQL instance (deploy/dagster.yaml) to keep every run's events and check
    executions."""
    with postgres_cluster() as postgres:
        url = f"postgresql+psycopg2://postgres@127.0.0.1:{postgres.port}/{postgres.db_name}"
        storage = {"storage": {"postgres": {"postgres_url": url}}}
        with dg.instance_for_test(overrides=storage, temp_dir=str(tmp_path)) as instance:
            checked = [
                dg.materialize([demand_backtest, backtest_has_days], instance=instance).run_id
                for _ in range(2)
            ]
            plain = hello.execute_in_process(instance=instance).run_id

            deleted = prune_runs(instance, RetentionSettings(run_days=7), None, now=LATER)

            assert sorted(deleted) == sorted([checked[0], plain])
            assert {run.run_id for run in instance.get_runs()} == {checked[1]}
        for run_id in deleted:
            assert postgres.query("select count(*) from event_logs where run_id = %s", run_id) == [
                (0,)
            ]
            assert postgres.query(
                "select count(*) from asset_check_executions where run_id = %s", run_id
            ) == [(0,)]


def test_the_daily_job_prunes_runs_and_tables_but_not_itself(instance, data, tmp_path):
    """Bug caught: the service's history_retention job wired wrong (a resource missing or
    mistyped fails it every day and the daemon's runs grow without bound), or deleting
    its own run, which is in progress while it prunes."""
    old = [_run(instance, data) for _ in range(2)]
    with duckdb.connect(str(data / "warehouse.duckdb")) as con:
        con.execute("create schema quality")
        con.execute("create table quality.check_results (run_id varchar, checked_at timestamp)")
        con.execute("insert into quality.check_results values ('old', now() - interval 100 day)")
    settings = tmp_path / "settings.yaml"
    settings.write_text("retention: {max_runs: 1, check_results_days: 90}\n")
    defs = build_definitions(
        RunPaths(data_dir=str(data)), SettingsResource(settings_file=str(settings))
    )

    result = defs.resolve_job_def("history_retention").execute_in_process(instance=instance)

    assert result.success
    remaining = {run.run_id for run in instance.get_runs()}
    assert remaining == {old[1], result.run_id}  # the newest finished run, and itself
    with duckdb.connect(str(data / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from quality.check_results").fetchone() == (0,)
