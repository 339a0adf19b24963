"""The feedback page's KPI tiles, read from the page published from marts built out of
hand-written orders, reviews and NPS answers, against values worked out by hand. Two days
whose own rates differ, so that a mean of daily rates shows another number than the rate of
the summed counts."""

from __future__ import annotations

from datetime import UTC, datetime

from reports.pages.feedback.page import feedback
from tests.assets.sql.test_feedback_daily import nps, order, review
from tests.reports.test_kpi_tiles import tiles

GENERATED_AT = datetime(2011, 3, 5, 6, 0, tzinfo=UTC)
FEEDBACK_MARTS = (
    "staging.stg_catalog",
    "staging.stg_order_lines",
    "staging.stg_feedback",
    "marts.feedback_daily",
    "marts.product_ratings",
    "staging.stg_shipments",
    "marts.fulfilment_daily",
    "marts.delivery_feedback",
)
FEEDBACK_TILES = ("reviews", "mean_rating", "csat", "nps", "nps_answers", "review_rate")


def test_feedback_tiles(warehouse):
    """Catches: the mean rating, CSAT or NPS as a mean of daily figures; CSAT or the mean
    rating over reviews without stars; NPS without the passives in its denominator; the
    review rate counting an order once per line (B has two), counting an order whose only
    review has no stars, or over cancelled orders too; reviews counting those without stars."""
    warehouse.insert(
        "orders",
        [
            order("A", "2011-03-03 09:00", 1, "placed"),
            order("B", "2011-03-03 10:00", 2, "placed"),
            {**order("B", "2011-03-03 10:00", 1, "placed"), "sku": "Y"},
            order("C", "2011-03-03 11:00", 1, "cancelled"),
            order("D", "2011-03-04 09:00", 1, "placed"),
        ],
    )
    warehouse.insert(
        "feedback",
        [
            # 03-03: two reviews of order B, a review of A without stars, one of no order
            review("r1", "2011-03-03 12:00", 5, "X", "B"),
            review("r2", "2011-03-03 13:00", 4, "Y", "B"),
            review("r3", "2011-03-03 14:00", None, "X", "A"),
            review("r4", "2011-03-03 15:00", 1, "X"),
            nps("n1", "2011-03-03 16:00", 10),
            nps("n2", "2011-03-03 16:10", 9),
            nps("n3", "2011-03-03 16:20", 7),
            # 03-04: a review of order D, one of no order
            review("r5", "2011-03-04 12:00", 2, "X", "D"),
            review("r6", "2011-03-04 13:00", 3, "X"),
            nps("n4", "2011-03-04 16:00", 0),
            nps("n5", "2011-03-04 16:10", 10),
        ],
    )
    warehouse.build(*FEEDBACK_MARTS)
    shown = tiles(feedback(warehouse.con, "shop", GENERATED_AT))
    assert {key: shown[key] for key in FEEDBACK_TILES} == {
        "reviews": "5",  # r1 r2 r4 r5 r6; r3 has no stars
        # (5 + 4 + 1 + 2 + 3) / 5 = 3.00 (the mean of the days' means (10/3 + 5/2) / 2 = 2.92)
        "mean_rating": "3.00",
        # 4-5 stars: r1, r2 = 2 / 5 (over the 6 reviews 33.3 %; the days' mean (2/3 + 0) / 2
        # = 33.3 %)
        "csat": "40.0 %",
        # 100 x (promoters 10 9 10 - detractors 0) / 5 answers = 40 (without the passive 7:
        # 50; the days' mean (66.7 + 0) / 2 = 33)
        "nps": "40",
        "nps_answers": "5",
        # orders reviewed with stars: B (two reviews, two lines) and D of the placed A, B, D
        # = 2/3 (B once per line 3/3; A's starless review counted 3/3; with C 2/4 = 50.0 %;
        # the days' mean (1/2 + 1/1) / 2 = 75.0 %)
        "review_rate": "66.7 %",
    }
