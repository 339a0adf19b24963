"""fulfilment_daily and delivery_feedback on three hand-written orders and their parcels."""

from datetime import date, datetime

import pytest

MODELS = (
    "staging.stg_catalog",
    "staging.stg_order_lines",
    "staging.stg_feedback",
    "staging.stg_shipments",
    "marts.fulfilment_daily",
    "marts.delivery_feedback",
)


def order(order_id: str, at: str) -> dict:
    when = datetime.fromisoformat(at)
    return {
        "order_id": order_id,
        "ordered_at": when,
        "sku": "X",
        "quantity": 1,
        "unit_price": 5.0,
        "customer_id": "c1",
        "order_status": "placed",
        "_export_date": when.date(),
    }


def parcel(
    order_id: str, shipped: str, delivered: str | None, promised: date, carrier: str, region: str
) -> dict:
    return {
        "order_id": order_id,
        "shipped_at": datetime.fromisoformat(shipped),
        "delivered_at": datetime.fromisoformat(delivered) if delivered else None,
        "promised_date": promised,
        "carrier": carrier,
        "region": region,
        "_export_date": date(2011, 3, 8),
    }


def answer(
    feedback_id: str, order_id: str, rating: int | None = None, nps: int | None = None
) -> dict:
    return {
        "feedback_id": feedback_id,
        "submitted_at": datetime(2011, 3, 9, 10),
        "order_id": order_id,
        "feedback_type": "review" if rating else "nps",
        "rating": rating,
        "nps_score": nps,
        "_export_date": date(2011, 3, 9),
    }


@pytest.fixture
def shop(warehouse):
    warehouse.insert(
        "orders",
        [
            order("A", "2011-03-01 10:00"),
            order("B", "2011-03-01 12:00"),
            order("C", "2011-03-02 09:00"),
        ],
    )
    warehouse.insert(
        "shipments",
        [
            parcel(
                "A",
                "2011-03-02 16:00",
                "2011-03-04 12:00",
                date(2011, 3, 5),
                "Royal Mail",
                "United Kingdom",
            ),
            parcel(
                "B",
                "2011-03-01 16:00",
                "2011-03-08 12:00",
                date(2011, 3, 5),
                "Royal Mail",
                "United Kingdom",
            ),
            parcel("C", "2011-03-03 16:00", None, date(2011, 3, 6), "DHL", "France"),  # in transit
        ],
    )
    warehouse.insert(
        "feedback",
        [
            answer("r1", "A", rating=5),
            answer("r2", "B", rating=2),
            answer("n1", "A", nps=10),
            answer("n2", "B", nps=3),
        ],
    )
    warehouse.build(*MODELS)
    return warehouse


def test_fulfilment_times_and_promises(shop):
    rows = {r["carrier"]: r for r in shop.rows("select * from marts.fulfilment_daily")}
    uk = rows["Royal Mail"]
    assert (
        uk["day"],
        uk["orders_shipped"],
        uk["orders_delivered"],
        uk["orders_on_time"],
        uk["orders_late"],
    ) == (date(2011, 3, 1), 2, 2, 1, 1)
    assert uk["on_time_share"] == pytest.approx(0.5)
    assert uk["median_days_to_ship"] == pytest.approx((30 / 24 + 4 / 24) / 2)  # 30 h and 4 h
    assert uk["median_days_to_deliver"] == pytest.approx(
        (74 / 24 + 168 / 24) / 2
    )  # 3 d 2 h and 7 d
    in_transit = rows["DHL"]
    assert (in_transit["orders_shipped"], in_transit["orders_delivered"]) == (1, 0)
    assert in_transit["on_time_share"] is None


def test_late_delivery_moves_ratings_and_nps(shop):
    rows = {r["delivery"]: r for r in shop.rows("select * from marts.delivery_feedback")}
    assert rows["late"]["mean_rating"] == 2 and rows["late"]["nps"] == -100
    assert rows["on time"]["mean_rating"] == 5 and rows["on time"]["nps"] == 100


@pytest.fixture
def edges(warehouse):
    """Orders on the edges the promise and the NPS bands draw.

    P is delivered on its promised day (on time), Q the day after (late), T is still in
    transit; K was cancelled after its parcel left. P has two answers (a review and a 9),
    Q a review and a 6, T an NPS 0, K a review.
    """
    warehouse.insert(
        "orders",
        [
            order("P", "2011-03-01 09:00"),
            order("Q", "2011-03-01 10:00"),
            order("T", "2011-03-01 11:00"),
            {**order("K", "2011-03-01 12:00"), "order_status": "cancelled"},
        ],
    )
    promised = date(2011, 3, 5)
    warehouse.insert(
        "shipments",
        [
            parcel("P", "2011-03-02 09:00", "2011-03-05 18:00", promised, "UPS", "Wales"),
            parcel("Q", "2011-03-02 10:00", "2011-03-06 08:00", promised, "UPS", "Wales"),
            parcel("T", "2011-03-02 11:00", None, promised, "UPS", "Wales"),
            parcel("K", "2011-03-02 12:00", "2011-03-04 12:00", promised, "UPS", "Wales"),
        ],
    )
    warehouse.insert(
        "feedback",
        [
            answer("p1", "P", rating=4),
            answer("p2", "P", nps=9),
            answer("q1", "Q", rating=2),
            answer("q2", "Q", nps=6),
            answer("t1", "T", nps=0),
            answer("k1", "K", rating=1),
        ],
    )
    warehouse.build(*MODELS)
    return warehouse


def test_delivered_on_the_promised_day_is_on_time_and_cancelled_orders_are_not_shipped(edges):
    """Catches `delivered <= promised` written `<` (or late as `>=`), which turns a parcel
    delivered on its promised day late, and a cancelled order counted as shipped."""
    [row] = edges.rows("select * from marts.fulfilment_daily")
    assert (
        row["orders_shipped"],
        row["orders_delivered"],
        row["orders_on_time"],
        row["orders_late"],
    ) == (3, 2, 1, 1)  # P, Q, T shipped; P on time, Q late, T in transit; K cancelled
    assert row["on_time_share"] == pytest.approx(1 / 2)


def test_delivery_feedback_counts_orders_and_the_nps_band_edges(edges):
    """Catches the NPS bands losing their edges (9 not a promoter, 6 not a detractor), a
    parcel delivered on its promised day counted late, feedback on a parcel still in transit
    counted as on time, and orders_with_feedback counting answers instead of orders."""
    rows = {r["delivery"]: r for r in edges.rows("select * from marts.delivery_feedback")}
    assert set(rows) == {"on time", "late"}  # T (in transit) is in neither
    on_time, late = rows["on time"], rows["late"]
    # On time: P and K (the mart judges the parcel, whatever became of the order). P
    # answered twice: still one order with feedback.
    assert (on_time["orders_with_feedback"], on_time["reviews"], on_time["nps_answers"]) == (
        2,
        2,
        1,
    )
    assert on_time["mean_rating"] == pytest.approx((4 + 1) / 2)
    assert on_time["nps"] == pytest.approx(100.0)  # one answer, a 9: a promoter
    assert (late["orders_with_feedback"], late["reviews"], late["nps_answers"]) == (1, 1, 1)
    assert late["nps"] == pytest.approx(-100.0)  # one answer, a 6: a detractor
