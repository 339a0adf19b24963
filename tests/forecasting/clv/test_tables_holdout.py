"""The CLV tables' holdout columns, verdict and counts on a seeded shop: a holdout of
exactly one time unit, none at all, guest orders, and the choice between tied errors."""

from datetime import datetime, timedelta

import polars as pl
import pytest

from forecasting.clv.scoring import PURCHASE_MODELS
from forecasting.clv.summary import clv_summary
from forecasting.clv.tables import (
    ScoringSettings,
    beats_naive,
    build_clv_tables,
    build_scored_tables,
    select_model,
)
from forecasting.clv.validation import naive_predictions
from tests.forecasting.clv.test_row_order import DAY0, _order_lines

CALIBRATION_END = DAY0 + timedelta(days=80)
RUN_AT = datetime(2011, 7, 1)


def _guest_line(order: str, day: int) -> dict:
    return {
        "customer_key": None,
        "order_id": order,
        "order_date": DAY0 + timedelta(days=day),
        "quantity": 1,
        "order_status": "placed",
        "line_amount": 4.35,
    }


@pytest.fixture(scope="module")
def lines() -> pl.DataFrame:
    """The seeded shop of 60 customers, plus two guest orders (one of two lines)."""
    guests = [_guest_line("G1", 3), _guest_line("G1", 3), _guest_line("G2", 40)]
    return pl.concat([_order_lines(), pl.DataFrame(guests, schema=_order_lines().schema)])


def _tables(lines: pl.DataFrame, holdout_days: int):
    holdout_end = CALIBRATION_END + timedelta(days=holdout_days)
    return build_clv_tables(lines, CALIBRATION_END, holdout_end, "W", 365, 0.1, 0.3, RUN_AT)


def _calibration_rows(tables) -> pl.DataFrame:
    return tables.models.filter(
        (pl.col("fit_window") == "calibration") & pl.col("model").is_in(list(PURCHASE_MODELS))
    )


def test_a_holdout_of_one_time_unit_is_scored_against_the_baseline(lines):
    """Bugs caught: a holdout of exactly one unit (7 days in weeks) treated as none (the
    test `> 1` in the scoring or in the verdict), the naive baseline's predicted total
    written only when there is no baseline, the total's relative error dropped when it is
    a number, the naive predictions left out of the conditional table, and the selected
    flag set on the model not kept.

    The baseline repeats each calibration customer's rate over the one week."""
    tables = _tables(lines, 7)
    rows = _calibration_rows(tables)
    calibration = clv_summary(lines, CALIBRATION_END, CALIBRATION_END + timedelta(days=7), "W")
    assert calibration.holdout_length == 1.0
    naive_total = float(naive_predictions(calibration).sum())
    assert rows["naive_predicted"].to_list() == pytest.approx([naive_total] * 2)
    assert rows["holdout_mae"].is_not_null().all()
    for row in rows.iter_rows(named=True):
        actual = row["holdout_actual"]
        expected_pct = 100 * (row["holdout_predicted"] - actual) / actual
        assert row["holdout_total_error_pct"] == pytest.approx(expected_pct)
        assert row["selected"] == (row["model"] == tables.selected)
    assert tables.selected in PURCHASE_MODELS
    assert tables.validation.models_apply is True
    assert "naive" in tables.conditional["model"].to_list()


def test_no_holdout_scores_nothing_and_gives_no_verdict(lines):
    """Bugs caught: a holdout of 0 days taken as a holdout (``>= 0``, ``> -1``), which
    scores every model and the baseline on no purchases at all (errors of 0), or gives the
    verdict that the models do not apply instead of none."""
    tables = _tables(lines, 0)
    rows = _calibration_rows(tables)
    for column in ("holdout_mae", "holdout_actual", "naive_predicted", "better_than_naive"):
        assert rows[column].is_null().all(), column
    assert tables.validation.models_apply is None
    assert tables.validation.not_applicable_because is None


def test_the_guest_orders_left_out_are_counted_by_both_builds(lines):
    """Bug caught: the tables' guest count taken from the wrong element of the purchase
    days (the frame of days instead of the count). The shop has two guest orders."""
    tables = _tables(lines, 7)
    assert tables.guest_orders == 2
    options = ScoringSettings("W", 365, 0.1, 0.3)
    scored = build_scored_tables(
        lines, tables.validation, CALIBRATION_END + timedelta(days=7), options, RUN_AT
    )
    assert scored.guest_orders == 2


def test_a_perfect_holdout_prediction_is_kept():
    """Bug caught: the tie test made strict (``<`` best x 1.001), which leaves no model
    within the tolerance of a best error of exactly 0 and raises StopIteration."""
    rows = [
        {"model": "bgnbd", "log_likelihood": -10.0, "holdout_mae": 0.5, "holdout_actual": 3.0},
        {"model": "pareto_nbd", "log_likelihood": -9.0, "holdout_mae": 0.0, "holdout_actual": 3.0},
    ]
    assert select_model(rows) == "pareto_nbd"


def test_a_model_that_only_ties_the_baseline_is_not_better_than_it():
    """Bug caught: better_than_naive written as error <= baseline error, so a model no
    better than each customer repeating their own rate counts as beating it (and can make
    the models "apply"). No fitted model ties the baseline to the last bit, so the rule is
    given the errors directly: a tie, a win by a hair, and a missing side."""
    assert beats_naive({"mae": 0.5}, {"mae": 0.5}) is False
    assert beats_naive({"mae": 0.4999}, {"mae": 0.5}) is True
    assert beats_naive(None, {"mae": 0.5}) is None
    assert beats_naive({"mae": 0.5}, None) is None
