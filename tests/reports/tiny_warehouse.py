"""The tiny hand-written warehouse the report tests publish and read.

Known answers of the warehouse below (the tests assert them):
- sessions 4 + 2 + 2 = 8, purchases 1 + 0 + 1 = 2: conversion rate 25.0 %;
  cart abandonment weighted by carts (0.5*2 + 1.0*1 + 0.0*1) / 4 = 50.0 %.
- orders 2 + 1 + 1 = 4, net sales 100 + 30 + 20 = 150.00, AOV 150 / 4 = 37.50.
- 3 customers, 3 SKUs to reorder.
- conversion by visitor type: new 2 of 6 sessions (33.3 %), returning 0 of 2; the
  '(no sessions)' row of 2011-01-05 shows in no breakdown.
- user conversion (funnel_daily, user, open): (1 + 1) / (5 + 2) visitors = 28.6 %.
- abandonment: carts 2 of 4 in session (50.0 %), 1 of 4 in the window (25.0 %);
  checkouts 1 of 3 both ways (33.3 %); 35.50 left in carts.
- customers: 1 of 3 repeat (33.3 %); new 2 + 1 + 0 = 3, returning 1.
- CLV: 3 valued, total 210 + 60 + 40 = 310.00, mean 103.33, p alive 60.0 %; BG/NBD kept,
  Pareto/NBD flagged as not better than the naive baseline.
- feedback: 4 reviews, mean (5 + 4 + 1 + 2) / 4 = 3.00, CSAT 2 / 4 = 50.0 %,
  NPS 100 x (3 - 1) / 5 = 40, review rate 4 / 4 orders = 100.0 %; worst products with
  3+ reviews: 22423 (2.00) then 85123A (4.50); 84879 has 2 reviews and is left out.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb

from tests.reports.tiny_demand import (
    ACCURACY_ROWS,
    BACKTEST_ROWS,
    REORDER_ROWS,
    demand_rows,
    forecast_rows,
)

PII_EMAILS = ("alice@example.com", "bob@example.org")  # the tests check these never reach a page
RAW_SECRET = "SECRET-RAW-VALUE-42"

DDL = """
create schema marts; create schema forecasts; create schema inventory; create schema quality;
create table marts.conversion_daily (day date, device varchar, source varchar, medium varchar,
  country varchar, landing_page varchar, visitor_type varchar, sessions bigint,
  sessions_with_cart bigint, sessions_with_checkout bigint, sessions_with_purchase bigint,
  carts_abandoned bigint, checkouts_abandoned bigint, revenue double, users bigint,
  users_with_purchase bigint, conversion_rate double, cart_abandonment_rate double,
  checkout_abandonment_rate double, user_conversion_rate double);
create table marts.funnel_daily (day date, scope varchar, funnel_type varchar, visitors bigint,
  viewed bigint, carted bigint, checked_out bigint, purchased bigint, view_to_cart_rate double,
  cart_to_checkout_rate double, checkout_to_purchase_rate double, view_to_purchase_rate double,
  conversion_rate double);
create table marts.cart_abandonment_daily (day date, carts bigint,
  carts_abandoned_in_session bigint, carts_abandoned_in_window bigint,
  cart_abandonment_rate double, cart_abandonment_rate_window double,
  abandoned_cart_value double, checkouts bigint, checkouts_abandoned_in_session bigint,
  checkouts_abandoned_in_window bigint, checkout_abandonment_rate double,
  checkout_abandonment_rate_window double);
create table marts.orders_daily (day date, country varchar, orders bigint, order_lines bigint,
  units bigint, customers bigint, new_customers bigint, returning_customers bigint,
  gross_sales double, discounts double, returned_sales double, cancelled_sales double,
  adjustments double, cancellations double, returned_orders bigint, cancelled_orders bigint,
  net_sales double, aov double);
create table marts.customers (customer_key varchar, country varchar, first_order_date date,
  first_order_month date, last_order_date date, orders bigint, is_repeat_customer boolean,
  revenue double, recency_days bigint, r_score integer, f_score integer, m_score integer,
  rfm_segment varchar, p_alive double, expected_purchases_30d double,
  expected_purchases_90d double, expected_purchases_365d double, expected_avg_spend double,
  clv double, clv_decile integer, clv_model varchar);
create table marts.clv_model (model varchar, fit_window varchar, parameters varchar,
  log_likelihood double, customers bigint, converged boolean, fit_seconds double, note varchar,
  calibration_end date, holdout_end date, time_unit varchar, guest_orders_excluded bigint,
  holdout_predicted double, holdout_actual double, holdout_mae double, holdout_rmse double,
  holdout_total_error_pct double, naive_predicted double, naive_mae double,
  better_than_naive boolean, selected boolean, clv_horizon_days bigint,
  annual_discount_rate double, gross_margin double, run_at timestamp);
create table marts.clv_tracking (model varchar, period bigint, period_end date,
  is_holdout boolean, actual_repeat_purchases bigint, actual_cumulative bigint, predicted double,
  predicted_cumulative double);
create table marts.clv_conditional (model varchar, calibration_frequency bigint,
  frequency_label varchar, customers bigint, actual_mean double, predicted_mean double);
create table marts.customer_rates_monthly (month date, customers bigint, new_customers bigint,
  returning_customers bigint, customers_with_repeat_order bigint,
  customers_with_repeat_in_month bigint, customers_to_date bigint,
  repeat_customers_to_date bigint, returning_customer_rate double,
  repeat_purchase_rate double, cumulative_repeat_purchase_rate double);
create table marts.cohort_retention (cohort_month date, months_since_acquisition integer,
  activity_month date, cohort_customers bigint, active_customers bigint,
  retention_rate double, revenue double, revenue_per_customer double);
create table marts.feedback_daily (day date, reviews bigint, mean_rating double,
  ratings_1 bigint, ratings_2 bigint, ratings_3 bigint, ratings_4 bigint, ratings_5 bigint,
  csat double, nps_answers bigint, promoters bigint, passives bigint, detractors bigint,
  nps double, orders bigint, review_rate double);
create table marts.product_ratings (sku varchar, category varchar, reviews bigint,
  mean_rating double, low_ratings bigint, csat double);
create table marts.fulfilment_daily (day date, carrier varchar, region varchar,
  orders_shipped bigint, orders_delivered bigint, orders_on_time bigint, orders_late bigint,
  on_time_share double, median_days_to_ship double, p90_days_to_ship double,
  median_days_to_deliver double, p90_days_to_deliver double);
create table marts.delivery_feedback (delivery varchar, orders_with_feedback bigint,
  reviews bigint, mean_rating double, nps_answers bigint, mean_nps_score double, nps double);
create table marts.sku_demand_daily (sku varchar, day date, is_trading_day boolean, units bigint,
  orders bigint, revenue double, on_hand bigint, is_stockout boolean, demand_units bigint);
create table forecasts.demand_backtest (sku varchar, model varchar, "window" bigint,
  first_day date, last_day date, days bigint, actual double, forecast double, abs_error double,
  abs_error_7d double, error double, naive_scale double, mase double, demand_pattern varchar,
  chosen varchar);
create table forecasts.accuracy_summary (model varchar, demand_pattern varchar, skus bigint,
  wape double, wape_7d double, mase double, bias double, wape_vs_seasonal_naive double,
  holdout_first_day date, holdout_last_day date, chosen varchar);
create table marts.sales_by_sku_daily (day date, sku varchar, category varchar,
  is_product boolean, units bigint, gross_sales double, net_sales double, orders bigint);
create table quality.check_results (run_id varchar, asset varchar, check_name varchar,
  severity varchar, passed boolean, description varchar, details varchar, checked_at timestamp);
create table forecasts.demand_forecast (sku varchar, day date, forecast double, lo_80 double,
  hi_80 double, lo_95 double, hi_95 double, model varchar, demand_pattern varchar);
create table inventory.reorder_recommendations (sku varchar, description varchar,
  abc_class varchar, demand_pattern varchar, on_hand bigint, on_order bigint,
  inventory_position bigint, lead_time_days double, lead_time_demand double,
  safety_stock double, reorder_point double, order_up_to double, order_qty bigint,
  rounding varchar, order_by date, days_of_cover double, projected_stockout_date date,
  stockout_probability double, unit_cost double, order_value double, service_level double,
  reason varchar);
create table quality.load_log (kind varchar, export_date date, file varchar, format varchar,
  rows_read bigint, rows_loaded bigint, rows_quarantined bigint, loaded_at timestamp);
create table quality.quarantine (kind varchar, export_date date, file varchar, line bigint,
  column_name varchar, raw_value varchar, reason varchar, loaded_at timestamp);
"""

NO_SESSIONS = "(no sessions)"
# day, device, source, medium, country, landing page, visitor type, sessions, with cart,
# with checkout, with purchase, carts and checkouts abandoned, revenue, users, users who
# bought, conversion, cart and checkout abandonment, user conversion
CONVERSION_ROWS = [
    (
        date(2011, 1, 3),
        "desktop",
        "google",
        "cpc",
        "United Kingdom",
        "/home",
        "new",
        4,
        2,
        1,
        1,
        1,
        0,
        50.0,
        3,
        1,
        0.25,
        0.5,
        0.0,
        1 / 3,
    ),
    (
        date(2011, 1, 3),
        "mobile",
        "newsletter",
        "email",
        "France",
        "/sale",
        "returning",
        2,
        1,
        0,
        0,
        1,
        0,
        0.0,
        2,
        0,
        0.0,
        1.0,
        None,
        0.0,
    ),
    (date(2011, 1, 5), *[NO_SESSIONS] * 6, 0, 0, 0, 0, 0, 0, 0.0, 0, 0, None, None, None, None),
    (
        date(2011, 1, 10),
        "desktop",
        "direct",
        "(none)",
        "United Kingdom",
        "/home",
        "new",
        2,
        1,
        1,
        1,
        0,
        0,
        40.0,
        2,
        1,
        0.5,
        0.0,
        0.0,
        0.5,
    ),
]
# (day, scope, funnel type) -> visitors, viewed, carted, checked out, purchased
FUNNEL_COUNTS = {
    (date(2011, 1, 3), "session", "closed"): (6, 5, 3, 1, 1),
    (date(2011, 1, 3), "session", "open"): (6, 5, 3, 1, 1),
    (date(2011, 1, 3), "user", "closed"): (5, 4, 2, 1, 0),
    (date(2011, 1, 3), "user", "open"): (5, 4, 3, 1, 1),
    (date(2011, 1, 5), "session", "closed"): (0, 0, 0, 0, 0),
    (date(2011, 1, 10), "session", "closed"): (2, 2, 1, 1, 1),
    (date(2011, 1, 10), "session", "open"): (2, 2, 1, 1, 1),
    (date(2011, 1, 10), "user", "closed"): (2, 2, 1, 1, 1),
    (date(2011, 1, 10), "user", "open"): (2, 2, 1, 1, 1),
}
# day, carts, abandoned in session, in window, the two rates, value left, checkouts, ...
CART_ROWS = [
    (date(2011, 1, 3), 3, 2, 1, 2 / 3, 1 / 3, 35.5, 1, 0, 0, 0.0, 0.0),
    (date(2011, 1, 5), 0, 0, 0, None, None, 0.0, 0, 0, 0, None, None),
    (date(2011, 1, 10), 1, 0, 0, 0.0, 0.0, 0.0, 2, 1, 1, 0.5, 0.5),
]
# day, country, orders, lines, units, customers, new, returning, gross, discounts, returned,
# cancelled, adjustments, cancellations, returned and cancelled orders, net sales, AOV
ORDERS_ROWS = [
    (
        date(2011, 1, 3),
        "United Kingdom",
        2,
        3,
        10,
        2,
        2,
        0,
        120.0,
        5.0,
        15.0,
        0.0,
        0.0,
        15.0,
        1,
        0,
        100.0,
        50.0,
    ),
    (date(2011, 1, 3), "France", 1, 1, 4, 1, 1, 0, 30.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0, 0, 30.0, 30.0),
    (
        date(2011, 1, 10),
        "United Kingdom",
        1,
        2,
        6,
        1,
        0,
        1,
        20.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0,
        0,
        20.0,
        20.0,
    ),
]
# key, country, first and last order, orders, revenue, recency, R, F, M, segment, then CLV:
# p alive, expected purchases 30/90/365 days, expected spend, CLV, decile, model
_CUSTOMERS = [
    (
        "a" * 64,
        "United Kingdom",
        date(2011, 1, 3),
        date(2011, 1, 10),
        2,
        70.0,
        5,
        5,
        4,
        3,
        "Champions",
        0.9,
        0.2,
        0.6,
        2.4,
        35.0,
        210.0,
        10,
        "bgnbd",
    ),
    (
        "b" * 64,
        "United Kingdom",
        date(2011, 1, 3),
        date(2011, 1, 3),
        1,
        50.0,
        12,
        3,
        1,
        2,
        "New customers",
        0.5,
        0.05,
        0.15,
        0.6,
        40.0,
        60.0,
        5,
        "bgnbd",
    ),
    (
        "c" * 64,
        "France",
        date(2011, 1, 3),
        date(2011, 1, 3),
        1,
        30.0,
        12,
        3,
        1,
        1,
        "New customers",
        0.4,
        0.04,
        0.12,
        0.5,
        30.0,
        40.0,
        1,
        "bgnbd",
    ),
]
# CLV: total 310.00, mean 103.33, mean p alive 60.0 %; BG/NBD kept (MAE 0.40 < 0.45), Pareto/NBD
# flagged as not better than the naive baseline (0.60 vs 0.50).
_RUN = (date(2011, 1, 7), date(2011, 1, 14), "W", 1)
_CLV_TAIL = (365, 0.1, 0.3, datetime(2011, 1, 15, 2))
CLV_MODEL_ROWS = [
    (
        "bgnbd",
        "calibration",
        '{"r": 0.24, "alpha": 4.4, "a": 0.79, "b": 2.4}',
        -12.5,
        3,
        True,
        0.1,
        None,
        *_RUN,
        1.8,
        2.0,
        0.40,
        0.5,
        -10.0,
        1.5,
        0.50,
        True,
        True,
        *_CLV_TAIL,
    ),
    (
        "pareto_nbd",
        "calibration",
        '{"r": 0.55, "alpha": 10.6, "s": 0.61, "beta": 11.7}',
        -12.9,
        3,
        True,
        0.2,
        None,
        *_RUN,
        1.5,
        2.0,
        0.60,
        0.7,
        -25.0,
        1.5,
        0.50,
        False,
        False,
        *_CLV_TAIL,
    ),
    (
        "bgnbd",
        "full",
        '{"r": 0.3, "alpha": 4.0, "a": 0.8, "b": 2.5}',
        -20.1,
        3,
        True,
        0.1,
        None,
        *_RUN,
        *[None] * 8,
        True,
        *_CLV_TAIL,
    ),
    (
        "gamma_gamma",
        "full",
        '{"p": 6.2, "q": 3.7, "gamma": 15.4}',
        -8.0,
        1,
        True,
        0.1,
        None,
        *_RUN,
        *[None] * 8,
        True,
        *_CLV_TAIL,
    ),
]
CLV_TRACKING_ROWS = [
    (
        model,
        period,
        date(2011, 1, 3) + timedelta(days=7 * period - 1),
        period > 1,
        actual,
        cumulative,
        predicted,
        predicted_cumulative,
    )
    for model, rows in (
        ("bgnbd", ((1, 1, 1, 1.2, 1.2), (2, 1, 2, 0.8, 2.0))),
        ("pareto_nbd", ((1, 1, 1, 1.0, 1.0), (2, 1, 2, 0.5, 1.5))),
    )
    for period, actual, cumulative, predicted, predicted_cumulative in rows
]
CLV_CONDITIONAL_ROWS = [
    (model, frequency, str(frequency), customers, actual, predicted)
    for model, predictions in (
        ("bgnbd", (0.3, 1.4)),
        ("naive", (0.0, 1.5)),
        ("pareto_nbd", (0.4, 1.2)),
    )
    for (frequency, customers, actual), predicted in zip(
        ((0, 2, 0.5), (1, 1, 1.0)), predictions, strict=True
    )
]
CUSTOMER_ROWS = [
    (key, country, first, first.replace(day=1), last, orders, orders >= 2, *rest)
    for key, country, first, last, orders, *rest in _CUSTOMERS
]
CUSTOMER_RATE_ROWS = [
    (date(2010, 12, 1), 2, 2, 0, 0, 0, 2, 0, 0.0, 0.0, 0.0),
    (date(2011, 1, 1), 3, 1, 2, 1, 1, 3, 1, 1 / 3, 1 / 3, 1 / 3),
]
COHORT_ROWS = [
    (date(2010, 12, 1), 0, date(2010, 12, 1), 2, 2, 1.0, 80.0, 40.0),
    (date(2010, 12, 1), 1, date(2011, 1, 1), 2, 1, 0.5, 30.0, 15.0),
    (date(2011, 1, 1), 0, date(2011, 1, 1), 1, 1, 1.0, 20.0, 20.0),
]
# day, reviews, mean, ratings 1-5, CSAT, NPS answers, promoters, passives, detractors, NPS,
# orders, review rate
FEEDBACK_ROWS = [
    (date(2011, 1, 3), 3, 10 / 3, 1, 0, 0, 1, 1, 2 / 3, 4, 2, 1, 1, 25.0, 3, 1.0),
    (date(2011, 1, 5), 0, None, 0, 0, 0, 0, 0, None, 0, 0, 0, 0, None, 0, None),
    (date(2011, 1, 10), 1, 2.0, 0, 1, 0, 0, 0, 0.0, 1, 1, 0, 0, 100.0, 1, 1.0),
]
PRODUCT_RATING_ROWS = [
    ("84879", "Decor", 2, 1.0, 2, 0.0),
    ("22423", "Kitchen & <Dining>", 3, 2.0, 2, 1 / 3),
    ("85123A", "Decor", 4, 4.5, 0, 1.0),
]

# Week of 2011-01-03: DHL 10 delivered, 2 late; Royal Mail 4 delivered, 2 late (1 in transit).
FULFILMENT_ROWS = [
    (date(2011, 1, 3), "DHL", "North", 10, 10, 8, 2, 0.8, 0.5, 1.0, 2.0, 4.0),
    (date(2011, 1, 4), "Royal Mail", "South", 5, 4, 2, 2, 0.5, 1.0, 2.0, 4.0, 6.0),
]
DELIVERY_FEEDBACK_ROWS = [
    ("late", 3, 3, 2.0, 2, 5.0, -50.0),
    ("on time", 9, 8, 4.5, 5, 8.6, 40.0),
]


def _funnel_rows() -> list[tuple]:
    def rate(part: int, whole: int) -> float | None:
        return part / whole if whole else None

    return [
        (
            day,
            scope,
            kind,
            *counts,
            rate(counts[2], counts[1]),
            rate(counts[3], counts[2]),
            rate(counts[4], counts[3]),
            rate(counts[4], counts[1]),
            rate(counts[4], counts[0]),
        )
        for (day, scope, kind), counts in FUNNEL_COUNTS.items()
    ]


LOAD_LOG_ROWS = [
    (
        "orders",
        date(2011, 1, 3),
        "orders/2011-01-03.csv",
        "generic",
        120,
        118,
        2,
        datetime(2011, 1, 4, 1),
    ),
    (
        "orders",
        date(2011, 1, 10),
        "orders/2011-01-10.csv",
        "generic",
        80,
        79,
        1,
        datetime(2011, 1, 11, 1),
    ),
    (
        "traffic",
        date(2011, 1, 3),
        "traffic/2011-01-03.csv",
        "generic",
        500,
        500,
        0,
        datetime(2011, 1, 4, 1),
    ),
]
QUARANTINE_ROWS = [
    (
        "orders",
        date(2011, 1, 3),
        "orders/2011-01-03.csv",
        18,
        "quantity",
        "six",
        'quantity "six" is not a number',
        datetime(2011, 1, 4, 1),
    ),
    (
        "orders",
        date(2011, 1, 3),
        "orders/2011-01-03.csv",
        40,
        "customer_name",
        RAW_SECRET,
        "customer_name is longer than 200 characters",
        datetime(2011, 1, 4, 1),
    ),
    (
        "orders",
        date(2011, 1, 10),
        "orders/2011-01-10.csv",
        7,
        "customer_email",
        PII_EMAILS[0],
        f'customer_email "{PII_EMAILS[0]}" is not a valid e-mail',
        datetime(2011, 1, 11, 1),
    ),
    (
        "orders",
        date(2011, 1, 10),
        "orders/2011-01-10.csv",
        9,
        "country",
        PII_EMAILS[1],
        f'country "{PII_EMAILS[1]}" is not a known country',
        datetime(2011, 1, 11, 1),
    ),
]


# day, sku, category, is_product, units, gross, net, orders. Current period 2010-12-14 to
# 2011-01-10 (28 days to the newest order day), previous 2010-11-16 to 2010-12-13.
# SKUs: 22423 80.00 now (0 before, +80); 85123A 60 vs 100 (-40, -40 %); 84879 0 vs 10 (-10);
# POST is no product and never shows. Categories: Kitchen +80; Decor 60 vs 110 (-50).
SALES_ROWS = [
    (date(2010, 12, 1), "84879", "Decor", True, 5, 10.0, 10.0, 1),
    (date(2010, 12, 6), "85123A", "Decor", True, 30, 100.0, 100.0, 2),
    (date(2011, 1, 3), "85123A", "Decor", True, 20, 65.0, 60.0, 2),
    (date(2011, 1, 3), "84879", "Decor", True, 0, 0.0, 0.0, 0),
    (date(2011, 1, 3), "POST", "Uncategorised", False, 1, 15.0, 15.0, 1),
    (date(2011, 1, 10), "22423", "Kitchen & <Dining>", True, 8, 80.0, 80.0, 1),
]
# Newest evaluation per check: rows_reconcile and sessions_cover_orders passed (the latter
# failed in an older run), export_freshness warns, unique_key failed: 2 / 1 / 1.
CHECK_ROWS = [
    (
        "run-0",
        "marts/conversion_daily",
        "sessions_cover_orders",
        "ERROR",
        False,
        "old failure",
        "{}",
        datetime(2011, 1, 14, 6),
    ),
    (
        "run-1",
        "marts/conversion_daily",
        "sessions_cover_orders",
        "ERROR",
        True,
        "sessions >= orders on all 2 order days with traffic",
        "{}",
        datetime(2011, 1, 15, 6),
    ),
    (
        "run-1",
        "raw/orders",
        "rows_reconcile",
        "ERROR",
        True,
        "rows read = rows loaded + rows quarantined",
        "{}",
        datetime(2011, 1, 15, 6),
    ),
    (
        "run-1",
        "raw/traffic_events",
        "export_freshness",
        "WARN",
        False,
        "newest traffic export 2011-01-03 is 7 days behind orders",
        "{}",
        datetime(2011, 1, 15, 6),
    ),
    (
        "run-1",
        "staging/stg_orders",
        "unique_key",
        "ERROR",
        False,
        f"2 duplicate keys, e.g. {PII_EMAILS[1]}",
        "{}",
        datetime(2011, 1, 15, 6),
    ),
]


def build_warehouse(path: Path, *, with_reorders: bool = True) -> Path:
    """Create the warehouse file with the contract tables and the rows above."""
    con = duckdb.connect(str(path))
    con.execute(DDL)
    tables = {
        "marts.conversion_daily": CONVERSION_ROWS,
        "marts.orders_daily": ORDERS_ROWS,
        "marts.customers": CUSTOMER_ROWS,
        "marts.clv_model": CLV_MODEL_ROWS,
        "marts.clv_tracking": CLV_TRACKING_ROWS,
        "marts.clv_conditional": CLV_CONDITIONAL_ROWS,
        "marts.funnel_daily": _funnel_rows(),
        "marts.cart_abandonment_daily": CART_ROWS,
        "marts.customer_rates_monthly": CUSTOMER_RATE_ROWS,
        "marts.cohort_retention": COHORT_ROWS,
        "marts.feedback_daily": FEEDBACK_ROWS,
        "marts.product_ratings": PRODUCT_RATING_ROWS,
        "marts.fulfilment_daily": FULFILMENT_ROWS,
        "marts.delivery_feedback": DELIVERY_FEEDBACK_ROWS,
        "marts.sku_demand_daily": demand_rows(),
        "marts.sales_by_sku_daily": SALES_ROWS,
        "quality.check_results": CHECK_ROWS,
        "forecasts.demand_forecast": forecast_rows(),
        "forecasts.demand_backtest": BACKTEST_ROWS,
        "forecasts.accuracy_summary": ACCURACY_ROWS,
        "inventory.reorder_recommendations": REORDER_ROWS if with_reorders else [],
        "quality.load_log": LOAD_LOG_ROWS,
        "quality.quarantine": QUARANTINE_ROWS,
    }
    for table, rows in tables.items():
        if rows:
            marks = ", ".join("?" * len(rows[0]))
            con.executemany(f"insert into {table} values ({marks})", rows)
    con.close()
    return path
