"""Re-dropping a day, loading days out of order, a nightly run of one new day and a re-export
of an old day leave every table identical to one clean run over the whole range (staging
and sessions are built incrementally in the later runs, see incremental/visitor_build.py,
and the daily marts by day range, see incremental/day_build.py).
The model and policy backtests run in every run here (by default they are kept for a week:
incremental/backtest_cadence.py, tested in tests/assets/test_demand_backtest.py), so
that every table can match."""

import shutil
from datetime import date

import duckdb
import polars as pl
import pytest
from polars.testing import assert_frame_equal

import simulator
from config.resources import RunPaths, SettingsResource
from incremental.daily_marts import DAILY_MARTS
from pipelines.runner import run_refresh

pytestmark = pytest.mark.e2e


# Run logs gain rows every run by design: compare the last run's rows without its timings.
RUN_LOGS = {
    "marts.clv_model": "select * exclude (run_at, fit_seconds) from marts.clv_model"
    " where run_at = (select max(run_at) from marts.clv_model)"
}
# Tables that compare a run with the runs before it, by design: the reorder changes set
# today's list against the previous archived list, which a single clean run does not have.
HISTORY_TABLES = {"inventory.reorder_changes"}


def snapshot(paths: RunPaths) -> dict[str, pl.DataFrame]:
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables where table_schema in "
            "('staging', 'marts', 'forecasts', 'inventory', 'raw') order by all"
        ).fetchall()
        return {
            f"{s}.{t}": con.sql(RUN_LOGS.get(f"{s}.{t}", f"select * from {s}.{t}"))
            .pl()
            .sort(pl.all())
            for s, t in tables
            if f"{s}.{t}" not in HISTORY_TABLES
        }


def with_clean_theme_ids(
    got: dict[str, pl.DataFrame], expected: dict[str, pl.DataFrame]
) -> dict[str, pl.DataFrame]:
    """`got` with each review-text theme renamed to the clean run's id for the same theme.

    A theme keeps the id of the previous run's most similar theme (feedback_text/identity.py),
    so a warehouse built in several runs numbers the same themes otherwise than one clean
    run. The themes themselves (their top terms, fitted on all texts) do not depend on the
    history, so the ids are mapped through them; every text's theme must still agree."""
    catalog = "marts.feedback_theme_catalog"
    by_terms = dict(zip(expected[catalog]["top_terms"], expected[catalog]["theme_id"]))
    clean_id = {
        theme: by_terms.get(terms, theme)
        for theme, terms in zip(got[catalog]["theme_id"], got[catalog]["top_terms"])
    }
    return {
        table: frame.with_columns(pl.col("theme_id").replace(clean_id)).sort(pl.all())
        if "theme_id" in frame.columns
        else frame
        for table, frame in got.items()
    }


def re_export_traffic_day(exports, day: str, previous_day: str) -> None:
    """Replace a day's traffic export: every fifth event gone, and three events of the day
    before exported again (same event ids) under other visitors, as a re-export may do."""
    path, previous = (
        exports / "traffic" / f"{day}.parquet",
        exports / "traffic" / f"{previous_day}.parquet",
    )
    events = pl.read_parquet(path)
    repeated = pl.read_parquet(previous).head(3).with_columns(user_id=events["user_id"].head(3))
    kept = events.filter(pl.int_range(pl.len()) % 5 != 0)
    pl.concat([kept, repeated.select(kept.columns)]).write_parquet(path)


def re_export_orders_day(exports, day: str) -> None:
    """Replace a day's orders export with every fourth line gone, as a corrected re-export."""
    path = exports / "orders" / f"{day}.csv"
    header, *lines = path.read_text().splitlines(keepends=True)
    path.write_text(header + "".join(line for i, line in enumerate(lines) if i % 4 != 3))


def daily_mart_builds(paths: RunPaths) -> dict[str, list[str]]:
    """The modes of each daily mart's builds, in order."""
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        rows = con.execute(
            "select table_name, list(mode order by build_id) from build_state.builds "
            "where table_name in (select unnest(?::varchar[])) group by table_name",
            [list(DAILY_MARTS)],
        ).fetchall()
    return dict(rows)


def staging_builds(paths: RunPaths) -> list[tuple]:
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        return con.execute(
            "select mode, visitors from build_state.builds "
            "where table_name = 'staging.stg_traffic_events' order by build_id"
        ).fetchall()


def test_out_of_order_repeated_and_nightly_loads_match_one_clean_run(tmp_path):
    exports = tmp_path / "exports"
    simulator.build_demo_exports(exports, seed=11, start=date(2011, 10, 3), end=date(2011, 10, 16))

    settings = tmp_path / "settings.yaml"
    settings.write_text("forecasting:\n  backtest_every_days: 0\n")
    every_run = SettingsResource(settings_file=str(settings))
    messy = RunPaths(data_dir=str(tmp_path / "messy"), exports_dir=str(exports))
    # out of order, then a nightly run of one new day, then a re-export of an old day
    for first, last in (
        ("2011-10-10", "2011-10-15"),
        ("2011-10-03", "2011-10-09"),
        ("2011-10-16", "2011-10-16"),
    ):
        outcome = run_refresh(messy, first, last, progress=False, settings=every_run)
        assert outcome.success, outcome.failures
    re_export_traffic_day(exports, "2011-10-05", "2011-10-04")
    re_export_orders_day(exports, "2011-10-06")
    outcome = run_refresh(messy, "2011-10-05", "2011-10-06", progress=False, settings=every_run)
    assert outcome.success, outcome.failures
    builds = staging_builds(messy)
    # staging and sessions were built incrementally after the first run, from few visitors
    assert [mode for mode, _ in builds] == ["full", "incremental", "incremental", "incremental"]
    assert all(0 < visitors for _, visitors in builds[1:])
    # every daily mart was built by day range after the first run (orders_daily too, unless
    # a later day brought a country the earlier days lacked)
    marts = daily_mart_builds(messy)
    assert marts.keys() == DAILY_MARTS.keys()
    assert all(modes[0] == "full" and "incremental" in modes[1:] for modes in marts.values())

    clean = RunPaths(data_dir=str(tmp_path / "clean"), exports_dir=str(exports))
    # one installation: the customer keys are salted per data directory
    clean.data.mkdir()
    shutil.copy(messy.data / "salt", clean.data / "salt")
    assert run_refresh(
        clean, "2011-10-03", "2011-10-16", progress=False, settings=every_run
    ).success

    expected, got = snapshot(clean), with_clean_theme_ids(snapshot(messy), snapshot(clean))
    assert expected.keys() == got.keys()
    for table, frame in expected.items():
        # bit for bit: money is summed exactly and floats in a fixed order (docs/architecture.md)
        assert_frame_equal(got[table], frame, check_exact=True)
