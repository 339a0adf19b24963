"""cart_abandonment_daily: carts and checkouts abandoned in the session and in the window."""

import pytest

from config.settings import TrafficSettings
from tests.assets.sql.traffic_events import event

CARTS = ("staging.stg_traffic_events", "marts.sessions", "marts.cart_abandonment_daily")


def _log(warehouse) -> None:
    warehouse.insert(
        "traffic",
        [
            # u1: carts and checks out at 10:00, buys in a later session at 14:00 the same day
            event("u1", "10:00:00", "add_to_cart", value=40.0),
            event("u1", "10:01:00", "begin_checkout"),
            event("u1", "14:00:00", "purchase", value=40.0),
            # u2: carts at 10:00, buys the next day at 09:00 (23 h later)
            event("u2", "10:00:00", "add_to_cart", value=15.0),
            event("u2", "09:00:00", "purchase", day="2011-03-05", value=15.0),
            # u3: carts and never buys
            event("u3", "10:00:00", "add_to_cart", value=7.5),
            event("u3", "10:00:30", "add_to_cart", value=2.5),
            # u4: carts and buys in the same session
            event("u4", "10:00:00", "add_to_cart", value=5.0),
            event("u4", "10:05:00", "purchase", value=5.0),
            # u5: buys two days after its cart (day 3): too late for the 24-hour window
            event("u5", "10:00:00", "add_to_cart", value=9.0),
            event("u5", "11:00:00", "purchase", day="2011-03-06", value=9.0),
        ],
    )


def _day(warehouse, day: str) -> dict:
    [row] = warehouse.rows(f"select * from marts.cart_abandonment_daily where day = '{day}'")
    return row


def test_carts_abandoned_in_the_session_and_in_the_window(warehouse):
    _log(warehouse)
    warehouse.build(*CARTS)
    row = _day(warehouse, "2011-03-04")
    assert (row["carts"], row["carts_abandoned_in_session"], row["carts_abandoned_in_window"]) == (
        5,
        4,
        2,
    )
    assert row["cart_abandonment_rate"] == pytest.approx(4 / 5)
    assert row["cart_abandonment_rate_window"] == pytest.approx(2 / 5)  # u3 and u5
    assert row["abandoned_cart_value"] == pytest.approx(40.0 + 15.0 + 10.0 + 9.0)
    # The checkout completed in a later session is abandoned in its session only.
    assert (
        row["checkouts"],
        row["checkouts_abandoned_in_session"],
        row["checkouts_abandoned_in_window"],
    ) == (1, 1, 0)
    assert (row["checkout_abandonment_rate"], row["checkout_abandonment_rate_window"]) == (1.0, 0.0)


def test_the_window_is_a_setting(warehouse):
    _log(warehouse)
    warehouse.settings = warehouse.settings.model_copy(
        update={"traffic": TrafficSettings(cart_recovery_window_hours=2)}
    )
    warehouse.build(*CARTS)
    row = _day(warehouse, "2011-03-04")
    assert row["carts_abandoned_in_window"] == 4  # only u4's same-session purchase counts
    assert row["checkouts_abandoned_in_window"] == 1


def test_days_without_carts_hold_zeros(warehouse):
    _log(warehouse)
    warehouse.build(*CARTS)
    rows = warehouse.rows("select * from marts.cart_abandonment_daily order by day")
    assert [str(r["day"]) for r in rows] == ["2011-03-04", "2011-03-05", "2011-03-06"]
    empty = rows[1]
    assert (empty["carts"], empty["checkouts"], empty["abandoned_cart_value"]) == (0, 0, 0)
    assert empty["cart_abandonment_rate"] is None


def test_a_purchase_at_the_carts_own_second_in_another_session_recovers_it(warehouse):
    """Bug caught: the window's lower edge made strict (`purchased_at > carted_at`), so a
    purchase made on a second device at the very second of the cart (or checkout) leaves
    the cart counted as abandoned in the window although the visitor bought."""
    warehouse.insert(
        "traffic",
        [
            # u6 carts and checks out on the phone; the laptop's purchase is at the same second.
            event("u6", "10:00:00", "add_to_cart", session_id="phone", value=20.0),
            event("u6", "10:00:00", "purchase", session_id="laptop", value=20.0),
            event("u7", "11:00:00", "begin_checkout", session_id="phone"),
            event("u7", "11:00:00", "purchase", session_id="laptop", value=8.0),
            # u8 carts and checks out and never buys: the day is not all recovered.
            event("u8", "12:00:00", "add_to_cart", value=3.0),
            event("u8", "12:01:00", "begin_checkout"),
        ],
    )
    warehouse.build(*CARTS)
    row = _day(warehouse, "2011-03-04")
    assert (row["carts"], row["carts_abandoned_in_session"], row["carts_abandoned_in_window"]) == (
        2,
        2,
        1,
    )
    assert (
        row["checkouts"],
        row["checkouts_abandoned_in_session"],
        row["checkouts_abandoned_in_window"],
    ) == (2, 2, 1)
