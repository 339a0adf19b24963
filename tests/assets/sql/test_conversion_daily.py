"""conversion_daily on a hand-made event log with known sessions, carts and checkouts."""

import shutil
from datetime import UTC, datetime

import polars as pl
import pytest

from config.settings import TrafficSettings
from ingest.load import load_days
from reports.pages.funnel import page as funnel_page
from reports.pages.funnel import queries as funnel_queries
from tests.assets.sql.traffic_events import TRAFFIC_MARTS, event
from tests.real_data import REPO_DATA

TOTALS = (
    "select sum(sessions) as sessions, sum(sessions_with_cart) as carts,"
    " sum(sessions_with_checkout) as checkouts, sum(sessions_with_purchase) as purchases,"
    " sum(carts_abandoned) as carts_abandoned, sum(checkouts_abandoned) as checkouts_abandoned,"
    " sum(revenue) as revenue from marts.conversion_daily"
)
ONLINE_SHOPPERS = (
    REPO_DATA / "online_shoppers"
    / "online_shoppers_intention.csv"
)  # fmt: skip


def test_sessions_conversion_and_abandonment(warehouse):
    warehouse.insert(
        "traffic",
        [
            # u1, session 1: buys
            event("u1", "10:00:00", "page_view"),
            event("u1", "10:05:00", "add_to_cart"),
            event("u1", "10:10:00", "begin_checkout"),
            event("u1", "10:12:00", "purchase", value=50.0),
            # u1, 48 minutes later: a new session that abandons its cart
            event("u1", "11:00:00", "page_view"),
            event("u1", "11:01:00", "add_to_cart"),
            # u2: browses only
            event("u2", "10:00:00", "page_view"),
            # u3: abandons at checkout
            event("u3", "12:00:00", "add_to_cart"),
            event("u3", "12:20:00", "begin_checkout"),
        ],
    )
    warehouse.build(*TRAFFIC_MARTS)
    [totals] = warehouse.rows(TOTALS)
    assert totals == {
        "sessions": 4,
        "carts": 3,
        "checkouts": 2,
        "purchases": 1,
        "carts_abandoned": 2,
        "checkouts_abandoned": 1,
        "revenue": 50.0,
    }
    rows = warehouse.rows("select * from marts.conversion_daily order by visitor_type")
    assert [(r["visitor_type"], r["sessions"], r["users"]) for r in rows] == [
        ("new", 3, 3),
        ("returning", 1, 1),
    ]
    [new] = [r for r in rows if r["visitor_type"] == "new"]
    assert new["conversion_rate"] == pytest.approx(1 / 3)
    assert new["cart_abandonment_rate"] == pytest.approx(1 / 2)
    assert new["checkout_abandonment_rate"] == pytest.approx(1 / 2)
    assert new["user_conversion_rate"] == pytest.approx(1 / 3)


def test_session_timeout_is_a_setting(warehouse):
    warehouse.settings = warehouse.settings.model_copy(
        update={"traffic": TrafficSettings(session_timeout_minutes=60)}
    )
    warehouse.insert(
        "traffic",
        [
            event("u1", "10:00:00", "page_view"),
            event("u1", "10:48:00", "add_to_cart"),
        ],
    )
    warehouse.build(*TRAFFIC_MARTS)
    [row] = warehouse.rows("select * from marts.conversion_daily")
    assert row["sessions"] == 1  # 48 minutes is inside a 60-minute timeout


def test_exported_session_ids_win_and_rates_are_null_without_carts(warehouse):
    warehouse.insert(
        "traffic",
        [
            event("u1", "10:00:00", "page_view", session_id="a", device="mobile"),
            event("u1", "10:01:00", "page_view", session_id="b", device="mobile"),
        ],
    )
    warehouse.build(*TRAFFIC_MARTS)
    rows = warehouse.rows("select * from marts.conversion_daily")
    assert {r["device"] for r in rows} == {"mobile"} and sum(r["sessions"] for r in rows) == 2
    assert all(r["cart_abandonment_rate"] is None and r["conversion_rate"] == 0 for r in rows)


def test_dimensions_come_from_the_first_event_and_idle_days_are_zero_rows(warehouse):
    warehouse.insert(
        "traffic",
        [
            event("u1", "10:00:00", "page_view", medium="cpc", country="FR", page="/sale"),
            event(
                "u1",
                "10:01:00",
                "page_view",
                source="bing",
                medium="email",
                country="DE",
                page="/cart",
            ),
            # nothing on 03-05
            event("u2", "09:00:00", "page_view", day="2011-03-06", source=None, device=None),
        ],
    )
    warehouse.build(*TRAFFIC_MARTS)
    rows = warehouse.rows(
        "select day::varchar as day, device, source, medium, country, landing_page, visitor_type, sessions,"
        " conversion_rate from marts.conversion_daily order by day"
    )
    assert [tuple(r.values()) for r in rows] == [
        ("2011-03-04", "desktop", "google", "cpc", "FR", "/sale", "new", 1, 0.0),
        ("2011-03-05", *["(no sessions)"] * 6, 0, None),
        ("2011-03-06", "(not set)", "(direct)", "(none)", "(not set)", "(not set)", "new", 1, 0.0),
    ]


def _load_online_shoppers(warehouse, tmp_path):
    """The real file as one export of 2018-01-05 (sessions Feb..Dec 2017), marts built."""
    exports = tmp_path / "exports"
    (exports / "traffic").mkdir(parents=True)
    shutil.copy(ONLINE_SHOPPERS, exports / "traffic" / "2018-01-05.csv")
    (exports / "exports.yaml").write_text("traffic: {format: online-shoppers}\n")
    report = load_days(warehouse.con, exports, "traffic")
    warehouse.build(*TRAFFIC_MARTS)
    return report


def test_uci_online_shoppers_convert_at_15_47_percent(warehouse, tmp_path):
    report = _load_online_shoppers(warehouse, tmp_path)
    assert (report.rows_read, report.rows_quarantined) == (12330, 0)
    [(total, bought)] = warehouse.con.execute(
        "select sum(sessions), sum(sessions_with_purchase) from marts.conversion_daily"
    ).fetchall()
    assert (total, bought) == (12330, 1908)
    [(rate,)] = warehouse.con.execute(
        "select avg(has_purchase::int) from marts.sessions"
    ).fetchall()
    assert round(100 * rate, 2) == 15.47


def test_uci_online_shoppers_breakdowns_match_the_file_and_reach_the_funnel_page(
    warehouse, tmp_path
):
    """Visitor type, traffic type and month breakdowns equal counts taken from the CSV itself."""
    _load_online_shoppers(warehouse, tmp_path)

    source = pl.read_csv(ONLINE_SHOPPERS, infer_schema_length=0)
    visitor_names = {"Returning_Visitor": "returning", "New_Visitor": "new", "Other": "other"}
    month_numbers = {"Feb": 2, "Mar": 3, "May": 5, "June": 6, "Jul": 7, "Aug": 8, "Sep": 9,
                     "Oct": 10, "Nov": 11, "Dec": 12}  # fmt: skip
    expected = source.with_columns(
        visitor_type=pl.col("VisitorType").replace_strict(visitor_names),
        source=pl.format("traffic-type-{}", pl.col("TrafficType")),
        month=pl.format(
            "2017-{}", pl.col("Month").replace_strict(month_numbers).cast(pl.String).str.zfill(2)
        ),
        bought=pl.col("Revenue") == "TRUE",
    )
    for dimension in ("visitor_type", "source", "month"):
        truth = (
            expected.group_by(dimension)
            .agg(sessions=pl.len(), conversion_rate=pl.col("bought").mean())
            .sort(dimension)
        )
        shown = funnel_queries.funnel_by(warehouse.con, dimension).filter(pl.col("sessions") > 0)
        assert (
            shown.select(dimension, "sessions").rows() == truth.select(dimension, "sessions").rows()
        )
        assert shown["conversion_rate"].to_list() == pytest.approx(
            truth["conversion_rate"].to_list()
        )
    returning = expected.filter(pl.col("visitor_type") == "returning")
    assert (returning.height, returning["bought"].sum()) == (10551, 1470)

    page = funnel_page.funnel(warehouse.con, "orderpulse", datetime(2018, 1, 5, tzinfo=UTC))
    for div in ("chart-visitor-type", "chart-source", "chart-month"):
        assert f'id="{div}"' in page
    for label in ("returning", "traffic-type-13", "2017-11", "2017-02"):
        assert label in page
