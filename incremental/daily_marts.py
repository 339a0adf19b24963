"""The daily marts built by day range, and which days of their inputs each of their days reads.

A daily mart's rows for a day depend on its inputs' rows of that day and of earlier days (a
customer's first order, a SKU's first sale, a spine's first day), never on a later day's,
except through a window that reaches back from a later day: a purchase recovers carts of
the `cart_recovery_window_hours` before it, a cancellation reverses a sale of the
`reversal_window_hours` before it. So when the inputs of some days changed, recomputing
every day from the first changed day, moved back by the window, to the last day gives
exactly the rows of a rebuild from scratch (incremental/day_build.py).

Each input here is a query giving the input's rows with the mart day they count on, `day`.
It must cover every row and column the model reads (a wider query only costs time; the
narrow ones below read the columns their model reads, since reading every column of a few
scattered rows costs as much as a scan); a row that counts on no day (day NULL) is left
out; a row with day '-infinity' reaches every day, so its change rebuilds the mart in full.
The models say the same in their leading comment.
"""

from __future__ import annotations

from dataclasses import dataclass

# Rows of staging.stg_order_lines on their order day.
ORDER_LINES = "select order_date as day, * from staging.stg_order_lines"
SESSIONS = "select * from marts.sessions"
# A whole-table input: the catalog's category reaches every day of sales_by_sku_daily (the
# only columns it reads: a new catalog snapshot with the same categories changes nothing).
CATALOG = "select cast('-infinity' as date) as day, sku, category from staging.stg_catalog"


@dataclass(frozen=True)
class DailyMart:
    """A mart with a `day` column, rebuilt from the first day whose inputs changed."""

    table: str
    # input name -> query of its rows with the mart day each counts on (column `day`)
    inputs: tuple[tuple[str, str], ...]
    # the SQL variable (hours) of a window by which a changed day reaches back, if any
    window_hours_variable: str | None = None
    # columns whose set of values every day shares (a cross join): when the recomputed days
    # hold another set than the kept days, the mart is rebuilt in full
    same_on_every_day: tuple[str, ...] = ()
    # whether the model computes each SKU apart (`is_rebuilt_sku`): a full build of many
    # order lines then runs in SKU ranges (incremental/sku_ranges.py)
    per_sku: bool = False


DAILY_MARTS = {
    mart.table: mart
    for mart in (
        DailyMart("marts.funnel_daily", (("marts.sessions", SESSIONS),)),
        DailyMart("marts.conversion_daily", (("marts.sessions", SESSIONS),)),
        DailyMart(
            "marts.cart_abandonment_daily",
            (
                ("marts.sessions", SESSIONS),
                (
                    "purchases",
                    "select event_date as day, user_id, event_at from staging.stg_traffic_events "
                    "where event_name = 'purchase'",
                ),
            ),
            window_hours_variable="cart_recovery_window_hours",
        ),
        DailyMart(
            "marts.orders_daily",
            (("staging.stg_order_lines", ORDER_LINES),),
            same_on_every_day=("country",),
        ),
        DailyMart(
            "marts.orders_by_customer_type_daily",
            (("staging.stg_order_lines", ORDER_LINES),),
            same_on_every_day=("country",),
        ),
        DailyMart(
            "marts.sku_demand_daily",
            (
                ("staging.stg_order_lines", ORDER_LINES),
                (
                    "staging.stg_inventory",
                    "select snapshot_date as day, * from staging.stg_inventory",
                ),
            ),
            window_hours_variable="reversal_window_hours",
            per_sku=True,
        ),
        DailyMart(
            "marts.sales_by_sku_daily",
            (("staging.stg_order_lines", ORDER_LINES), ("staging.stg_catalog", CATALOG)),
            per_sku=True,
        ),
        DailyMart(
            "marts.feedback_daily",
            (
                ("staging.stg_order_lines", ORDER_LINES),
                # A review counts on its submission day and, as a reviewed order, on the
                # days its order was placed.
                (
                    "staging.stg_feedback",
                    "select submitted_date as day, * from staging.stg_feedback "
                    "union all select l.order_date as day, f.* from staging.stg_feedback as f "
                    "inner join (select distinct order_id, order_date "
                    "from staging.stg_order_lines) as l on f.order_id = l.order_id",
                ),
            ),
        ),
        # An order counts on the day of its first line; its lines and shipments count there.
        DailyMart(
            "marts.fulfilment_daily",
            (
                (
                    "staging.stg_order_lines",
                    "select min(order_date) over (partition by order_id) as day, * "
                    "from staging.stg_order_lines",
                ),
                (
                    "staging.stg_shipments",
                    "select o.day, s.* from staging.stg_shipments as s left join "
                    "(select order_id, min(order_date) as day from staging.stg_order_lines "
                    "group by order_id) as o on s.order_id = o.order_id",
                ),
            ),
        ),
    )
}
