"""The expectation suites: what must hold of each warehouse table before anything
downstream may use it. Keyed by `schema.table`; each entry builds fresh expectations."""

from __future__ import annotations

from collections.abc import Callable

import great_expectations.expectations as gxe

from ingest.contract import EVENT_NAMES


def _not_null(*columns: str) -> list:
    return [gxe.ExpectColumnValuesToNotBeNull(column=c) for c in columns]


def _rate(column: str) -> gxe.ExpectColumnValuesToBeBetween:
    return gxe.ExpectColumnValuesToBeBetween(column=column, min_value=0, max_value=1)


SUITES: dict[str, Callable[[], list]] = {
    "staging.stg_order_lines": lambda: [
        *_not_null("order_id", "sku", "ordered_at", "quantity", "unit_price", "currency"),
        gxe.ExpectColumnValuesToNotBeInSet(column="quantity", value_set=[0]),
        gxe.ExpectColumnValuesToBeInSet(column="order_status", value_set=["placed", "cancelled", "returned"]),
        gxe.ExpectCompoundColumnsToBeUnique(column_list=["order_id", "line_number"]),
    ],
    "staging.stg_traffic_events": lambda: [
        *_not_null("event_id", "event_at", "session_key", "user_id"),
        gxe.ExpectColumnValuesToBeUnique(column="event_id"),
        gxe.ExpectColumnValuesToBeInSet(column="event_name", value_set=list(EVENT_NAMES)),
    ],
    "marts.conversion_daily": lambda: [
        gxe.ExpectCompoundColumnsToBeUnique(column_list=["day", "device", "source"]),
        _rate("conversion_rate"),
        _rate("cart_abandonment_rate"),
        _rate("checkout_abandonment_rate"),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="sessions", column_B="sessions_with_purchase", or_equal=True
        ),
    ],
    "marts.orders_daily": lambda: [
        gxe.ExpectCompoundColumnsToBeUnique(column_list=["day", "country"]),
        *_not_null("day", "orders", "net_sales"),
        gxe.ExpectColumnValuesToBeBetween(column="orders", min_value=0),
    ],
    "marts.sku_demand_daily": lambda: [
        gxe.ExpectCompoundColumnsToBeUnique(column_list=["sku", "day"]),
        *_not_null("sku", "day", "units", "is_trading_day", "is_stockout"),
    ],
    "marts.customers": lambda: [
        gxe.ExpectColumnValuesToBeUnique(column="customer_key"),
        *[gxe.ExpectColumnValuesToBeBetween(column=c, min_value=1, max_value=5) for c in ("r_score", "f_score", "m_score")],
        gxe.ExpectColumnValuesToBeBetween(column="clv", min_value=0),
    ],
    "forecasts.demand_forecast": lambda: [
        gxe.ExpectCompoundColumnsToBeUnique(column_list=["sku", "day"]),
        gxe.ExpectColumnValuesToBeBetween(column="forecast", min_value=0),
        gxe.ExpectColumnValuesToBeBetween(column="lo_95", min_value=0),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="forecast", column_B="lo_80", or_equal=True),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="hi_80", column_B="forecast", or_equal=True),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="hi_95", column_B="hi_80", or_equal=True),
    ],
    "inventory.reorder_recommendations": lambda: [
        gxe.ExpectColumnValuesToBeUnique(column="sku"),
        gxe.ExpectColumnValuesToBeBetween(column="order_qty", min_value=1),
        *_not_null("order_by", "reason", "reorder_point"),
    ],
}
