"""feedback_daily and product_ratings on hand-counted reviews and NPS answers."""

from datetime import date, datetime

import pytest

from tests.assets.sql.test_orders_revenue import suite_failures


def review(
    fid: str, when: str, rating: int | None, sku: str | None = None, order_id: str | None = None
) -> dict:
    at = datetime.fromisoformat(when)
    return {
        "feedback_id": fid,
        "order_id": order_id,
        "submitted_at": at,
        "feedback_type": "review",
        "rating": rating,
        "sku": sku,
        "_export_date": at.date(),
    }


def nps(fid: str, when: str, score: int) -> dict:
    at = datetime.fromisoformat(when)
    return {
        "feedback_id": fid,
        "submitted_at": at,
        "feedback_type": "nps",
        "nps_score": score,
        "_export_date": at.date(),
    }


def order(oid: str, when: str, qty: int, status: str) -> dict:
    at = datetime.fromisoformat(when)
    return {
        "order_id": oid,
        "ordered_at": at,
        "sku": "X",
        "quantity": qty,
        "unit_price": 5.0,
        "order_status": status,
        "_export_date": at.date(),
    }


@pytest.fixture
def feedback(warehouse):
    warehouse.insert(
        "catalog",
        [
            {
                "sku": "X",
                "unit_cost": 2.0,
                "lead_time_days": 5,
                "category": "Mugs",
                "_export_date": date(2011, 3, 1),
            },
        ],
    )
    warehouse.insert(
        "orders",
        [
            order("A", "2011-03-03 09:00", 1, "placed"),
            order("B", "2011-03-03 10:00", 2, "placed"),
            # B's second line: still one order for the review rate (not two lines)
            {**order("B", "2011-03-03 10:00", 1, "placed"), "sku": "Y"},
            order(
                "C", "2011-03-03 11:00", 1, "cancelled"
            ),  # not an order placed for the review rate
        ],
    )
    warehouse.insert(
        "feedback",
        [
            # Two product reviews of order B: one reviewed order, not two.
            review("r1", "2011-03-03 12:00", 5, "X", "B"),
            review("r2", "2011-03-03 13:00", 4, "Y", "B"),
            review("r3", "2011-03-03 14:00", 2, "X"),  # no order id: reviews no order
            review("r4", "2011-03-03 15:00", None, order_id="C"),  # no stars: not rated
            # Order A reviewed two days after it was placed: counts on A's day.
            review("r5", "2011-03-05 10:00", 1, "Y", "A"),
            nps("n1", "2011-03-03 09:00", 10),
            nps("n2", "2011-03-03 09:10", 9),
            nps("n3", "2011-03-03 09:20", 7),
            nps("n4", "2011-03-03 09:30", 3),
        ],
    )
    warehouse.build(
        "staging.stg_catalog",
        "staging.stg_order_lines",
        "staging.stg_feedback",
        "marts.feedback_daily",
        "marts.product_ratings",
    )
    return warehouse


def test_ratings_csat_nps_and_review_rate(feedback):
    """Catches a review rate over 100 %: reviews per order instead of reviewed orders per order."""
    days = {r["day"]: r for r in feedback.rows("select * from marts.feedback_daily")}
    assert list(days) == [date(2011, 3, 3), date(2011, 3, 4), date(2011, 3, 5)]
    d = days[date(2011, 3, 3)]
    assert [d[f"ratings_{i}"] for i in range(1, 6)] == [0, 1, 0, 1, 1]
    assert (d["reviews"], d["orders"]) == (3, 2)
    assert d["mean_rating"] == pytest.approx(11 / 3)
    assert d["csat"] == pytest.approx(2 / 3)  # ratings 4 and 5
    assert (d["nps_answers"], d["promoters"], d["passives"], d["detractors"]) == (4, 2, 1, 1)
    assert d["nps"] == pytest.approx(25.0)  # 100 x (2 - 1) / 4
    # Orders A and B were placed that day and both were reviewed (B twice, A two days
    # later): 2 / 2. Reviews per order, 3 / 2 = 150 %, was the bug this catches.
    assert d["reviewed_orders"] == 2
    assert d["review_rate"] == pytest.approx(1.0)


def test_days_without_feedback_are_zero_and_rates_null(feedback):
    days = {r["day"]: r for r in feedback.rows("select * from marts.feedback_daily")}
    quiet = days[date(2011, 3, 4)]
    assert (quiet["reviews"], quiet["nps_answers"], quiet["orders"]) == (0, 0, 0)
    assert (quiet["mean_rating"], quiet["csat"], quiet["nps"], quiet["review_rate"]) == (
        None,
        None,
        None,
        None,
    )
    late = days[date(2011, 3, 5)]
    assert (late["reviews"], late["ratings_1"], late["csat"], late["review_rate"]) == (
        1,
        1,
        0,
        None,
    )


def test_product_ratings_worst_first(feedback):
    rows = feedback.rows("select * from marts.product_ratings")
    assert [
        (r["sku"], r["category"], r["reviews"], r["mean_rating"], r["low_ratings"]) for r in rows
    ] == [
        ("Y", "Uncategorised", 2, 2.5, 1),
        ("X", "Mugs", 2, 3.5, 1),
    ]
    assert rows[0]["csat"] == pytest.approx(0.5)


@pytest.mark.parametrize("table", ["marts.feedback_daily", "marts.product_ratings"])
def test_feedback_marts_pass_their_quality_suites(feedback, table):
    assert suite_failures(feedback, table) == []


def test_band_edges_and_which_orders_count_as_reviewed(warehouse):
    """Catches the NPS bands losing an edge (an 8 not passive, a 6 not a detractor), an order
    whose only review has no stars counted as reviewed, and a cancelled order's rated review
    counted among the day's reviewed orders (a review rate above what was placed)."""
    warehouse.insert(
        "orders",
        [
            order("A", "2011-03-03 09:00", 1, "placed"),
            order("B", "2011-03-03 10:00", 1, "placed"),
            order("C", "2011-03-03 11:00", 1, "cancelled"),
        ],
    )
    warehouse.insert(
        "feedback",
        [
            review("r1", "2011-03-03 12:00", 5, "X", "A"),  # A: reviewed
            review("r2", "2011-03-03 12:10", None, "X", "B"),  # B: answered without stars
            review("r3", "2011-03-03 12:20", 4, "X", "C"),  # C: cancelled, not an order placed
            nps("n1", "2011-03-03 09:00", 8),  # passive
            nps("n2", "2011-03-03 09:10", 6),  # detractor
        ],
    )
    warehouse.build(
        "staging.stg_catalog",
        "staging.stg_order_lines",
        "staging.stg_feedback",
        "marts.feedback_daily",
    )
    [day] = warehouse.rows("select * from marts.feedback_daily")
    assert (day["promoters"], day["passives"], day["detractors"]) == (0, 1, 1)
    assert day["nps"] == pytest.approx(-50.0)  # 100 x (0 - 1) / 2
    assert (day["orders"], day["reviewed_orders"]) == (2, 1)
    assert day["review_rate"] == pytest.approx(1 / 2)
