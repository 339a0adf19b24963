"""The stock-risk tables of the tiny warehouse (overstock, the feedback guard) and the
columns they add to its reorder list.

Known answers: 2 SKUs overstocked, 60.00 + 25.00 = 85.00 tied beyond the cover, 1 slow
mover (21212), return credit 85.00, markdown proceeds 84.00 (21212 has no price); the guard
judged 3 SKUs and flags 2: 22423 (on the list, mean rating 1.5) and 21212 (not on it).
"""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl

from forecasting.feedback_guard import GUARD_SCHEMA
from forecasting.overstock import OVERSTOCK_SCHEMA
from warehouse.frames import write_frame

AS_OF = date(2011, 1, 10)
OVERSTOCK_ROWS = [
    # sku, description, supplier, on_hand, unit_cost, unit_price, daily_demand,
    # demand_basis, days_of_cover, cover_units, excess_units, excess_value, last_sale_date,
    # days_since_last_sale, no_recent_sale, return_credit, markdown_proceeds, as_of
    (
        "84879",
        "ASSORTED COLOUR BIRD ORNAMENT",
        "Pennine <Paper>",
        130,
        1.5,
        3.0,
        1.0,
        "forecast",
        130.0,
        90,
        40,
        60.0,
        date(2011, 1, 9),
        1,
        False,
        60.0,
        84.0,
        AS_OF,
    ),
    (
        "21212",
        "PACK OF 72 RETROSPOT CAKE CASES",
        "Lisbon",
        50,
        0.5,
        None,
        0.0,
        "own history",
        None,
        0,
        50,
        25.0,
        date(2010, 9, 1),
        131,
        True,
        25.0,
        None,
        AS_OF,
    ),
]
GUARD_ROWS = [
    {
        "sku": "22423",
        "recent_reviews": 6,
        "recent_mean_rating": 1.5,
        "usual_reviews": 40,
        "usual_mean_rating": 4.4,
        "rating_floor": 3.9,
        "rating_dropped": True,
        "review_before_reordering": True,
        "feedback_evidence": "Review before reordering: mean rating 1.5 from 6 reviews in the "
        "28 days to 2011-01-10, usually 4.4 (40 reviews before; flagged below 3.9).",
    },
    {
        "sku": "21212",
        "recent_orders": 12,
        "recent_return_rate": 0.3,
        "usual_orders": 80,
        "usual_return_rate": 0.02,
        "return_rate_ceiling": 0.1,
        "returns_rose": True,
        "review_before_reordering": True,
        "feedback_evidence": "Review before reordering: return rate 30.0 % over 12 orders ...",
    },
    {
        "sku": "85123A",
        "recent_reviews": 5,
        "recent_mean_rating": 4.2,
        "usual_reviews": 30,
        "usual_mean_rating": 4.5,
        "rating_floor": 3.8,
        "rating_dropped": False,
        "review_before_reordering": False,
    },
]
LIST_SQL = """
update inventory.reorder_recommendations set review_before_reordering = false;
update inventory.reorder_recommendations set high_value_revenue_share = 0.25 where sku = '85123A';
update inventory.reorder_recommendations set high_value_revenue_share = 0.6,
  review_before_reordering = true, feedback_evidence = (
    select feedback_evidence from inventory.feedback_guard where sku = '22423')
  where sku = '22423';
"""


def add_risk_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Write inventory.overstock and inventory.feedback_guard, and their list columns."""
    overstock = pl.DataFrame(OVERSTOCK_ROWS, schema=OVERSTOCK_SCHEMA, orient="row")
    guard = pl.DataFrame(
        [{**row, "window_start": date(2010, 12, 14), "as_of": AS_OF} for row in GUARD_ROWS],
        schema=GUARD_SCHEMA,
    )
    write_frame(con, "inventory", "overstock", overstock)
    write_frame(con, "inventory", "feedback_guard", guard)
    con.execute(LIST_SQL)
