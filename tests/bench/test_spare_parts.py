"""The monthly spare-parts bench in small: a simulated catalog with a known demand process."""

import datetime as dt

import polars as pl
import pytest

from bench.spare_parts import SELECTED, run
from simulator.spare_parts import PROCESSES, spare_parts

MONTHS = 36


@pytest.fixture(scope="module")
def bench_run():
    parts = spare_parts(parts=300, months=MONTHS, seed=3)
    evaluation, table = run(parts, MONTHS)
    return parts, evaluation, table


def test_the_simulated_parts_are_slow_and_follow_their_process(bench_run):
    """Bug: a generator whose parts sell most months (or whose truth is not what it drew)
    would test nothing about spare parts."""
    parts, _, _ = bench_run
    monthly = parts.demand.group_by("sku", pl.col("day").dt.truncate("1mo").alias("month")).agg(
        pl.col("demand_units").sum()
    )
    assert monthly.filter(pl.col("demand_units") > 0).height < 0.5 * 300 * MONTHS
    assert set(parts.truth["process"]) == set(PROCESSES)
    drawn = parts.expected["expected"].sum()
    sold = parts.demand["demand_units"].sum()
    assert sold == pytest.approx(drawn, rel=0.1)


def test_the_holdout_is_the_last_three_months(bench_run):
    """Bug: monthly windows counted as days put the holdout in the wrong months."""
    _, evaluation, _ = bench_run
    summary = evaluation.accuracy_summary.filter(pl.col("model") == SELECTED)
    assert set(summary["holdout_first_day"]) == {dt.date(2023, 10, 1)}
    assert set(summary["holdout_last_day"]) == {dt.date(2023, 12, 1)}


def test_selection_beats_the_best_single_model_or_says_why_not(bench_run):
    """Bug: a selection that loses to one of its own candidates, or to forecasting zero,
    without a word: every class must beat or tie the best single model on the holdout, or
    its verdict says by how much it lost against the noise."""
    _, _, table = bench_run
    overall = table.filter(pl.col("class") == "all").row(0, named=True)
    assert overall[SELECTED] <= float(overall["best single"].split()[-1])
    for row in table.iter_rows(named=True):
        best = float(row["best single"].split()[-1])
        assert row[SELECTED] <= best or row["why"].startswith("loses by"), row
        assert row[SELECTED] <= row["Zero"] or "loses to zero" in row["why"], row
