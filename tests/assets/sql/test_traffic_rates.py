"""Every rate of the traffic marts read straight from its column, on event logs where the
plausible wrong formulas give different numbers: visitors with several sessions, a visitor
converting in one session of three, purchases without a cart, checkouts without a view, and
purchases exactly on the cart-recovery window's edges."""

import pytest

from tests.assets.sql.traffic_events import TRAFFIC_MARTS, event


def returning(user: str, at: str, name: str, **extra) -> dict:
    """An event labelled 'returning' by the export, so all of a visitor's sessions share one
    row of conversion_daily (otherwise the first session of the day would be 'new')."""
    return event(user, at, name, visitor_type="returning", **extra)


@pytest.fixture
def several_sessions_per_visitor(warehouse):
    """Three visitors, seven sessions (hours apart, beyond the 30-minute timeout)."""
    warehouse.insert(
        "traffic",
        [
            # u1, three sessions, buys in the second only
            returning("u1", "09:00:00", "page_view"),
            returning("u1", "11:00:00", "add_to_cart"),
            returning("u1", "11:01:00", "begin_checkout"),
            returning("u1", "11:02:00", "purchase", value=30.0),
            returning("u1", "13:00:00", "add_to_cart"),
            returning("u1", "13:01:00", "begin_checkout"),
            # u2, two sessions, abandons its checkout in the first, never buys
            returning("u2", "09:00:00", "add_to_cart"),
            returning("u2", "09:01:00", "begin_checkout"),
            returning("u2", "12:00:00", "page_view"),
            # u3, two sessions, buys in both; the second purchase has no cart
            returning("u3", "10:00:00", "add_to_cart"),
            returning("u3", "10:01:00", "purchase", value=20.0),
            returning("u3", "15:00:00", "page_view"),
            returning("u3", "15:01:00", "purchase", value=25.0),
        ],
    )
    warehouse.build(*TRAFFIC_MARTS)
    [row] = warehouse.rows("select * from marts.conversion_daily")
    return row


def test_conversion_counts_sessions_not_visitors(several_sessions_per_visitor):
    """Catches: conversion divided by users instead of sessions; purchases counted per
    visitor instead of per session; the user rate divided by sessions."""
    row = several_sessions_per_visitor
    assert (row["sessions"], row["users"]) == (7, 3)
    assert (row["sessions_with_purchase"], row["users_with_purchase"]) == (3, 2)
    # sessions with a purchase / sessions = (u1 s2, u3 s1, u3 s2) / 7
    # (users would give 3/3; users_with_purchase / sessions 2/7)
    assert row["conversion_rate"] == pytest.approx(3 / 7)
    # users with a purchase / users = (u1, u3) / (u1, u2, u3)
    # (sessions would give 2/7; sessions_with_purchase / users 3/3)
    assert row["user_conversion_rate"] == pytest.approx(2 / 3)
    assert row["revenue"] == pytest.approx(30.0 + 20.0 + 25.0)


def test_abandonment_counts_carts_without_a_purchase_in_their_session(
    several_sessions_per_visitor,
):
    """Catches: abandonment as (carts - purchases), which a purchase without a cart lowers;
    a denominator of all sessions or of the other funnel step; checkouts counted as carts."""
    row = several_sessions_per_visitor
    # carts: u1 s2, u1 s3, u2 s1, u3 s1; abandoned (no purchase in the session): u1 s3, u2 s1
    # (carts - purchasing sessions = 4 - 3 = 1; over all sessions 2/7; over checkouts 2/3)
    assert (row["sessions_with_cart"], row["carts_abandoned"]) == (4, 2)
    assert row["cart_abandonment_rate"] == pytest.approx(2 / 4)
    # checkouts: u1 s2, u1 s3, u2 s1; abandoned: u1 s3, u2 s1
    # (over carts 2/4; over sessions 2/7)
    assert (row["sessions_with_checkout"], row["checkouts_abandoned"]) == (3, 2)
    assert row["checkout_abandonment_rate"] == pytest.approx(2 / 3)


@pytest.fixture
def funnel(warehouse):
    """Three visitors, six sessions: steps out of order, a purchase with no view."""
    warehouse.insert(
        "traffic",
        [
            # u1 s1: views and carts; s2: views; s3: the whole funnel in order
            event("u1", "09:00:00", "view_item"),
            event("u1", "09:01:00", "add_to_cart"),
            event("u1", "11:00:00", "view_item"),
            event("u1", "13:00:00", "view_item"),
            event("u1", "13:01:00", "add_to_cart"),
            event("u1", "13:02:00", "begin_checkout"),
            event("u1", "13:03:00", "purchase", value=10.0),
            # u2 s1: views; s2: carts and checks out without a view (open funnel only)
            event("u2", "09:00:00", "view_item"),
            event("u2", "11:00:00", "add_to_cart"),
            event("u2", "11:01:00", "begin_checkout"),
            # u3: buys without any earlier step (open funnel only)
            event("u3", "10:00:00", "purchase", value=5.0),
        ],
    )
    warehouse.build(*TRAFFIC_MARTS)
    return {
        (r["scope"], r["funnel_type"]): r
        for r in warehouse.rows("select * from marts.funnel_daily where day = '2011-03-04'")
    }


RATES = (
    "visitors",
    "viewed",
    "carted",
    "checked_out",
    "purchased",
    "view_to_cart_rate",
    "cart_to_checkout_rate",
    "checkout_to_purchase_rate",
    "view_to_purchase_rate",
    "conversion_rate",
)


def _rates(row: dict) -> tuple:
    return tuple(row[name] for name in RATES)


def test_session_funnel_rates(funnel):
    """Catches: a step rate over the wrong step (or over all units); an open-funnel rate as
    next step / this step, which a unit skipping a step pushes up; the closed funnel taking
    has_* flags instead of the ordered funnel_step."""
    # closed, sessions: viewed u1s1 u1s2 u1s3 u2s1; carted after a view u1s1 u1s3; then u1s3
    # view->cart 2/4, cart->checkout 1/2, checkout->purchase 1/1, view->purchase 1/4, 1/6
    assert _rates(funnel[("session", "closed")]) == pytest.approx(
        (6, 4, 2, 1, 1, 2 / 4, 1 / 2, 1 / 1, 1 / 4, 1 / 6)
    )
    # open, sessions: viewed 4; carted u1s1 u1s3 u2s2; checked out u1s3 u2s2; bought u1s3 u3s1
    # view->cart = viewed and carted (u1s1 u1s3) / viewed = 2/4 (not carted/viewed 3/4)
    # cart->checkout = (u1s3 u2s2) / 3; checkout->purchase = u1s3 / 2 (not purchased/checked 1)
    # view->purchase = u1s3 / 4 (not 2/4); conversion = 2 / 6
    assert _rates(funnel[("session", "open")]) == pytest.approx(
        (6, 4, 3, 2, 2, 2 / 4, 2 / 3, 1 / 2, 1 / 4, 2 / 6)
    )


def test_user_funnel_rates_count_each_visitor_once(funnel):
    """Catches: the user scope counting sessions (a visitor with three sessions counted
    three times); a visitor's steps taken from one session instead of any of the day's."""
    # closed, users: u1 reaches every step (s3); u2 only views (s2 has no view); u3 nothing
    assert _rates(funnel[("user", "closed")]) == pytest.approx(
        (3, 2, 1, 1, 1, 1 / 2, 1 / 1, 1 / 1, 1 / 2, 1 / 3)
    )
    # open, users: u1 every step; u2 views (s1), carts and checks out (s2); u3 buys
    # view->cart (u1 u2)/2, cart->checkout 2/2, checkout->purchase u1/2, view->purchase u1/2,
    # conversion (u1 u3)/3
    assert _rates(funnel[("user", "open")]) == pytest.approx(
        (3, 2, 2, 2, 2, 2 / 2, 2 / 2, 1 / 2, 1 / 2, 2 / 3)
    )


@pytest.fixture
def recovery_edges(warehouse):
    """Carts on 03-04 whose visitors buy around the 24-hour recovery window's edges."""
    nxt = {"day": "2011-03-05"}
    warehouse.insert(
        "traffic",
        [
            # u1: cart 10:00:00, checkout 10:00:30, buys exactly 24 h after the cart: recovered
            event("u1", "10:00:00", "add_to_cart"),
            event("u1", "10:00:30", "begin_checkout"),
            event("u1", "10:00:00", "purchase", **nxt),
            # u2: cart and checkout 10:00:00, buys 24 h and one second later: abandoned
            event("u2", "10:00:00", "add_to_cart"),
            event("u2", "10:00:00", "begin_checkout"),
            event("u2", "10:00:01", "purchase", **nxt),
            # u3: buys two days later: abandoned
            event("u3", "10:00:00", "add_to_cart"),
            event("u3", "10:00:00", "purchase", day="2011-03-06"),
            # u4: bought an hour before the cart (an earlier session): abandoned
            event("u4", "09:00:00", "purchase"),
            event("u4", "10:00:00", "add_to_cart"),
            # u5 carts, u6 (someone else) buys an hour later: u5's cart is abandoned
            event("u5", "10:00:00", "add_to_cart"),
            event("u6", "11:00:00", "purchase"),
            # u7: cart 09:59, checkout 10:00, buys exactly 24 h after the checkout: the checkout
            # is recovered, the cart (24 h 1 min before the purchase) is not
            event("u7", "09:59:00", "add_to_cart"),
            event("u7", "10:00:00", "begin_checkout"),
            event("u7", "10:00:00", "purchase", **nxt),
            # u8: carts, checks out and buys in one session
            event("u8", "10:00:00", "add_to_cart"),
            event("u8", "10:01:00", "begin_checkout"),
            event("u8", "10:02:00", "purchase"),
        ],
    )
    warehouse.build(*TRAFFIC_MARTS)
    [row] = warehouse.rows("select * from marts.cart_abandonment_daily where day = '2011-03-04'")
    return row


def test_cart_recovery_window_includes_its_edge_and_nothing_beyond(recovery_edges):
    """Catches: a strict `<` at the window's end; a window one hour (or a day) too long;
    no lower bound (a purchase before the cart recovering it); another visitor's purchase
    recovering a cart; the session rate over the window's count."""
    row = recovery_edges
    # carts u1 u2 u3 u4 u5 u7 u8; abandoned in the session: all but u8
    assert (row["carts"], row["carts_abandoned_in_session"]) == (7, 6)
    assert row["cart_abandonment_rate"] == pytest.approx(6 / 7)
    # recovered in the window: u1 only (exactly 24 h); abandoned u2 u3 u4 u5 u7
    assert row["carts_abandoned_in_window"] == 5
    assert row["cart_abandonment_rate_window"] == pytest.approx(5 / 7)


def test_checkout_recovery_window_starts_at_the_checkout(recovery_edges):
    """Catches: the checkout window measured from the cart instead of the checkout; a strict
    `<` at the window's end; a checkout rate over carts."""
    row = recovery_edges
    # checkouts u1 u2 u7 u8; abandoned in the session u1 u2 u7 (3/4)
    assert (row["checkouts"], row["checkouts_abandoned_in_session"]) == (4, 3)
    assert row["checkout_abandonment_rate"] == pytest.approx(3 / 4)
    # in the window: u1 bought 23:59:30 after its checkout, u7 exactly 24 h: both recovered;
    # u2 bought 24 h 1 s after: abandoned (1/4)
    assert row["checkouts_abandoned_in_window"] == 1
    assert row["checkout_abandonment_rate_window"] == pytest.approx(1 / 4)


def test_a_checkout_a_day_after_its_cart_counts_on_its_own_day_and_window(warehouse):
    """Catches: a checkout dated (or its window started) by the cart of an earlier session;
    the cart's window started at the checkout."""
    warehouse.insert(
        "traffic",
        [
            # cart on 03-04 10:00; checkout alone in a session on 03-05 09:00; purchase on
            # 03-06 08:00: 23 h after the checkout, 46 h after the cart
            event("u1", "10:00:00", "add_to_cart"),
            event("u1", "09:00:00", "begin_checkout", day="2011-03-05"),
            event("u1", "08:00:00", "purchase", day="2011-03-06"),
        ],
    )
    warehouse.build(*TRAFFIC_MARTS)
    days = {
        str(r["day"]): (
            r["carts"],
            r["carts_abandoned_in_window"],
            r["checkouts"],
            r["checkouts_abandoned_in_window"],
            r["checkout_abandonment_rate_window"],
        )
        for r in warehouse.rows("select * from marts.cart_abandonment_daily")
    }
    assert days == {
        "2011-03-04": (1, 1, 0, 0, None),  # the cart: never bought within 24 h
        "2011-03-05": (0, 0, 1, 0, 0.0),  # the checkout: bought 23 h later, recovered
        "2011-03-06": (0, 0, 0, 0, None),
    }


def test_a_session_across_midnight_dates_its_cart_and_checkout_by_their_own_events(warehouse):
    """Catches: a checkout dated by its session's cart (or the session's start) instead of
    its own first begin_checkout."""
    warehouse.insert(
        "traffic",
        [
            event("u1", "23:50:00", "add_to_cart"),
            event("u1", "00:05:00", "begin_checkout", day="2011-03-05"),  # same session
        ],
    )
    warehouse.build(*TRAFFIC_MARTS)
    rows = warehouse.rows(
        "select day::varchar as day, carts, checkouts from marts.cart_abandonment_daily"
    )
    assert [tuple(r.values()) for r in rows] == [("2011-03-04", 1, 0), ("2011-03-05", 0, 1)]
