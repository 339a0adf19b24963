"""Marts layer: the business-grain tables analysts query. One SQL model per table."""

from assets.sql_asset import sql_asset

sessions = sql_asset(
    "marts", "sessions", deps=[["staging", "stg_traffic_events"]], incremental=True
)
conversion_daily = sql_asset("marts", "conversion_daily", deps=[["marts", "sessions"]])
funnel_daily = sql_asset("marts", "funnel_daily", deps=[["marts", "sessions"]])
cart_abandonment_daily = sql_asset(
    "marts",
    "cart_abandonment_daily",
    deps=[["marts", "sessions"], ["staging", "stg_traffic_events"]],
)
orders_daily = sql_asset("marts", "orders_daily", deps=[["staging", "stg_order_lines"]])
sku_demand_daily = sql_asset(
    "marts", "sku_demand_daily", deps=[["staging", "stg_order_lines"], ["staging", "stg_inventory"]]
)
customers = sql_asset(
    "marts", "customers", deps=[["staging", "stg_order_lines"], ["marts", "customer_clv"]]
)
sales_by_sku_daily = sql_asset(
    "marts", "sales_by_sku_daily", deps=[["staging", "stg_order_lines"], ["staging", "stg_catalog"]]
)
customer_rates_monthly = sql_asset(
    "marts", "customer_rates_monthly", deps=[["staging", "stg_order_lines"]]
)
cohort_retention = sql_asset("marts", "cohort_retention", deps=[["staging", "stg_order_lines"]])
feedback_daily = sql_asset(
    "marts", "feedback_daily", deps=[["staging", "stg_feedback"], ["staging", "stg_order_lines"]]
)
product_ratings = sql_asset(
    "marts", "product_ratings", deps=[["staging", "stg_feedback"], ["staging", "stg_catalog"]]
)
fulfilment_daily = sql_asset(
    "marts", "fulfilment_daily", deps=[["staging", "stg_order_lines"], ["staging", "stg_shipments"]]
)
delivery_feedback = sql_asset(
    "marts", "delivery_feedback", deps=[["staging", "stg_feedback"], ["staging", "stg_shipments"]]
)

MART_ASSETS = [
    sessions,
    conversion_daily,
    funnel_daily,
    cart_abandonment_daily,
    orders_daily,
    sku_demand_daily,
    customers,
    sales_by_sku_daily,
    customer_rates_monthly,
    cohort_retention,
    feedback_daily,
    product_ratings,
    fulfilment_daily,
    delivery_feedback,
]
