"""The feedback page's KPI tiles, read from the page published from marts built out of
hand-written orders, reviews, NPS answers and parcels, against values worked out by hand. Two days
whose own rates differ, so that a mean of daily rates shows another number than the rate of
the summed counts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from reports.pages.feedback.page import feedback
from tests.assets.sql.test_feedback_daily import nps, order, review
from tests.assets.sql.test_fulfilment import order as fulfilment_order
from tests.assets.sql.test_fulfilment import parcel
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
DELIVERY_TILES = ("orders_shipped", "on_time_share", "orders_late")


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


def shipped(order_id: str, delivered: str | None, promised: str, number: int = 1) -> dict:
    """Parcel `number` of `order_id`, shipped the morning after 2011-03-01 or 03-08's order."""
    ordered = "2011-03-01" if order_id in "ABC" else "2011-03-08"
    return {"shipment_id": f"{order_id}-{number}"} | parcel(
        order_id,
        f"{date.fromisoformat(ordered) + timedelta(days=1)} 09:00",
        delivered,
        date.fromisoformat(promised),
        "Royal Mail",
        "United Kingdom",
    )


def test_delivery_tiles(warehouse):
    """Catches: the on-time share over orders shipped instead of delivered, over parcels
    instead of orders (an order is delivered when its last parcel arrives), as a mean of the
    weeks' shares, or with a parcel delivered on its promised day counted late."""
    warehouse.insert(
        "orders",
        [
            *(fulfilment_order(o, "2011-03-01 10:00") for o in "ABC"),
            *(fulfilment_order(o, "2011-03-08 10:00") for o in "DEF"),
        ],
    )
    warehouse.insert(
        "shipments",
        [
            shipped("A", "2011-03-03 12:00", "2011-03-04"),  # A's first parcel: early ...
            shipped("A", "2011-03-06 12:00", "2011-03-04", 2),  # ... its second late: A is late
            shipped("B", "2011-03-04 18:00", "2011-03-04"),  # on its promised day: on time
            shipped("C", None, "2011-03-05"),  # in transit
            shipped("D", "2011-03-09 12:00", "2011-03-10"),
            shipped("E", "2011-03-14 12:00", "2011-03-11"),  # late
            shipped("F", "2011-03-10 12:00", "2011-03-11"),
        ],
    )
    warehouse.build(*FEEDBACK_MARTS)
    shown = tiles(feedback(warehouse.con, "shop", GENERATED_AT))
    assert {key: shown[key] for key in DELIVERY_TILES} == {
        "orders_shipped": "6",  # A to F
        # delivered A B D E F, of them late A and E: 3 / 5 on time (over the 6 shipped 50.0 %;
        # parcels 4 / 6 = 66.7 %; the weeks' mean (1/2 + 2/3) / 2 = 58.3 %; B late: 40.0 %)
        "on_time_share": "60.0 %",
        "orders_late": "2",
    }
