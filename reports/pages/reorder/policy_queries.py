"""Policy backtest reads of the dashboard: inventory.policy_backtest, one row per policy and target."""

from __future__ import annotations

import duckdb
import polars as pl

from warehouse.frames import query, table_exists

BACKTEST_TABLE = "inventory.policy_backtest"


def policy_backtest(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Every row of inventory.policy_backtest, by policy then target.

    A warehouse built before the backtest asset existed has no such table; the page then
    says so instead of failing, since the reorder list itself does not depend on it.

    Returns:
        The table's columns (policy, target_service_level, achieved_cycle_service_level,
        fill_rate, stockout_days, avg_inventory_value, skus, replay dates, large-order
        counts and rule); no rows when the table is absent or empty.
    """
    if not table_exists(con, BACKTEST_TABLE):
        return pl.DataFrame()
    return query(con, f"select * from {BACKTEST_TABLE} order by policy, target_service_level")
