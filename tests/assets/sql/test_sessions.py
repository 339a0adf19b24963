"""marts.sessions: sessionization rules, first-event dimensions and the closed-funnel step."""

from config.settings import TrafficSettings
from tests.assets.sql.traffic_events import event

SESSIONS = ("staging.stg_traffic_events", "marts.sessions")


def _sessions(warehouse, settings: TrafficSettings | None = None) -> list[dict]:
    if settings is not None:
        warehouse.settings = warehouse.settings.model_copy(update={"traffic": settings})
    warehouse.build(*SESSIONS)
    return warehouse.rows("select * from marts.sessions order by user_id, started_at")


def _midnight_and_new_source(warehouse) -> None:
    warehouse.insert(
        "traffic",
        [
            # 10 minutes apart, across midnight
            event("u1", "23:55:00", "page_view"),
            event("u1", "00:05:00", "view_item", day="2011-03-05", source=None),
            # u2: a new campaign source 5 minutes later; the event between carries no source
            event("u2", "10:00:00", "page_view", source="google"),
            event("u2", "10:02:00", "view_item", source=None),
            event("u2", "10:05:00", "page_view", source="newsletter"),
            event("u2", "10:06:00", "page_view", source="newsletter"),
        ],
    )


def test_by_default_only_inactivity_splits_sessions(warehouse):
    _midnight_and_new_source(warehouse)
    rows = _sessions(warehouse)
    assert [(r["user_id"], str(r["day"]), r["source"]) for r in rows] == [
        ("u1", "2011-03-04", "google"),
        ("u2", "2011-03-04", "google"),
    ]


def test_midnight_split(warehouse):
    _midnight_and_new_source(warehouse)
    rows = _sessions(warehouse, TrafficSettings(split_at_midnight=True))
    assert [(r["user_id"], str(r["day"])) for r in rows] == [
        ("u1", "2011-03-04"),
        ("u1", "2011-03-05"),
        ("u2", "2011-03-04"),
    ]
    assert rows[1]["source"] == "(direct)" and rows[1]["is_returning_visitor"]


def test_new_source_split(warehouse):
    _midnight_and_new_source(warehouse)
    rows = _sessions(warehouse, TrafficSettings(split_on_new_source=True))
    assert [(r["user_id"], r["source"], r["has_view_item"]) for r in rows] == [
        ("u1", "google", True),
        ("u2", "google", True),
        ("u2", "newsletter", False),
    ]


def test_exported_session_ids_win_over_the_splits(warehouse):
    warehouse.insert(
        "traffic",
        [
            event("u1", "23:55:00", "page_view", session_id="s"),
            event("u1", "00:05:00", "page_view", day="2011-03-05", session_id="s", source="bing"),
        ],
    )
    rows = _sessions(warehouse, TrafficSettings(split_at_midnight=True, split_on_new_source=True))
    assert len(rows) == 1 and rows[0]["session_key"] == "u1:s"


def test_landing_page_returning_visitor_and_values(warehouse):
    warehouse.insert(
        "traffic",
        [
            event(
                "u1",
                "10:00:00",
                "page_view",
                page="/home",
                medium="cpc",
                country="FR",
                customer_id="c1",
            ),
            event("u1", "10:01:00", "view_item", page="/p/1"),
            event("u1", "10:02:00", "add_to_cart", value=12.0),
            event("u1", "10:03:00", "add_to_cart", value=8.0),
            event("u1", "10:04:00", "begin_checkout"),
            event("u1", "10:05:00", "purchase", value=20.0),
            event("u1", "15:00:00", "page_view", page="/blog"),
        ],
    )
    first, second = _sessions(warehouse)
    assert (first["landing_page"], first["medium"], first["country"]) == ("/home", "cpc", "FR")
    assert first["customer_key"] is not None and first["customer_key"] != "c1"
    assert (first["cart_value"], first["purchase_value"], first["purchases"]) == (20.0, 20.0, 1)
    assert (first["funnel_step"], first["is_returning_visitor"]) == (4, False)
    assert (second["landing_page"], second["is_returning_visitor"], second["funnel_step"]) == (
        "/blog",
        True,
        0,
    )


def test_closed_funnel_step_follows_event_order(warehouse):
    warehouse.insert(
        "traffic",
        [
            # u1: buys without viewing an item first (step 0); u2: carts before viewing (step 1);
            # u3: view, cart, purchase without a checkout (step 2); u4: out of order then in order
            event("u1", "10:00:00", "add_to_cart"),
            event("u1", "10:01:00", "begin_checkout"),
            event("u1", "10:02:00", "purchase", value=5.0),
            event("u2", "10:00:00", "add_to_cart"),
            event("u2", "10:01:00", "view_item"),
            event("u3", "10:00:00", "view_item"),
            event("u3", "10:01:00", "add_to_cart"),
            event("u3", "10:02:00", "purchase"),
            event("u4", "10:00:00", "begin_checkout"),
            event("u4", "10:01:00", "view_item"),
            event("u4", "10:02:00", "add_to_cart"),
            event("u4", "10:03:00", "begin_checkout"),
        ],
    )
    rows = _sessions(warehouse)
    assert [(r["user_id"], r["funnel_step"], r["has_purchase"]) for r in rows] == [
        ("u1", 0, True),
        ("u2", 1, False),
        ("u3", 2, True),
        ("u4", 3, False),
    ]


def test_dimensions_and_step_times_skip_events_that_lack_them(warehouse):
    """Catches a session's cart or checkout time taken from its first event of any kind
    (the cart window would start when the visit did), and its device, source, medium,
    country, landing page, customer or exported visitor type taken from an event that has
    none (e.g. `arg_min_null` or `first_value` for `arg_min`: the session would read
    '(not set)' or 'new')."""
    bare = {"device": None, "source": None}
    warehouse.insert(
        "traffic",
        [
            event("u1", "10:00:00", "page_view", **bare),  # lands with nothing known
            event(
                "u1",
                "10:01:00",
                "view_item",
                device="mobile",
                source="bing",
                medium="cpc",
                country="FR",
                page="/p/1",
                customer_id="c9",
                visitor_type="Returning",
            ),
            event("u1", "10:02:00", "add_to_cart", **bare),
            event("u1", "10:03:00", "begin_checkout", **bare),
        ],
    )
    [row] = _sessions(warehouse)
    assert (row["device"], row["source"], row["medium"], row["country"], row["landing_page"]) == (
        "mobile",
        "bing",
        "cpc",
        "FR",
        "/p/1",
    )
    assert row["customer_key"] is not None
    assert (row["visitor_type"], row["is_returning_visitor"]) == ("returning", True)
    assert (str(row["started_at"]), str(row["carted_at"]), str(row["checked_out_at"])) == (
        "2011-03-04 10:00:00",
        "2011-03-04 10:02:00",
        "2011-03-04 10:03:00",
    )


def test_a_gap_of_exactly_the_timeout_stays_in_the_session(warehouse):
    """Catches `>=` for `>` in the inactivity rule: a visitor back exactly 30 minutes after
    their last event (a gap of 30 minutes, not more than 30) started a second session; the
    gap of 30 minutes and 1 second after that does start one."""
    warehouse.insert(
        "traffic",
        [
            event("u1", "10:00:00", "page_view"),
            event("u1", "10:30:00", "view_item"),
            event("u1", "11:00:01", "page_view"),
        ],
    )
    rows = _sessions(warehouse, TrafficSettings(session_timeout_minutes=30))
    assert [str(r["started_at"].time()) for r in rows] == ["10:00:00", "11:00:01"]


def test_an_event_without_a_session_id_follows_the_visitors_last_event_of_any_session(warehouse):
    """The timeout counts from the visitor's previous event, exported session id or not: at
    09:50 the last event was 09:20's (in exported session "s"), 30 minutes before, so the
    09:50 event continues the 09:00 event's session. Rules that saw only the events without
    an id would measure 50 minutes from 09:00 and start a third session."""
    warehouse.insert(
        "traffic",
        [
            event("u1", "09:00:00", "page_view"),
            event("u1", "09:20:00", "view_item", session_id="s"),
            event("u1", "09:50:00", "page_view"),
        ],
    )
    warehouse.build("staging.stg_traffic_events")
    rows = warehouse.rows(
        "select cast(event_at as time) as at, session_key, event_order "
        "from staging.stg_traffic_events order by event_at"
    )
    assert [(str(r["at"]), r["session_key"], r["event_order"]) for r in rows] == [
        ("09:00:00", "u1:s1", 1),
        ("09:20:00", "u1:s", 1),
        ("09:50:00", "u1:s1", 2),
    ]
