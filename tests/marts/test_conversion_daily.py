"""conversion_daily on a hand-made event log with known sessions, carts and checkouts."""

from datetime import datetime

import pytest

STAGING = ("staging.stg_traffic_events", "marts.conversion_daily")


def event(user: str, at: str, name: str, **extra) -> dict:
    return {"user_id": user, "event_at": datetime.fromisoformat(f"2011-03-04 {at}"), "event_name": name,
            "device": "desktop", "source": "google", "_export_date": datetime(2011, 3, 4).date(), **extra}


def test_sessions_conversion_and_abandonment(warehouse):
    warehouse.insert("traffic", [
        # u1, session 1: buys
        event("u1", "10:00:00", "page_view"), event("u1", "10:05:00", "add_to_cart"),
        event("u1", "10:10:00", "begin_checkout"), event("u1", "10:12:00", "purchase", value=50.0),
        # u1, 48 minutes later: a new session that abandons its cart
        event("u1", "11:00:00", "page_view"), event("u1", "11:01:00", "add_to_cart"),
        # u2: browses only
        event("u2", "10:00:00", "page_view"),
        # u3: abandons at checkout
        event("u3", "12:00:00", "add_to_cart"), event("u3", "12:20:00", "begin_checkout"),
    ])
    warehouse.build(*STAGING)
    [row] = warehouse.rows("select * from marts.conversion_daily")
    assert (row["sessions"], row["sessions_with_cart"], row["sessions_with_checkout"], row["sessions_with_purchase"]) == (4, 3, 2, 1)
    assert row["conversion_rate"] == pytest.approx(1 / 4)
    assert row["cart_abandonment_rate"] == pytest.approx(2 / 3)
    assert row["checkout_abandonment_rate"] == pytest.approx(1 / 2)
    assert row["revenue"] == pytest.approx(50.0)


def test_session_timeout_is_a_setting(warehouse):
    from dataclasses import replace

    from pipelines.settings import TrafficSettings

    warehouse.settings = replace(warehouse.settings, traffic=TrafficSettings(session_timeout_minutes=60))
    warehouse.insert("traffic", [
        event("u1", "10:00:00", "page_view"), event("u1", "10:48:00", "add_to_cart"),
    ])
    warehouse.build(*STAGING)
    [row] = warehouse.rows("select * from marts.conversion_daily")
    assert row["sessions"] == 1  # 48 minutes is inside a 60-minute timeout


def test_exported_session_ids_win_and_rates_are_null_without_carts(warehouse):
    warehouse.insert("traffic", [
        event("u1", "10:00:00", "page_view", session_id="a", device="mobile"),
        event("u1", "10:01:00", "page_view", session_id="b", device="mobile"),
    ])
    warehouse.build(*STAGING)
    [row] = warehouse.rows("select * from marts.conversion_daily")
    assert row["device"] == "mobile" and row["sessions"] == 2
    assert row["cart_abandonment_rate"] is None and row["conversion_rate"] == 0
