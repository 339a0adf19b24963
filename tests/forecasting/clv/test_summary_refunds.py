"""The CLV summary's edges, by hand: the calibration end's own day, the repeat purchases
tracked, and the share of sales refunds take back (small, excessive and odd-signed)."""

from datetime import date, timedelta

import polars as pl
import pytest

from forecasting.clv.summary import clv_summary

DAY0 = date(2024, 1, 1)
CALIBRATION_END, HOLDOUT_END = DAY0 + timedelta(days=5), DAY0 + timedelta(days=8)


def _line(customer, day, quantity, amount, status="placed"):
    return {
        "customer_key": customer,
        "order_id": f"{customer}{day}{quantity}{status}",
        "order_date": DAY0 + timedelta(days=day),
        "quantity": quantity,
        "order_status": status,
        "line_amount": amount,
    }


LINES = pl.DataFrame(
    [
        # A returns one of four items on the calibration end's day: kept 30 / 40.
        _line("A", 0, 2, 20.0),
        _line("A", 2, 2, 20.0),
        _line("A", 5, -1, -10.0, "returned"),
        _line("A", 7, 1, 10.0),  # holdout
        # B buys for cents and returns half: kept 0.4 / 0.8.
        _line("B", 0, 1, 0.2),
        _line("B", 2, 3, 0.6),
        _line("B", 3, -1, -0.4, "returned"),
        # C returns more than it bought in the calibration (an older purchase): kept 0.
        _line("C", 0, 1, 10.0),
        _line("C", 2, 1, 10.0),
        _line("C", 3, -3, -30.0, "returned"),
        # D gets a fee credited back on a returned line (negative units of a negative
        # price, a positive amount): nothing it bought is taken back, kept stays 1.
        _line("D", 0, 1, 10.0),
        _line("D", 2, 1, 10.0),
        _line("D", 2, -1, 5.0, "returned"),
        # F's first day nets to -5 (an adjustment of -15 beside a purchase of 10), its
        # repeat to 5: calibration sales of 0, no share to take, the repeat spend stays 5.
        _line("F", 0, 1, 10.0),
        _line("F", 0, 1, -15.0),
        _line("F", 2, 1, 5.0),
        # E's first purchase is on the calibration end itself.
        _line("E", 5, 1, 7.0),
    ]
)


@pytest.fixture
def summary():
    return clv_summary(LINES, CALIBRATION_END, HOLDOUT_END, "D")


def _customer(summary, key: str) -> dict:
    return summary.customers.filter(pl.col("customer_key") == key).row(0, named=True)


def test_a_customer_first_seen_on_the_calibration_end_is_in_the_cohort(summary):
    """Bug caught: the cohort cut at the day before the calibration end, losing the
    customers whose first purchase is on it (age T = 0)."""
    e = _customer(summary, "E")
    assert (e["frequency"], e["recency"], e["T"]) == (0, 0.0, 0.0)


def test_a_refund_on_the_calibration_end_and_of_one_unit_scales_the_spend(summary):
    """Bugs caught: the refunds of the calibration end's own day left out of the share
    kept, and a return of a single unit (quantity -1) not counted as a refund.

    A buys 20 on days 0 and 2 and returns 10 on day 5: kept 30 / 40, so its mean repeat
    spend 20 counts 15."""
    assert _customer(summary, "A")["monetary_value"] == pytest.approx(15.0)


def test_a_spend_of_cents_is_scaled_by_its_refunds_too(summary):
    """Bug caught: the share kept computed only for customers whose calibration sales
    exceed 1 (currency unit), so B, who bought 0.80 and returned 0.40, kept all of its
    repeat spend 0.60 instead of half, 0.30."""
    assert _customer(summary, "B")["monetary_value"] == pytest.approx(0.3)


def test_the_share_kept_is_clipped_to_0_and_1(summary):
    """Bugs caught: the share kept allowed below 0 (C, refunding 30 of 20 bought, would be
    worth -5 per purchase instead of 0) or above 1 (D, credited a fee of 5 on a returned
    line, would be worth 12.5 instead of its 10)."""
    assert _customer(summary, "C")["monetary_value"] == 0.0
    assert _customer(summary, "D")["monetary_value"] == pytest.approx(10.0)


def test_calibration_sales_netting_to_nothing_keep_the_whole_repeat_spend(summary):
    """Bug caught: a customer whose calibration sales add up to 0 given a share kept other
    than 1 (2 doubles F's repeat spend of 5, 0 erases it)."""
    assert _customer(summary, "F")["monetary_value"] == pytest.approx(5.0)


def test_the_tracked_repeat_purchases_leave_out_each_first_purchase(summary):
    """Bug caught: the repeat purchases the tracking counts included each customer's first
    purchase day, so every customer added a purchase at their start."""
    repeats = summary.repeat_purchases.sort("customer_key", "order_date")
    assert repeats.rows() == [
        ("A", DAY0 + timedelta(days=2)),
        ("A", DAY0 + timedelta(days=7)),
        ("B", DAY0 + timedelta(days=2)),
        ("C", DAY0 + timedelta(days=2)),
        ("D", DAY0 + timedelta(days=2)),
        ("F", DAY0 + timedelta(days=2)),
    ]
