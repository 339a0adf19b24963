"""When the customer models apply: the minimum counts to fit them and the holdout verdict,
at their edges, on hand-made summaries and calibration rows."""

from datetime import date

import polars as pl

from forecasting.clv.applicability import (
    MIN_CUSTOMERS,
    MIN_HOLDOUT_REPEATS,
    MIN_REPEAT_BUYERS,
    fittable,
    models_apply,
)
from forecasting.clv.summary import ClvSummary


def _summary(customers: int, repeaters: int) -> ClvSummary:
    frequency = [1.0] * repeaters + [0.0] * (customers - repeaters)
    return ClvSummary(
        customers=pl.DataFrame(
            {"customer_key": [f"C{n}" for n in range(customers)], "frequency": frequency}
        ),
        repeat_purchases=pl.DataFrame(),
        calibration_end=date(2024, 6, 30),
        holdout_end=date(2024, 12, 31),
        time_unit="W",
        holdout_length=26.0,
        guest_orders=0,
        calibration_transactions=repeaters,
        holdout_transactions=0,
    )


def test_the_models_are_fitted_from_exactly_the_minimum_counts():
    """Bug caught: a shop with exactly the minimum customers (20) or repeat buyers (10)
    refused a fit (``<=`` for ``<``); one fewer of either is refused, naming both counts."""
    assert fittable(_summary(MIN_CUSTOMERS, MIN_REPEAT_BUYERS)) is None
    assert fittable(_summary(MIN_CUSTOMERS - 1, MIN_REPEAT_BUYERS)) == (
        "not fitted: 19 customers and 10 repeat buyers (needs 20 and 10)"
    )
    assert fittable(_summary(MIN_CUSTOMERS, MIN_REPEAT_BUYERS - 1)) == (
        "not fitted: 20 customers and 9 repeat buyers (needs 20 and 10)"
    )


def _row(model: str, mae: float, better: bool, actual: float, selected: bool) -> dict:
    return {
        "model": model,
        "log_likelihood": -1.0,
        "holdout_mae": mae,
        "naive_mae": 0.5,
        "holdout_predicted": 90.0,
        "holdout_actual": actual,
        "better_than_naive": better,
        "selected": selected,
        "note": None,
    }


def test_a_holdout_with_too_few_repeat_purchases_says_no():
    """Bug caught: a holdout too small to check the models (9 repeat purchases) read as
    "the models apply" while its reason says they could not be checked; 10 are enough."""
    few = [_row("bgnbd", 0.4, True, MIN_HOLDOUT_REPEATS - 1, True)]
    applies, because = models_apply(few, has_holdout=True)
    assert applies is False
    assert because == (
        "the holdout holds 9 repeat purchases of the calibration customers, too few to "
        "check the models against (needs 10)"
    )
    enough = [_row("bgnbd", 0.4, True, MIN_HOLDOUT_REPEATS, True)]
    assert models_apply(enough, has_holdout=True) == (True, None)


def test_a_verdict_without_a_kept_model_gives_the_errors_alone():
    """Bug caught: the reason's sentence on the kept model's expected purchases written
    when no model is kept (``or`` for ``and``), which fails on the missing model."""
    rows = [
        _row("bgnbd", 0.6, False, 100.0, False),
        _row("pareto_nbd", 0.7, False, 100.0, False),
    ]
    applies, because = models_apply(rows, has_holdout=True)
    assert applies is False
    assert because.endswith(
        "(mean absolute error per customer: BG/NBD 0.600 and Pareto/NBD 0.700; naive 0.500)"
    )


def test_a_lone_model_worse_than_the_baseline_reports_its_miss_in_percent():
    """Bugs caught: the reason reading the baseline's error off a second calibration row
    that is not there (one model scored: the other's prediction failed), and a wrong
    percentage for the kept model's miss: 300 expected against 100 that happened is +200 %
    (a factor of 101 or 99 would read +202 % or +198 %)."""
    row = _row("bgnbd", 0.6, False, 100.0, True) | {"holdout_predicted": 300.0}
    applies, because = models_apply([row], has_holdout=True)
    assert applies is False
    assert because.endswith(
        "(mean absolute error per customer: BG/NBD 0.600; naive 0.500); BG/NBD expected 300 "
        "repeat purchases in the holdout and 100 happened (+200 %)"
    )


def test_fitted_models_without_any_holdout_error_do_not_apply():
    """Bug caught: models whose holdout predictions all failed (fitted, but no error to
    judge them by) taken to apply; the verdict is no, with the fits' notes as its reason."""
    rows = [
        _row("bgnbd", None, None, 100.0, False) | {"note": "out: prediction failed"},
        _row("pareto_nbd", None, None, 100.0, False) | {"note": "out: prediction failed"},
    ]
    assert models_apply(rows, has_holdout=True) == (False, "out: prediction failed")
