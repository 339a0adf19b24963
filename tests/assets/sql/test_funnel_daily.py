"""funnel_daily: closed vs open funnel, session vs user scope, zero days on the spine."""

import pytest

from tests.assets.sql.traffic_events import event

FUNNEL = ("staging.stg_traffic_events", "marts.sessions", "marts.funnel_daily")
STEPS = ("visitors", "viewed", "carted", "checked_out", "purchased")


def _funnel(warehouse, day: str = "2011-03-04") -> dict[tuple[str, str], dict]:
    warehouse.build(*FUNNEL)
    rows = warehouse.rows(f"select * from marts.funnel_daily where day = '{day}'")
    return {(r["scope"], r["funnel_type"]): r for r in rows}


def _log(warehouse) -> None:
    warehouse.insert(
        "traffic",
        [
            # u1, session 1: views and carts; session 2 (2 h later): buys straight away
            event("u1", "09:00:00", "view_item"),
            event("u1", "09:01:00", "add_to_cart"),
            event("u1", "11:00:00", "begin_checkout"),
            event("u1", "11:01:00", "purchase", value=30.0),
            # u2: the full closed funnel in one session
            event("u2", "10:00:00", "view_item"),
            event("u2", "10:01:00", "add_to_cart"),
            event("u2", "10:02:00", "begin_checkout"),
            event("u2", "10:03:00", "purchase", value=10.0),
            # u3: only looks
            event("u3", "10:00:00", "view_item"),
            # u4 on the next-but-one day, so the day between is empty
            event("u4", "10:00:00", "page_view", day="2011-03-06"),
        ],
    )


def test_closed_and_open_at_session_scope(warehouse):
    _log(warehouse)
    funnel = _funnel(warehouse)
    # Sessions: u1a (view, cart), u1b (checkout, purchase: no view first), u2 (all), u3 (view).
    assert tuple(funnel["session", "closed"][s] for s in STEPS) == (4, 3, 2, 1, 1)
    assert tuple(funnel["session", "open"][s] for s in STEPS) == (4, 3, 2, 2, 2)
    closed, opened = funnel["session", "closed"], funnel["session", "open"]
    assert closed["view_to_cart_rate"] == pytest.approx(2 / 3)
    assert closed["checkout_to_purchase_rate"] == 1.0
    assert closed["conversion_rate"] == pytest.approx(1 / 4)
    assert opened["conversion_rate"] == pytest.approx(2 / 4)
    # Open: of the 2 carted sessions only u2's checked out; u1b checked out without a cart.
    assert opened["cart_to_checkout_rate"] == pytest.approx(1 / 2)
    assert opened["view_to_purchase_rate"] == pytest.approx(1 / 3)


def test_user_scope_counts_visitors_once_across_their_sessions(warehouse):
    _log(warehouse)
    funnel = _funnel(warehouse)
    # Closed per user: u1's best session reaches the cart, u2 buys, u3 views.
    assert tuple(funnel["user", "closed"][s] for s in STEPS) == (3, 3, 2, 1, 1)
    # Open per user: u1 did every step across its two sessions.
    assert tuple(funnel["user", "open"][s] for s in STEPS) == (3, 3, 2, 2, 2)
    assert funnel["user", "open"]["conversion_rate"] == pytest.approx(
        2 / 3
    )  # GA4's user key-event rate
    assert funnel["user", "open"]["cart_to_checkout_rate"] == 1.0


def test_days_without_sessions_hold_zeros(warehouse):
    _log(warehouse)
    funnel = _funnel(warehouse, day="2011-03-05")
    assert set(funnel) == {
        ("session", "closed"),
        ("session", "open"),
        ("user", "closed"),
        ("user", "open"),
    }
    for row in funnel.values():
        assert tuple(row[s] for s in STEPS) == (0, 0, 0, 0, 0)
        assert row["conversion_rate"] is None and row["view_to_cart_rate"] is None
    [(days,)] = warehouse.con.execute(
        "select count(distinct day) from marts.funnel_daily"
    ).fetchall()
    assert days == 3


def test_one_row_per_day_scope_and_funnel_type(warehouse):
    """Catches the spine joined to the counts on the day alone (or day and one of scope and
    funnel type): each day's row would repeat once per other scope or funnel type, doubling
    every sum over days, while a lookup of one row could still find the right numbers."""
    _log(warehouse)
    warehouse.build(*FUNNEL)
    rows = warehouse.rows(
        "select day, scope, funnel_type, count(*) as n, sum(visitors) as visitors"
        " from marts.funnel_daily group by all order by all"
    )
    assert len(rows) == 3 * 4 and {r["n"] for r in rows} == {1}
    assert [r["visitors"] for r in rows if str(r["day"]) == "2011-03-04"] == [4, 4, 3, 3]


def test_a_checkout_without_a_purchase_reaches_the_closed_checkout_step(warehouse):
    """Catches the closed funnel's checkout step read as `funnel_step > 3` (only sessions
    that bought): a session that views, carts and checks out but never pays would not count
    as checked out, and checkout-to-purchase would read 100 % instead of 0 %."""
    warehouse.insert(
        "traffic",
        [
            event("u5", "10:00:00", "view_item"),
            event("u5", "10:01:00", "add_to_cart"),
            event("u5", "10:02:00", "begin_checkout"),
        ],
    )
    closed = _funnel(warehouse)["session", "closed"]
    assert tuple(closed[s] for s in STEPS) == (1, 1, 1, 1, 0)
    assert closed["cart_to_checkout_rate"] == 1.0
    assert closed["checkout_to_purchase_rate"] == 0.0
