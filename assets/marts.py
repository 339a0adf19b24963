"""Marts layer: the business-grain tables analysts query. One SQL model per table."""

from assets.sql_asset import sql_asset

conversion_daily = sql_asset("marts", "conversion_daily", deps=[["staging", "stg_traffic_events"]])
orders_daily = sql_asset("marts", "orders_daily", deps=[["staging", "stg_order_lines"]])
sku_demand_daily = sql_asset(
    "marts", "sku_demand_daily", deps=[["staging", "stg_order_lines"], ["staging", "stg_inventory"]]
)
customers = sql_asset("marts", "customers", deps=[["staging", "stg_order_lines"]])

MART_ASSETS = [conversion_daily, orders_daily, sku_demand_daily, customers]
