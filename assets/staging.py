"""Staging layer: typed, deduplicated, PII hashed or dropped. One SQL model per table."""

from assets.sql_asset import sql_asset

stg_catalog = sql_asset("staging", "stg_catalog", deps=[["raw", "catalog"]])
stg_order_lines = sql_asset("staging", "stg_order_lines", deps=[["raw", "orders"], ["staging", "stg_catalog"]])
stg_traffic_events = sql_asset("staging", "stg_traffic_events", deps=[["raw", "traffic_events"]])
stg_feedback = sql_asset("staging", "stg_feedback", deps=[["raw", "feedback"]])
stg_inventory = sql_asset("staging", "stg_inventory", deps=[["raw", "inventory"]])

STAGING_ASSETS = [stg_catalog, stg_order_lines, stg_traffic_events, stg_feedback, stg_inventory]
