"""The CLV summary and models on a few hand-written order lines with the messes real shops have."""

from datetime import date, datetime, timedelta

import numpy as np
import polars as pl
import pytest

from forecasting.clv import bgnbd, gamma_gamma, pareto_nbd
from forecasting.clv.summary import clv_summary
from forecasting.clv.tables import build_clv_tables, select_model
from forecasting.clv.validation import default_split, naive_predictions, split_dates
from forecasting.clv.value import lifetime_value

DAY0 = date(2011, 3, 1)


def line(customer, order, day, quantity, amount, status="placed"):
    return {
        "customer_key": customer,
        "order_id": order,
        "order_date": DAY0 + timedelta(days=day),
        "quantity": quantity,
        "order_status": status,
        "line_amount": amount,
    }


LINES = pl.DataFrame(
    [
        line("A", "A1", 0, 2, 10.0),
        line("A", "A2", 0, 1, 5.0),  # two orders on one day: one transaction
        line("A", "A3", 7, 1, 0.0),  # a zero-value repeat purchase still counts
        line("A", "A4", 14, 4, 20.0),
        line("A", "R1", 14, -2, -10.0, "returned"),  # a refund is no purchase
        line("A", "A5", 21, 1, 8.0),
        line("A", "A6", 22, 1, 4.0),
        line("A", "A7", 22, 1, 4.0),  # holdout
        line("B", "B1", 3, 1, 30.0),  # one order only
        line("C", "C1", 5, 3, 12.0, "cancelled"),  # a whole order cancelled: never a sale
        line(None, "G1", 2, 1, 9.0),
        line(None, "G1", 2, 2, 6.0),
        line(None, "G2", 9, 1, 3.0),  # guests
        line("D", "D1", 25, 1, 50.0),  # first seen in the holdout
    ]
)
CALIBRATION_END, HOLDOUT_END = DAY0 + timedelta(days=20), DAY0 + timedelta(days=27)


@pytest.fixture
def summary():
    return clv_summary(LINES, CALIBRATION_END, HOLDOUT_END, "W")


def test_one_transaction_per_day_zero_values_count_refunds_do_not(summary):
    a = summary.customers.filter(pl.col("customer_key") == "A").row(0, named=True)
    assert a["frequency"] == 2  # days 7 and 14; day 0's two orders are the first purchase
    assert a["recency"] == pytest.approx(14 / 7)
    assert a["T"] == pytest.approx(20 / 7)
    # mean repeat spend (0 + 20) / 2 = 10, of which the refund of 10 out of 35 sold keeps 25/35
    assert a["monetary_value"] == pytest.approx(10 * 25 / 35)
    assert a["holdout_frequency"] == 2  # day 21, and day 22 with two orders


def test_one_order_customers_are_kept_guests_and_cancelled_orders_are_not(summary):
    keys = summary.customers["customer_key"].to_list()
    assert keys == ["A", "B"]  # C only cancelled, D first bought after the calibration end
    b = summary.customers.filter(pl.col("customer_key") == "B").row(0, named=True)
    assert (b["frequency"], b["recency"], b["monetary_value"]) == (0, 0.0, 0.0)
    assert b["T"] == pytest.approx(17 / 7)
    assert summary.guest_orders == 2
    assert (summary.calibration_transactions, summary.holdout_transactions) == (2, 2)
    assert summary.holdout_length == pytest.approx(1.0)


def test_a_full_history_summary_scores_holdout_customers(summary):
    full = clv_summary(LINES, HOLDOUT_END, HOLDOUT_END, "D")
    assert full.customers["customer_key"].to_list() == ["A", "B", "D"]
    assert full.customers.filter(pl.col("customer_key") == "A")["frequency"].item() == 4


def test_naive_baseline_repeats_the_calibration_rate(summary):
    # A: 2 repeats in 20/7 weeks -> 0.7 a week over a 1-week holdout; B: none.
    assert naive_predictions(summary).tolist() == pytest.approx([2 / (20 / 7), 0.0])


def test_default_split_keeps_the_last_third_as_holdout():
    assert default_split(date(2011, 1, 1), date(2011, 1, 31)) == (
        date(2011, 1, 21),
        date(2011, 1, 31),
    )


def test_split_dates_take_the_settings_or_derive_them():
    first, last = date(2011, 1, 1), date(2011, 1, 31)
    assert split_dates(None, None, first, last) == (date(2011, 1, 21), last)
    assert split_dates(None, "2011-01-16", first, last) == (date(2011, 1, 11), date(2011, 1, 16))
    assert split_dates("2011-01-10", None, first, last) == (date(2011, 1, 10), last)
    with pytest.raises(ValueError, match="clv.calibration_end 2011-02-10 is after the holdout end"):
        split_dates("2011-02-10", None, first, last)


def test_lifetime_value_discounts_each_month():
    def steady(t):  # 0.1 purchases a day, two customers
        return np.array([0.1, 0.2]) * t

    value = lifetime_value(steady, np.array([10.0, 10.0]), 60, 0.0, 0.5, 1.0)
    assert value.tolist() == pytest.approx([0.5 * 10 * 6, 0.5 * 10 * 12])
    discounted = lifetime_value(steady, np.array([10.0, 10.0]), 60, 0.1, 0.5, 1.0)
    months = 1.1 ** (-30 / 365.25) + 1.1 ** (-60 / 365.25)
    assert discounted[0] == pytest.approx(0.5 * 10 * 3 * months)


def test_a_one_day_horizon_is_valued_and_no_horizon_is_refused():
    """Bug caught: the smallest horizon the settings allow (1 day) refused as not positive,
    or a horizon of 0 days valued at 0 instead of naming the setting. One day at 0.1
    purchases a day, spend 10, margin 0.5, no discount: 0.5."""

    def steady(t):
        return np.array([0.1]) * t

    assert lifetime_value(steady, np.array([10.0]), 1, 0.0, 0.5, 1.0).tolist() == pytest.approx(
        [0.5]
    )
    with pytest.raises(ValueError, match="clv.horizon_days"):
        lifetime_value(steady, np.array([10.0]), 0, 0.0, 0.5, 1.0)


def test_a_horizon_within_one_month_is_discounted_from_its_end():
    """Bug caught: at least two discounting steps instead of one, so a 30-day horizon's
    purchases were discounted half from day 15 and half from day 30 (worth more).

    0.1 purchases a day for 30 days, spend 10, margin 0.5, 10 % a year: 15 discounted
    once from day 30."""

    def steady(t):
        return np.array([0.1]) * t

    value = lifetime_value(steady, np.array([10.0]), 30, 0.1, 0.5, 1.0)
    assert value.tolist() == pytest.approx([15 * 1.1 ** (-30 / 365.25)], rel=1e-12)


def test_frequent_buyers_and_zero_spend_do_not_break_the_formulas():
    x, t_x, T = (
        np.array([0.0, 1.0, 400.0]),
        np.array([0.0, 5.0, 39.0]),
        np.array([39.0, 39.0, 39.0]),
    )
    for module, params in (
        (bgnbd, {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}),
        (pareto_nbd, {"r": 0.553, "alpha": 10.58, "s": 0.606, "beta": 11.67}),
    ):
        ll = module.log_likelihood(np.array(list(params.values())), x, t_x, T)
        expected = module.expected_purchases(params, 39.0, x, t_x, T)
        alive = module.probability_alive(params, x, t_x, T)
        assert np.all(np.isfinite(ll)) and np.all(np.isfinite(expected)), module.NAME
        assert np.all((alive > 0) & (alive <= 1)) and expected[2] > 100
    spend = gamma_gamma.expected_spend(
        {"p": 6.25, "q": 3.74, "gamma": 15.44}, np.array([0, 3]), np.array([0.0, 0.0])
    )
    assert spend.tolist() == pytest.approx([6.25 * 15.44 / 2.74, 6.25 * 15.44 / (6.25 * 3 + 2.74)])


def test_pareto_likelihood_is_continuous_where_alpha_and_beta_swap_roles():
    x, t_x, T = np.array([0.0, 2.0, 9.0]), np.array([0.0, 10.0, 30.0]), np.array([39.0, 39.0, 39.0])
    below = pareto_nbd.log_likelihood(np.array([0.5, 10.0 - 1e-7, 0.6, 10.0]), x, t_x, T)
    above = pareto_nbd.log_likelihood(np.array([0.5, 10.0 + 1e-7, 0.6, 10.0]), x, t_x, T)
    assert below == pytest.approx(above, abs=1e-5)


def test_too_few_customers_are_reported_not_fitted():
    tables = build_clv_tables(
        LINES, CALIBRATION_END, HOLDOUT_END, "W", 365, 0.1, 0.3, datetime(2011, 3, 29)
    )
    assert tables.selected is None
    assert tables.customer_clv["clv"].null_count() == tables.customer_clv.height == 3
    assert all(n.startswith("not fitted") for n in tables.models["note"])
    assert tables.models["guest_orders_excluded"].unique().to_list() == [2]


def test_the_lower_holdout_error_wins_and_a_tie_goes_to_bgnbd():
    def row(model, mae):
        return {"model": model, "log_likelihood": -1.0, "holdout_mae": mae}

    assert select_model([row("bgnbd", 0.80), row("pareto_nbd", 0.75)]) == "pareto_nbd"
    assert (
        select_model([row("bgnbd", 1.12945), row("pareto_nbd", 1.12940)]) == "bgnbd"
    )  # within 0.1 %
