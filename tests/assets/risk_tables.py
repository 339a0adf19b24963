"""Empty inventory.sku_customer_value and inventory.feedback_guard for hand-made warehouses:
the reorder list and the policy backtest read them (no customer values, no flags)."""

import duckdb
import polars as pl

from forecasting.customer_value import SKU_VALUE_SCHEMA
from forecasting.feedback_guard import GUARD_SCHEMA
from warehouse.frames import write_frame


def create_empty_risk_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create both tables, without rows, in the existing schema `inventory`."""
    write_frame(con, "inventory", "sku_customer_value", pl.DataFrame(schema=SKU_VALUE_SCHEMA))
    write_frame(con, "inventory", "feedback_guard", pl.DataFrame(schema=GUARD_SCHEMA))
