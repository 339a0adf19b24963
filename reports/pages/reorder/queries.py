"""Reorder-page reads: the reorder recommendations, and recent demand with the forecast of
the SKUs whose orders are largest."""

from __future__ import annotations

import duckdb
import polars as pl

from reports.pages.demand.queries import sku_forecasts
from warehouse.frames import query


def reorder_recommendations(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """All reorder recommendations, most urgent first, then the largest orders."""
    return query(
        con,
        "select * from inventory.reorder_recommendations"
        " order by order_by nulls last, order_value desc nulls last, sku",
    )


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
