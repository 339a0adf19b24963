"""The feedback page's fulfilment reads on the hand-made warehouse of conftest.py."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from reports.pages.feedback import delivery_queries


@pytest.fixture
def con(tiny_warehouse):
    with duckdb.connect(str(tiny_warehouse), read_only=True) as connection:
        yield connection


def test_weekly_on_time_share_is_recomputed_from_counts(con):
    [week] = delivery_queries.fulfilment_by_week(con).rows(named=True)
    assert week["week"] == date(2011, 1, 3)
    assert (week["orders_shipped"], week["orders_delivered"], week["orders_late"]) == (15, 14, 4)
    assert week["on_time_share"] == pytest.approx(10 / 14)  # not the mean of 0.8 and 0.5
    assert week["median_days_to_deliver"] == pytest.approx((2.0 * 10 + 4.0 * 4) / 14)


def test_late_orders_by_carrier_most_late_first(con):
    rows = delivery_queries.late_orders_by(con, "carrier").rows()
    assert rows == [("DHL", 10, 2, 0.2), ("Royal Mail", 4, 2, 0.5)]
    with pytest.raises(ValueError, match="use carrier or region"):
        delivery_queries.late_orders_by(con, "customer_email")


def test_worst_categories_weight_ratings_by_reviews(con, monkeypatch):
    monkeypatch.setattr(delivery_queries, "MIN_CATEGORY_REVIEWS", 1)
    rows = delivery_queries.worst_categories(con).rows(named=True)
    assert [r["category"] for r in rows] == ["Kitchen & <Dining>", "Decor"]
    decor = rows[1]
    assert (decor["products"], decor["reviews"]) == (2, 6)
    assert decor["mean_rating"] == pytest.approx((1.0 * 2 + 4.5 * 4) / 6)
    assert decor["csat"] == pytest.approx(4 / 6)


def test_feedback_page_shows_delivery_and_categories(site):
    page = (site / "feedback.html").read_text()
    for div in (
        "chart-delivery-trend",
        "chart-late-carrier",
        "chart-late-region",
        "chart-delivery-rating",
    ):
        assert f'id="{div}"' in page
    assert "Worst-rated categories" in page
    assert "No category has 10 or more rated reviews yet." in page  # 9 reviews in the fixture
