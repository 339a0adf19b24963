"""The CLV validation runs on the backtests' cadence (incremental/backtest_cadence.py): a
run that adds a day keeps the last validation (its tables and calibration rows as they
are) and only rescores the customers with the kept model; the eighth day, changed clv
settings, an older first day, a missing table, trimmed calibration rows or `full_rebuild`
validate again. Real Dagster and DuckDB on a seeded warehouse of order lines."""

import datetime as dt

import dagster as dg
import duckdb
import numpy as np
import polars as pl
import pytest

from assets.clv import clv_marts
from config.resources import RunPaths, SettingsResource
from pipelines.resources import build_resources

DAY0 = dt.date(2011, 3, 1)
PRICES = (0.1, 0.7, 1.3, 2.9, 4.35, 12.99)
SETTINGS = "clv:\n  gross_margin: {margin}\n"
SCORES = ("p_alive", "expected_purchases_365d", "expected_avg_spend", "clv", "model")


def _order_lines() -> pl.DataFrame:
    """Five months of 120 customers buying again and again until they stop. Seeded."""
    rng = np.random.default_rng(7)
    rows = []
    for customer in range(120):
        day = int(rng.integers(0, 90))
        while day < 150:
            quantity = int(rng.integers(1, 5))
            rows.append(
                {
                    "customer_key": f"c{customer:03d}",
                    "order_id": f"{customer}-{day}",
                    "line_number": 1,
                    "order_date": DAY0 + dt.timedelta(days=day),
                    "quantity": quantity,
                    "order_status": "placed",
                    "line_amount": quantity * float(rng.choice(PRICES)),
                }
            )
            day += int(rng.integers(1, 20)) if rng.random() > 0.15 else 150
    return pl.DataFrame(rows)


LINES = _order_lines()


@pytest.fixture
def instance():
    """One Dagster instance for all runs of a test: it holds what the last validation saw."""
    with dg.DagsterInstance.ephemeral() as instance:
        yield instance


def _paths(tmp_path, days: int, margin: float = 0.3) -> RunPaths:
    """A warehouse whose staging.stg_order_lines holds the lines of the first `days` days."""
    (tmp_path / "settings.yaml").write_text(SETTINGS.format(margin=margin))
    paths = RunPaths(data_dir=str(tmp_path))
    with duckdb.connect(str(paths.warehouse)) as con:
        con.execute("create schema staging; create schema marts")
        con.register("lines", LINES.to_arrow())
        con.execute("create table staging.stg_order_lines as select * from lines limit 0")
    _add_days(paths, range(days))
    return paths


def _add_days(paths: RunPaths, days: range) -> None:
    first, last = DAY0 + dt.timedelta(days=days.start), DAY0 + dt.timedelta(days=days.stop - 1)
    _insert(paths, LINES.filter(pl.col("order_date").is_between(first, last)))


def _insert(paths: RunPaths, lines: pl.DataFrame) -> None:
    with duckdb.connect(str(paths.warehouse)) as con:
        con.register("new_lines", lines.to_arrow())
        con.execute("insert into staging.stg_order_lines select * from new_lines")


def _run(
    instance: dg.DagsterInstance, paths: RunPaths, full_rebuild: bool = False
) -> tuple[str, str, dict[str, pl.DataFrame]]:
    """(build, build_reason) of the materialization, and the four tables after it."""
    result = dg.materialize(
        [clv_marts],
        instance=instance,
        resources=build_resources(
            paths, SettingsResource(settings_file=str(paths.data / "settings.yaml"))
        ),
        run_config={"ops": {"clv_marts": {"config": {"full_rebuild": full_rebuild}}}},
    )
    assert result.success
    metadata = {
        event.asset_key.path[-1]: event.materialization.metadata
        for event in result.get_asset_materialization_events()
    }
    builds = {(m["build"].value, m["build_reason"].value) for m in metadata.values()}
    assert len(builds) == 1  # every table says the same
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        tables = {
            name: con.sql(f"select * from marts.{name} order by all").pl()
            for name in ("customer_clv", "clv_model", "clv_tracking", "clv_conditional")
        }
    return *builds.pop(), tables


def _windows(clv_model: pl.DataFrame) -> list[tuple[str, int]]:
    """How many rows each run appended, by fit window, in run order."""
    return (
        clv_model.group_by("run_at", "fit_window", maintain_order=True)
        .len()
        .sort("run_at", "fit_window")
        .select("fit_window", "len")
        .rows()
    )


def _validation(instance: dg.DagsterInstance, paths: RunPaths) -> dict[str, pl.DataFrame]:
    build, reason, tables = _run(instance, paths)
    assert build == "validation", reason
    return tables


def test_a_new_day_keeps_the_validation_and_the_eighth_validates_again(tmp_path, instance):
    """Bugs caught: the nightly run refitting the calibration models for one more day (the
    cost the cadence removes), a kept night that rewrites or empties the validation tables
    or appends calibration rows, one that stops rescoring the customers (their ages stay
    yesterday's), and a validation never run again once kept."""
    paths = _paths(tmp_path, 142)  # the last order day is day 141, 2011-07-20
    build, reason, first = _run(instance, paths)
    assert (build, reason) == ("validation", "no earlier CLV validation recorded")
    assert _windows(first["clv_model"]) == [("calibration", 3), ("full", 2)]

    _add_days(paths, range(142, 143))
    build, reason, kept = _run(instance, paths)
    assert (build, reason) == (
        "kept",
        "kept the CLV validation of history to 2011-07-20: history is 1 days newer, "
        "within forecasting.backtest_every_days (7)",
    )
    assert kept["clv_tracking"].equals(first["clv_tracking"])
    assert kept["clv_conditional"].equals(first["clv_conditional"])
    # Only the full refit was appended: the calibration fits did not run again.
    assert _windows(kept["clv_model"]) == [("calibration", 3), ("full", 2), ("full", 2)]
    newest = kept["clv_model"].filter(pl.col("run_at") == pl.col("run_at").max())
    assert newest["holdout_end"].unique().to_list() == [dt.date(2011, 7, 21)]  # today's
    # Rescored to today: every customer is a day older.
    ages = kept["customer_clv"]["T"] - first["customer_clv"]["T"]
    assert ages.round(9).unique().to_list() == [round(1 / 7, 9)]

    _add_days(paths, range(143, 150))  # the eighth day past the validation
    build, reason, again = _run(instance, paths)
    assert (build, reason) == (
        "validation",
        "history ends 8 days from the last CLV validation's 2011-07-20 "
        "(more than forecasting.backtest_every_days, 7)",
    )
    assert _windows(again["clv_model"])[-2:] == [("calibration", 3), ("full", 2)]
    assert not again["clv_tracking"].equals(first["clv_tracking"])


def test_each_trigger_validates_again(tmp_path, instance):
    """Bugs caught: a kept validation surviving changed clv settings, older order days, a
    missing validation table, calibration rows trimmed by the retention (the kept night
    would have no model to score with) or a `full_rebuild` run (the weekly schedule's)."""
    paths = _paths(tmp_path, 142, margin=0.3)
    _validation(instance, paths)
    assert _run(instance, paths)[0] == "kept"

    (paths.data / "settings.yaml").write_text(SETTINGS.format(margin=0.4))
    assert _run(instance, paths)[:2] == (
        "validation",
        "clv settings changed since the last CLV validation",
    )
    assert _run(instance, paths)[0] == "kept"

    _insert(paths, LINES.head(1).with_columns(order_date=pl.lit(DAY0 - dt.timedelta(days=3))))
    assert _run(instance, paths)[:2] == (
        "validation",
        "history now starts 2011-02-26, the last CLV validation's started 2011-03-01",
    )

    for damage in (
        "drop table marts.clv_conditional",
        "delete from marts.clv_model where fit_window = 'calibration'",
    ):
        with duckdb.connect(str(paths.warehouse)) as con:
            con.execute(damage)
        assert _run(instance, paths)[:2] == (
            "validation",
            "the last CLV validation's tables are missing from the warehouse",
        ), damage

    assert _run(instance, paths, full_rebuild=True)[:2] == (
        "validation",
        "full_rebuild requested in the run config",
    )


def test_a_kept_night_scores_the_customers_as_a_validation_would(tmp_path, instance):
    """Bugs caught: a kept night scoring with the last run's parameters instead of a refit
    on today's history, with another model than the kept one, or up to the validation's
    last day instead of today's; and one that loses the holdout columns the validation
    wrote into customer_clv."""
    paths = _paths(tmp_path, 142)
    first = _validation(instance, paths)
    _add_days(paths, range(142, 145))
    build, _, kept = _run(instance, paths)
    assert build == "kept"
    with dg.DagsterInstance.ephemeral() as fresh:  # nothing recorded: it validates
        validated = _validation(fresh, paths)

    kept_by = first["clv_model"].filter(
        pl.col("selected") & (pl.col("fit_window") == "calibration")
    )
    now_by = validated["clv_model"].filter(
        pl.col("selected") & (pl.col("fit_window") == "calibration") & (pl.col("run_at") == pl.col("run_at").max())
    )  # fmt: skip
    # Today's validation keeps the same model: what the kept night scored with.
    assert kept_by["model"].to_list() == now_by["model"].to_list() == ["pareto_nbd"]
    refits = [
        frame.filter((pl.col("fit_window") == "full") & (pl.col("run_at") == pl.col("run_at").max()))
        .drop("fit_seconds", "run_at")
        for frame in (kept["clv_model"], validated["clv_model"])
    ]  # fmt: skip
    assert refits[0].equals(refits[1])  # the same refit: parameters, likelihood, verdict
    scores = ("customer_key", "first_purchase", "frequency", "recency", "T", *SCORES)
    assert kept["customer_clv"].select(scores).equals(validated["customer_clv"].select(scores))
    # The three days moved the customers' values: the comparison is not of two copies.
    assert not kept["customer_clv"]["clv"].equals(first["customer_clv"]["clv"])
    holdout = ("customer_key", "holdout_actual", "holdout_predicted")
    assert (
        kept["customer_clv"]
        .select(holdout)
        .join(first["customer_clv"].select(holdout), on="customer_key", how="anti")
        .filter(pl.col("holdout_actual").is_not_null())
        .is_empty()
    )
    assert (
        kept["customer_clv"]
        .select(holdout)
        .filter(pl.col("holdout_actual").is_not_null())
        .equals(first["customer_clv"].select(holdout).filter(pl.col("holdout_actual").is_not_null()))
    )  # fmt: skip
