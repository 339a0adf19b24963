"""The tiny hand-written warehouse the report tests publish and read.

Known answers of the warehouse below (the tests assert them):
- sessions 4 + 2 + 2 = 8, purchases 1 + 0 + 1 = 2: conversion rate 25.0 %;
  cart abandonment weighted by carts (0.5*2 + 1.0*1 + 0.0*1) / 4 = 50.0 %.
- orders 2 + 1 + 1 = 4, net sales 100 + 30 + 20 = 150.00, AOV (gross - discounts) / orders
  = (115 + 30 + 20) / 4 = 41.25.
- 3 customers, 3 SKUs to reorder; since the previous list 1 new, 1 dropped, 1 up, 1 down.
- conversion by visitor type: new 2 of 6 sessions (33.3 %), returning 0 of 2; the
  '(no sessions)' row of 2011-01-05 shows in no breakdown.
- user conversion (funnel_daily, user, open): (1 + 1) / (5 + 2) visitors = 28.6 %.
- abandonment: carts 2 of 4 in session (50.0 %), 1 of 4 in the window (25.0 %);
  checkouts 1 of 3 both ways (33.3 %); 35.50 left in carts.
- orders by customer type: the same orders, new on 2011-01-03 (UK 2, France 1) and
  returning on 2011-01-10 (UK 1); UK and new: AOV (120 - 5) / 2 = 57.50.
- customers: 1 of 3 repeat (33.3 %); new 2 + 1 + 0 = 3, returning 1.
- CLV: 3 valued, total 210 + 60 + 40 = 310.00, mean 103.33, p alive 60.0 %; BG/NBD kept,
  Pareto/NBD flagged as not better than the naive baseline.
- feedback: 4 reviews, mean (5 + 4 + 1 + 2) / 4 = 3.00, CSAT 2 / 4 = 50.0 %,
  NPS 100 x (3 - 1) / 5 = 40, review rate 4 / 4 orders = 100.0 %; worst products with
  3+ reviews: 22423 (2.00) then 85123A (4.50); 84879 has 2 reviews and is left out.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from forecasting.purchase_orders import PO_SCHEMA
from forecasting.reorder import OUTPUT_SCHEMA as REORDER_SCHEMA
from tests.reports.tiny_customers import (
    CLV_CONDITIONAL_ROWS,
    CLV_MODEL_ROWS,
    CLV_TRACKING_ROWS,
    COHORT_ROWS,
    CUSTOMER_RATE_ROWS,
    CUSTOMER_ROWS,
    DELIVERY_FEEDBACK_ROWS,
    FEEDBACK_ROWS,
    FULFILMENT_ROWS,
    ORDERS_BY_CUSTOMER_TYPE_ROWS,
    ORDERS_ROWS,
    PRODUCT_RATING_ROWS,
)
from tests.reports.tiny_demand import (
    ACCURACY_ROWS,
    BACKTEST_ROWS,
    PURCHASE_ORDER_ROWS,
    RELIABILITY_ROWS,
    REORDER_CHANGE_ROWS,
    REORDER_ROWS,
    demand_rows,
    forecast_rows,
)
from tests.reports.tiny_quality import CHECK_ROWS, LOAD_LOG_ROWS, QUARANTINE_ROWS
from tests.reports.tiny_risk import add_risk_tables
from tests.reports.tiny_traffic import CART_ROWS, CONVERSION_ROWS, funnel_rows

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
create table marts.orders_by_customer_type_daily (day date, country varchar,
  customer_type varchar, orders bigint, units bigint, gross_sales double, discounts double,
  cancellations double, net_sales double);
create table marts.customers (customer_key varchar, country varchar, first_order_date date,
  first_order_month date, last_order_date date, orders bigint, is_repeat_customer boolean,
  revenue double, refunds double, recency_days bigint, r_score integer, f_score integer,
  m_score integer,
  rfm_segment varchar, p_alive double, expected_purchases_30d double,
  expected_purchases_90d double, expected_purchases_365d double, expected_avg_spend double,
  clv double, clv_decile integer, clv_model varchar);
create table marts.clv_model (model varchar, fit_window varchar, parameters varchar,
  log_likelihood double, customers bigint, converged boolean, fit_seconds double, note varchar,
  calibration_end date, holdout_end date, time_unit varchar, guest_orders_excluded bigint,
  holdout_predicted double, holdout_actual double, holdout_mae double, holdout_rmse double,
  holdout_total_error_pct double, naive_predicted double, naive_mae double,
  better_than_naive boolean, selected boolean, holdout_spend_customers bigint,
  holdout_spend_predicted double, holdout_spend_actual double, holdout_spend_mae double,
  naive_spend_mae double, models_apply boolean, not_applicable_because varchar,
  clv_horizon_days bigint,
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
  nps double, orders bigint, review_rate double, reviewed_orders bigint);
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
  abs_error_7d double, error double, naive_scale double, mase double, reason varchar,
  demand_pattern varchar, chosen varchar);
create table forecasts.accuracy_summary (model varchar, demand_pattern varchar, skus bigint,
  wape double, wape_7d double, mase double, bias double, wape_vs_seasonal_naive double,
  wape_7d_vs_seasonal_naive double, holdout_first_day date, holdout_last_day date,
  chosen varchar, combined bigint, coverage_80 double, coverage_95 double);
create table forecasts.sku_reliability (sku varchar, demand_pattern varchar, model varchar,
  windows bigint, actual double, abs_error_7d double, zero_abs_error_7d double,
  naive_abs_error_7d double, beats_zero boolean, beats_naive boolean, reliable boolean,
  sale_days bigint, reason varchar);
create table marts.sales_by_sku_daily (day date, sku varchar, category varchar,
  is_product boolean, units bigint, gross_sales double, net_sales double, orders bigint);
create table quality.check_results (run_id varchar, asset varchar, check_name varchar,
  severity varchar, passed boolean, description varchar, details varchar, checked_at timestamp);
create table forecasts.demand_forecast (sku varchar, day date, forecast double, lo_80 double,
  hi_80 double, lo_95 double, hi_95 double, model varchar, demand_pattern varchar);
create table inventory.reorder_changes (as_of date, previous_as_of date, sku varchar,
  description varchar, change varchar, previous_order_qty bigint, order_qty bigint,
  order_qty_change bigint);
create table quality.load_log (kind varchar, export_date date, file varchar, format varchar,
  rows_read bigint, rows_loaded bigint, rows_quarantined bigint, loaded_at timestamp);
create table quality.quarantine (kind varchar, export_date date, file varchar, line bigint,
  column_name varchar, raw_value varchar, reason varchar, loaded_at timestamp);
create table forecasts.sku_bucket (sku varchar, bucket varchar, reason varchar);
"""

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


# forecasts.sku_bucket: a daily run, each SKU's share of its days with a sale.
SKU_BUCKET_ROWS = [
    ("22423", "day", "set: forecasting.bucket day; sells on 93 % of its 14 trading days"),
    ("85123A", "day", "set: forecasting.bucket day; sells on 100 % of its 14 trading days"),
]


def build_warehouse(path: Path, *, with_reorders: bool = True) -> Path:
    """Create the warehouse file with the contract tables and the rows above."""
    con = duckdb.connect(str(path))
    con.execute(DDL)
    tables = {
        "marts.conversion_daily": CONVERSION_ROWS,
        "marts.orders_daily": ORDERS_ROWS,
        "marts.orders_by_customer_type_daily": ORDERS_BY_CUSTOMER_TYPE_ROWS,
        "marts.customers": CUSTOMER_ROWS,
        "marts.clv_model": CLV_MODEL_ROWS,
        "marts.clv_tracking": CLV_TRACKING_ROWS,
        "marts.clv_conditional": CLV_CONDITIONAL_ROWS,
        "marts.funnel_daily": funnel_rows(),
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
        "forecasts.sku_reliability": RELIABILITY_ROWS,
        "inventory.reorder_changes": REORDER_CHANGE_ROWS if with_reorders else [],
        "quality.load_log": LOAD_LOG_ROWS,
        "quality.quarantine": QUARANTINE_ROWS,
        "forecasts.sku_bucket": SKU_BUCKET_ROWS,
    }
    for table, rows in tables.items():
        if rows:
            marks = ", ".join("?" * len(rows[0]))
            con.executemany(f"insert into {table} values ({marks})", rows)
    # The reorder list and purchase orders in the schemas their assets write.
    for table, rows, schema in (
        ("reorder_recommendations", REORDER_ROWS, REORDER_SCHEMA),
        ("purchase_orders", PURCHASE_ORDER_ROWS, PO_SCHEMA),
    ):
        frame = pl.DataFrame(rows if with_reorders else [], schema=schema)
        con.register("frame", frame.to_arrow())
        con.execute(f"create table inventory.{table} as select * from frame")
        con.unregister("frame")
    add_risk_tables(con)
    con.close()
    return path
