"""Staging layer: typed, deduplicated, PII hashed or dropped. One SQL model per table."""

from assets.sql_asset import sql_asset

stg_catalog = sql_asset("staging", "stg_catalog")
# An order in several export files keeps the newest file's version; say which were replaced
# (among the orders the build recomputed: is_rebuilt_key, incremental/key_build.py).
SUPERSEDED_ORDERS = """
    select order_id, count(distinct _file) as exports, string_agg(distinct _file, ', ' order by _file) as files,
           max(_file) as kept
    from raw.orders where is_rebuilt_key(order_id)
    group by order_id having count(distinct _file) > 1
    order by order_id limit 20
"""
stg_order_lines = sql_asset(
    "staging",
    "stg_order_lines",
    evidence={"orders_replaced_by_a_newer_export": SUPERSEDED_ORDERS},
    keyed=True,
)
stg_traffic_events = sql_asset("staging", "stg_traffic_events", incremental=True)
stg_feedback = sql_asset("staging", "stg_feedback")
stg_inventory = sql_asset("staging", "stg_inventory", keyed=True)

stg_shipments = sql_asset("staging", "stg_shipments")

STAGING_ASSETS = [
    stg_catalog,
    stg_order_lines,
    stg_traffic_events,
    stg_feedback,
    stg_inventory,
    stg_shipments,
]
