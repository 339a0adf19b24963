"""The KPI tiles of the overview, sales and funnel pages, read from the published HTML of
marts built from hand-written raw rows, against values worked out by hand: the rows are
chosen so that plausible wrong formulas (a mean of daily rates, a denominator of visitors
instead of sessions, net instead of discounted sales, passives left out of NPS) show
different numbers."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from reports.pages.funnel.page import funnel
from reports.pages.overview.page import overview
from reports.pages.sales.page import sales
from tests.assets.sql.traffic_events import TRAFFIC_MARTS, event

GENERATED_AT = datetime(2011, 3, 7, 6, 0, tzinfo=UTC)
ORDER_MARTS = (
    "staging.stg_catalog",
    "staging.stg_order_lines",
    "marts.orders_daily",
    "marts.orders_by_customer_type_daily",
    "staging.stg_inventory",
    "marts.sku_demand_daily",
    "marts.sales_by_sku_daily",
    "marts.customer_rates_monthly",
    "staging.stg_feedback",
    "marts.feedback_daily",
)


def tiles(html: str) -> dict[str, str]:
    """KPI tile key -> the value text shown."""
    return dict(
        re.findall(
            r'data-kpi="([^"]+)"><div class="label">[^<]*</div><div class="value">([^<]*)</div>',
            html,
        )
    )


def returning(user: str, at: str, name: str, day: str = "2011-03-04", **extra) -> dict:
    return event(user, at, name, day=day, visitor_type="returning", **extra)


# Day 1 (03-04): u1 three sessions, buys in the second; u2 abandons cart and checkout, then
# buys the next morning without a cart (recovered in the window); u3 buys in both sessions.
# Day 2 (03-05): u4 goes through cart and checkout and buys; u2's purchase.
TRAFFIC = [
    returning("u1", "09:00:00", "page_view"),
    returning("u1", "11:00:00", "add_to_cart", value=30.0),
    returning("u1", "11:01:00", "begin_checkout"),
    returning("u1", "11:02:00", "purchase", value=30.0),
    returning("u1", "13:00:00", "add_to_cart", value=8.0),
    returning("u1", "13:01:00", "begin_checkout"),
    returning("u2", "09:00:00", "add_to_cart", value=12.0),
    returning("u2", "09:01:00", "begin_checkout"),
    returning("u2", "12:00:00", "page_view"),
    returning("u3", "10:00:00", "add_to_cart", value=20.0),
    returning("u3", "10:01:00", "purchase", value=20.0),
    returning("u3", "15:00:00", "page_view"),
    returning("u3", "15:01:00", "purchase", value=25.0),
    returning("u2", "08:00:00", "purchase", day="2011-03-05", value=12.0),
    returning("u4", "10:00:00", "add_to_cart", day="2011-03-05", value=10.0),
    returning("u4", "10:01:00", "begin_checkout", day="2011-03-05"),
    returning("u4", "10:02:00", "purchase", day="2011-03-05", value=10.0),
]


def test_funnel_page_tiles(warehouse):
    """Catches: conversion over visitors instead of sessions; page totals as a mean of the
    daily rates instead of sums of counts; the user rate over sessions; abandonment as
    carts minus purchases; the window rate shown for the session rate."""
    warehouse.insert("traffic", TRAFFIC)
    warehouse.build(*TRAFFIC_MARTS)
    shown = tiles(funnel(warehouse.con, "shop", GENERATED_AT))
    assert shown == {
        # day 1: 7 sessions (u1 3, u2 2, u3 2); day 2: 2 (u2, u4)
        "sessions": "9",
        # sessions with a purchase (u1 s2, u3 s1, u3 s2; u2, u4) / sessions = 5/9 = 55.6 %
        # (a mean of daily rates: (3/7 + 2/2) / 2 = 71.4 %; per visitor: 5/5)
        "conversion_rate": "55.6 %",
        # visitor-days that bought / visitor-days = (u1, u3 of 3; u2, u4 of 2) = 4/5
        "user_conversion_rate": "80.0 %",
        # carts without a purchase in the session (u1 s3, u2 s1) / carts (4 + 1) = 2/5
        # (carts - purchasing sessions would give (4 - 3 + 1 - 2) / 5 = 0)
        "cart_abandonment_rate": "40.0 %",
        # checkouts not bought in the session (u1 s3, u2 s1) / checkouts (3 + 1) = 2/4
        "checkout_abandonment_rate": "50.0 %",
        # cart_abandonment_daily: the same 2/5 carts and 2/4 checkouts in the session ...
        "cart_abandonment_rate_session": "40.0 %",
        # ... but u2 bought 23 h after its cart and checkout: only u1 s3 stays abandoned
        "cart_abandonment_rate_window": "20.0 %",  # 1/5
        "checkout_abandonment_rate_session": "50.0 %",
        "checkout_abandonment_rate_window": "25.0 %",  # 1/4
        # cart values of the carts abandoned in the session: u1 s3 8.00 + u2 s1 12.00
        "abandoned_cart_value": "20.00",
    }


def line(order: str, when: str, qty: int, price: float, customer: str, **extra) -> dict:
    at = datetime.fromisoformat(when)
    return {
        "order_id": order,
        "ordered_at": at,
        "sku": "X",
        "quantity": qty,
        "unit_price": price,
        "customer_id": customer,
        "country": "United Kingdom",
        "order_status": "placed",
        "_export_date": at.date(),
        **extra,
    }


def nps(fid: str, when: str, score: int) -> dict:
    at = datetime.fromisoformat(when)
    return {
        "feedback_id": fid,
        "submitted_at": at,
        "feedback_type": "nps",
        "nps_score": score,
        "_export_date": at.date(),
    }


@pytest.fixture
def shop(warehouse):
    """Orders, NPS answers and traffic of the 28 days up to 2011-03-05."""
    warehouse.insert(
        "orders",
        [
            line("J", "2011-01-20 10:00", 1, 5.0, "c4"),  # previous period; c4's only order
            line("A", "2011-03-03 10:00", 2, 10.0, "c1"),
            line("A", "2011-03-03 10:00", 1, 10.0, "c1", discount=2.0),
            line("A2", "2011-03-03 11:00", 1, 4.0, "c2"),
            line("A3", "2011-03-03 12:00", 1, 6.0, "c1"),  # c1's second order that day
            line("B", "2011-03-04 10:00", 1, 10.0, "c1"),
            line("C", "2011-03-05 10:00", 1, 20.0, "c2"),
            line("D", "2011-03-05 11:00", 1, 6.0, "c3"),
            # an Online Retail C-invoice cancelling one unit of C
            line("CC", "2011-03-05 12:00", -1, 10.0, "c2", order_status="cancelled"),
        ],
    )
    warehouse.insert(
        "feedback",
        [
            nps("n1", "2011-03-04 09:00", 10),
            nps("n2", "2011-03-04 09:10", 9),
            nps("n3", "2011-03-04 09:20", 8),
            nps("n4", "2011-03-04 09:30", 3),
            nps("n5", "2011-03-05 09:00", 10),
            nps("n6", "2011-03-05 09:10", 0),
        ],
    )
    warehouse.insert("traffic", TRAFFIC)
    warehouse.build(*ORDER_MARTS, *TRAFFIC_MARTS)
    warehouse.con.execute("create schema if not exists inventory")
    warehouse.con.execute("create table inventory.reorder_recommendations (sku varchar)")
    return warehouse


def test_overview_tiles(shop):
    """Catches: AOV from net sales (after cancellations) or as a mean of daily AOVs; the
    conversion tile over visitors or as a mean of daily rates; the returning-customer rate
    over all customers to date or counting only customers who ordered before the month;
    NPS without the passives in its denominator or as a mean of daily NPS."""
    shown = tiles(overview(shop.con, "shop", GENERATED_AT))
    assert shown == {
        "sessions": "9",
        "conversion_rate": "55.6 %",  # 5 sessions with a purchase / 9, as on the funnel page
        # placed orders A, A2, A3, B, C, D (J is in the previous period)
        "orders": "6",
        # gross 30 + 4 + 6 + 10 + 20 + 6 = 76, discounts 2, cancellations 10: 76 - 2 - 10
        "net_sales": "64.00",
        # (gross - discounts) / orders = 74 / 6 (Shopify). Net sales / orders: 10.67; the mean
        # of daily AOVs (38/3 + 10 + 26/2) / 3 = 11.89; per customer on 03-03 (38/2): 15.50
        "aov": "12.33",
        # March: c1 (A, A3, B), c2 (A2, C) and c3 (D); c1 and c2 have two or more = 2/3
        # (over the 4 customers to date: 50 %; ordered before March: 0 %)
        "returning_customer_rate": "66.7 %",
        # 100 x (promoters 10 9 10 - detractors 3 0) / 6 answers = 16.7 (the passive 8 counts
        # in the denominator; without it 20; the mean of the daily NPS (25 + 0) / 2 = 12.5)
        "nps": "17",
    }


def test_sales_tiles(shop):
    """Catches: AOV as net sales per order instead of the marts' (gross - discounts) per
    order; units counting the cancelled unit; orders counting the cancellation."""
    shown = tiles(sales(shop.con, "shop", GENERATED_AT))
    assert shown == {
        "net_sales": "64.00",
        "orders": "6",
        # units of placed orders: 2 + 1 (A) + 1 + 1 + 1 + 1 + 1 = 8; the cancelled unit is
        # a cancellation, not a negative unit
        "units": "8",
        "aov": "12.33",  # 74 / 6, as on the overview and in marts.orders_daily
    }
