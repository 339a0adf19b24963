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
