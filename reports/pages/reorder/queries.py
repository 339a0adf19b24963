"""Reorder-page reads: the reorder recommendations, what changed since the previous list,
and recent demand with the forecast of the SKUs whose orders are largest."""

from __future__ import annotations

import duckdb
import polars as pl

from reports.pages.demand.queries import sku_forecasts
from reports.pages.reorder.changes import by_kind
from warehouse.frames import query


def reorder_recommendations(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """All reorder recommendations grouped by supplier (the supplier with the earliest order
    first), in each the most urgent first, then the largest orders, each with its `change`
    since the previous list (new, quantity up, quantity down, unchanged; empty when there is
    no earlier list) as the last column."""
    return query(
        con,
        "select r.*, c.change from inventory.reorder_recommendations as r"
        " left join inventory.reorder_changes as c using (sku)"
        " order by min(r.order_by) over (partition by r.supplier) nulls last, r.supplier,"
        " r.order_by nulls last, r.order_value desc nulls last, r.sku",
    )


def purchase_orders(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """The draft purchase orders, one row per supplier and order date, by date."""
    return query(con, "select * from inventory.purchase_orders order by order_date, supplier")


def reorder_changes(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """What changed since the previous list, one row per SKU on either list: new, dropped,
    quantity up, quantity down, then unchanged, each by sku."""
    return by_kind(query(con, "select * from inventory.reorder_changes"))


def demand_and_forecast(
    con: duckdb.DuckDBPyConnection, skus: list[str], history_days: int
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Recent daily demand and the demand forecast of a few SKUs.

    Args:
        con: open connection to the warehouse.
        skus: the SKUs to read.
        history_days: how many days of history before each SKU's last day to return.

    Returns:
        (history: sku, day, units, is_stockout; forecast: sku, day, forecast, lo_80, hi_80,
        lo_95, hi_95), both ordered by sku and day.
    """
    history = query(
        con,
        "select sku, day, units, is_stockout from marts.sku_demand_daily"
        " where sku in (select unnest($skus))"
        " qualify day > max(day) over (partition by sku) - $days::integer"
        " order by sku, day",
        {"skus": skus, "days": history_days},
    )
    return history, sku_forecasts(con, skus)
