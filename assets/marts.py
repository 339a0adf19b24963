"""Marts layer: the business-grain tables analysts query. One SQL model per table."""

from assets.sql_asset import sql_asset

sessions = sql_asset("marts", "sessions", incremental=True)
conversion_daily = sql_asset("marts", "conversion_daily", daily=True)
funnel_daily = sql_asset("marts", "funnel_daily", daily=True)
cart_abandonment_daily = sql_asset("marts", "cart_abandonment_daily", daily=True)
orders_daily = sql_asset("marts", "orders_daily", daily=True)
orders_by_customer_type_daily = sql_asset("marts", "orders_by_customer_type_daily", daily=True)
sku_demand_daily = sql_asset("marts", "sku_demand_daily", daily=True)
customers = sql_asset("marts", "customers")
sales_by_sku_daily = sql_asset("marts", "sales_by_sku_daily", daily=True)
customer_rates_monthly = sql_asset("marts", "customer_rates_monthly")
cohort_retention = sql_asset("marts", "cohort_retention")
feedback_daily = sql_asset("marts", "feedback_daily", daily=True)
product_ratings = sql_asset("marts", "product_ratings")
fulfilment_daily = sql_asset("marts", "fulfilment_daily", daily=True)
delivery_feedback = sql_asset("marts", "delivery_feedback")

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
    orders_by_customer_type_daily,
]
