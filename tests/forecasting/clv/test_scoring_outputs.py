"""The per-customer outputs and the 'full' model rows of scoring, checked against the
fitted models' own formulas on a seeded shop."""

from datetime import timedelta

import pytest

from forecasting.clv import bgnbd
from forecasting.clv.scoring import score_customers
from forecasting.clv.summary import clv_summary
from forecasting.clv.validation import summary_arrays
from tests.forecasting.clv.test_row_order import DAY0, _order_lines

END = DAY0 + timedelta(days=119)


@pytest.fixture(scope="module")
def full():
    return clv_summary(_order_lines(), END, END, "W")


def test_the_kept_model_scores_every_customer_in_days_turned_to_weeks(full):
    """Bugs caught: the expected purchases over 30, 90 and 365 days asked of the model in
    days x 7 instead of days / 7 weeks, or not computed at all (the loop over the
    horizons skipped); the customers' model column empty when the model was fitted."""
    customers, _ = score_customers(full, "bgnbd", 365, 0.1, 0.3)
    x, t_x, T = summary_arrays(full)
    params = bgnbd.fit(x, t_x, T).params
    for days in (30, 90, 365):
        expected = bgnbd.expected_purchases(params, days / 7, x, t_x, T)
        assert customers[f"expected_purchases_{days}d"].to_list() == pytest.approx(
            expected.tolist()
        )
    assert customers["model"].to_list() == ["bgnbd"] * full.customers.height


def test_the_full_rows_name_the_kept_model_and_flag_both_fits(full):
    """Bugs caught: the purchase row named "none" although a model was kept (``and``
    instead of ``or``), and the selected flags of the purchase and spend rows inverted."""
    _, rows = score_customers(full, "bgnbd", 365, 0.1, 0.3)
    purchase, spend = rows
    assert (purchase["model"], purchase["fit_window"], purchase["selected"]) == (
        "bgnbd",
        "full",
        True,
    )
    assert (spend["model"], spend["selected"]) == ("gamma_gamma", True)
