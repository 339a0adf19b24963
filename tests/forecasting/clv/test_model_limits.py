"""The CLV tables for every time unit and data shape: no crash, and a verdict on whether
the models apply, with its reason, where they cannot be trusted."""

from datetime import date, datetime, timedelta

import numpy as np
import polars as pl
import pytest

from forecasting.clv import bgnbd
from forecasting.clv.applicability import models_apply
from forecasting.clv.tables import build_clv_tables, select_model
from forecasting.clv.validation import split_dates
from tests.forecasting.clv import test_row_order

DAY0 = date(2024, 3, 4)
SCHEMA = {
    "customer_key": pl.String,
    "order_id": pl.String,
    "order_date": pl.Date,
    "quantity": pl.Int64,
    "order_status": pl.String,
    "line_amount": pl.Float64,
}


def lines(rows) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=SCHEMA, orient="row")


def one_time_shop(customers: int, repeat_buyers: int, amount: float = 10.0) -> pl.DataFrame:
    """25 first orders a day; the first customer of each of the first `repeat_buyers` days
    buys again a week later and four weeks after their first order."""
    rows = [
        (f"C{c:04d}", f"O{c:04d}", DAY0 + timedelta(days=c // 25), 1, "placed", amount)
        for c in range(customers)
    ]
    for n in range(repeat_buyers):
        c = 25 * n
        rows += [
            (f"C{c:04d}", f"R{c:04d}", DAY0 + timedelta(days=n + 7), 1, "placed", amount),
            (f"C{c:04d}", f"H{c:04d}", DAY0 + timedelta(days=n + 28), 1, "placed", amount),
        ]
    return lines(rows)


def tables_of(order_lines: pl.DataFrame, unit: str):
    first = order_lines["order_date"].min() or DAY0
    last = order_lines["order_date"].max() or DAY0
    calibration_end, holdout_end = split_dates(None, None, first, last)
    return build_clv_tables(
        order_lines, calibration_end, holdout_end, unit, 365, 0.1, 0.3, datetime(2025, 1, 1)
    )


def verdict(tables) -> tuple[bool | None, str | None]:
    return tables.models["models_apply"][0], tables.models["not_applicable_because"][0]


@pytest.mark.parametrize(("seed", "unit"), [(11, "W"), (15, "W"), (11, "M"), (19, "D")])
def test_a_model_whose_holdout_error_is_nan_does_not_crash_the_run(seed, unit):
    """Bug caught: BG/NBD's Euler-transformed hypergeometric factor is NaN in scipy when a
    and b are large (a constant dropout probability, which these seeded shops fit), its
    holdout MAE became NaN and select_model raised StopIteration (weekly units crashed,
    daily ones ran)."""
    order_lines = test_row_order._order_lines(seed)
    tables = build_clv_tables(
        order_lines, DAY0 + timedelta(days=80), DAY0 + timedelta(days=119), unit, 365, 0.1,
        0.3, datetime(2025, 1, 1),
    )  # fmt: skip
    calibration = tables.models.filter(pl.col("fit_window") == "calibration")
    assert tables.selected is not None
    assert calibration.filter(pl.col("model") == "bgnbd")["holdout_mae"].is_finite().all()
    assert tables.customer_clv["clv"].is_not_null().all()


def test_bgnbd_expected_purchases_stay_finite_when_a_and_b_are_large():
    """Bug caught: the Euler form returned NaN (or inf) for a = 18,594 and b = 161,109 (a
    seeded shop's weekly fit); the untransformed form gives the series' value."""
    params = {"r": 2.2, "alpha": 3.5, "a": 18594.0, "b": 161109.0}
    x, t_x, T = np.array([0.0, 3.0, 10.0]), np.array([0.0, 5.0, 10.0]), np.array([11.0] * 3)
    expected = bgnbd.expected_purchases(params, 5.6, x, t_x, T)
    assert np.all(np.isfinite(expected)) and np.all(expected > 0)
    # The factor by its power series: (1 - z)^(r + x) 2F1(r + x, b + x; a + b + x - 1; z).
    r, a, b, z = 2.2, 18594.0, 161109.0, 5.6 / (3.5 + 11.0 + 5.6)
    for xi, value in zip(x, expected, strict=True):
        term, series = 1.0, 0.0
        for n in range(400):
            series += term
            term *= (r + xi + n) * (b + xi + n) / ((a + b + xi - 1 + n) * (n + 1)) * z
        tail = (1 - z) ** (r + xi) * series
        alive = bgnbd.probability_alive(params, np.array([xi]), t_x[x == xi], np.array([11.0]))
        assert value == pytest.approx((a + b + xi - 1) / (a - 1) * (1 - tail) * alive[0])
    assert np.all(np.isfinite(bgnbd.expected_purchases_new(params, np.arange(0.0, 50.0))))


def test_a_nan_holdout_error_is_never_the_kept_model():
    """Bug caught: `min` over holdout errors with a NaN among them, then `next` over the rows
    within 0.1 % of it, found no row and raised StopIteration."""

    def row(model, mae):
        return {"model": model, "log_likelihood": -1.0, "holdout_mae": mae, "holdout_actual": 9.0}

    assert select_model([row("bgnbd", float("nan")), row("pareto_nbd", 0.9)]) == "pareto_nbd"
    failed = row("bgnbd", None)  # its prediction was not a number: no holdout error
    assert select_model([failed, row("pareto_nbd", 0.9)]) == "pareto_nbd"
    assert select_model([failed, {**failed, "model": "pareto_nbd"}]) is None


def test_errors_within_a_tenth_of_a_percent_are_a_tie_bg_nbd_wins():
    """Bugs caught: the tie band applied below the best error (no model within it: the
    selection raised StopIteration) or far wider than 0.1 % (BG/NBD kept with an error
    twice Pareto/NBD's); without a holdout the higher likelihood wins.
    BG/NBD 1.0005 against 1.0 is a tie (0.05 %): BG/NBD; 1.002 (0.2 %) is not: Pareto/NBD."""

    def row(model, mae, log_likelihood=-1.0):
        holdout = None if mae is None else 9.0
        return {
            "model": model,
            "log_likelihood": log_likelihood,
            "holdout_mae": mae,
            "holdout_actual": holdout,
        }

    assert select_model([row("bgnbd", 1.0005), row("pareto_nbd", 1.0)]) == "bgnbd"
    assert select_model([row("bgnbd", 1.002), row("pareto_nbd", 1.0)]) == "pareto_nbd"
    assert select_model([row("bgnbd", 2.0), row("pareto_nbd", 1.0)]) == "pareto_nbd"
    unscored = [row("bgnbd", None, -12.0), row("pareto_nbd", None, -10.0)]
    assert select_model(unscored) == "pareto_nbd"


def test_where_99_percent_buy_once_the_models_say_they_do_not_apply():
    """Bug caught: with 99 % one-time buyers both models lost to the naive baseline, yet the
    run gave every customer a probability alive and a CLV as if the models fitted. (Weekly
    units, the default; the other units are run by the NaN test above.)"""
    tables = tables_of(one_time_shop(1000, 10), "W")
    applies, because = verdict(tables)
    assert applies is False
    assert because.startswith("no model predicted each customer's holdout repeat purchases")
    assert "naive" in because and "happened" in because
    assert (tables.models["models_apply"] == False).all()  # one verdict per run


@pytest.mark.parametrize("unit", ["D", "W", "M"])
def test_no_repeat_buyers_one_customer_and_no_orders_are_reported_not_fitted(unit):
    """Bug caught: a shape without repeat buyers must give notes, NULL CLVs and the verdict
    'does not apply' with the reason, never an exception or a fitted-looking row; and the
    reason counts the shop's customers and repeat buyers (a shop with no orders has 0 and
    0, not a placeholder such as -1)."""
    shops = {
        "no repeat buyers": one_time_shop(300, 0),
        "one customer": lines(
            [("A", "1", DAY0, 1, "placed", 5.0), ("A", "2", DAY0 + timedelta(9), 1, "placed", 5.0)]
        ),
        "no orders": lines([]),
    }
    for shape, order_lines in shops.items():
        tables = tables_of(order_lines, unit)
        applies, because = verdict(tables)
        assert tables.selected is None, shape
        assert applies is False and because.startswith("not fitted"), (shape, because)
        assert tables.customer_clv["clv"].null_count() == tables.customer_clv.height, shape
    # the counts the reason gives are the shop's, never a placeholder (no orders: 0 and 0)
    assert verdict(tables_of(lines([]), unit))[1].startswith(
        "not fitted: 0 customers and 0 repeat buyers"
    )


def test_zero_value_orders_give_purchases_but_no_spend_model():
    """Bug caught: shops whose orders are all free (samples, replacements) must leave
    Gamma-Gamma unfitted with its reason, not fit it on zeros or crash."""
    tables = tables_of(one_time_shop(300, 12, amount=0.0), "W")
    spend = tables.models.filter(pl.col("model") == "gamma_gamma")
    assert spend["fit_window"].to_list() == ["calibration", "full"]
    assert all(
        n.startswith("not fitted: 0 repeat buyers with positive spend") for n in spend["note"]
    )
    assert spend["holdout_spend_mae"].is_null().all()
    assert tables.customer_clv["clv"].is_null().all()


def test_the_verdict_needs_a_holdout_and_a_model_that_beats_the_baseline():
    """The verdict's cases on hand-made calibration rows."""

    def row(model, mae, better, note=None):
        return {
            "model": model,
            "log_likelihood": -1.0,
            "holdout_mae": mae,
            "naive_mae": 0.5,
            "holdout_predicted": 90.0,
            "holdout_actual": 100.0,
            "better_than_naive": better,
            "selected": model == "bgnbd",
            "note": note,
        }

    assert models_apply([row("bgnbd", 0.4, True), row("pareto_nbd", 0.6, False)], True) == (
        True,
        None,
    )
    assert models_apply([row("bgnbd", None, None)], has_holdout=False) == (None, None)
    applies, because = models_apply([row("bgnbd", 0.6, False), row("pareto_nbd", 0.7, False)], True)
    assert applies is False
    assert because.endswith(
        "BG/NBD expected 90 repeat purchases in the holdout and 100 happened (-10 %)"
    )
