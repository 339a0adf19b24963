"""Reorder-page reads about stock risk: overstock, the feedback guard's flags and the policy
backtest's budget rows."""

from __future__ import annotations

import duckdb
import polars as pl

from reports.pages.reorder.policy_queries import BACKTEST_TABLE
from warehouse.frames import query, table_exists

OVERSTOCK_ROWS = 50  # the largest overstocks shown on the page


def overstock(con: duckdb.DuckDBPyConnection) -> tuple[pl.DataFrame, dict]:
    """(the largest overstocks by excess value, totals over every row of inventory.overstock:
    skus, excess_value, return_credit, markdown_proceeds, slow_movers, as_of)."""
    rows = query(
        con,
        "select * from inventory.overstock order by excess_value desc nulls last, sku limit ?",
        [OVERSTOCK_ROWS],
    )
    totals = query(
        con,
        "select count(*) as skus, sum(excess_value) as excess_value, "
        "sum(return_credit) as return_credit, sum(markdown_proceeds) as markdown_proceeds, "
        "count(*) filter (where no_recent_sale) as slow_movers, max(as_of) as as_of "
        "from inventory.overstock",
    ).row(0, named=True)
    return rows, totals


def flagged_skus(con: duckdb.DuckDBPyConnection) -> tuple[pl.DataFrame, int]:
    """(the SKUs the feedback guard flags, those on the reorder list first, with
    ``on_list``; how many SKUs it judged)."""
    flagged = query(
        con,
        "select g.sku, r.sku is not null as on_list, r.order_qty, g.feedback_evidence "
        "from inventory.feedback_guard as g "
        "left join inventory.reorder_recommendations as r using (sku) "
        "where g.review_before_reordering order by on_list desc, g.sku",
    )
    judged = query(con, "select count(*) as n from inventory.feedback_guard")["n"][0]
    return flagged, int(judged)


def budget_rows(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """The policy backtest's rows of the recommended policy without and under the budget,
    by target then policy; no rows when the backtest is missing or has no budget rows."""
    if not table_exists(con, BACKTEST_TABLE):
        return pl.DataFrame()
    rows = query(
        con,
        f"select * from {BACKTEST_TABLE} where policy like 'recommended%' "
        "order by target_service_level, policy",
    )
    if "budget_per_day" not in rows.columns or rows["budget_per_day"].is_null().all():
        return pl.DataFrame()
    return rows
