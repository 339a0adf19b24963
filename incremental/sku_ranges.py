"""Full builds of the per-SKU daily marts in SKU ranges, so that memory grows with one range.

marts.sku_demand_daily and marts.sales_by_sku_daily compute each SKU apart (a day spine from
its first sale, its sales, its reversals) plus a few shop-wide facts (open days, the last
day). Built in one statement, DuckDB holds every SKU's spine, joins and final sort at once:
at 120,000 SKUs it ran out of its 6 GB memory cap (docs/performance.md, "SF30"). A ranged
build runs the same SQL model once per contiguous range of SKUs (the model reads only the
SKUs where `is_rebuilt_sku(sku)`, true for every SKU outside such a build) and appends the
ranges in ascending order, so the table stays stored in (sku, day) order, which the forecast
step's SKU-range reads rely on (assets/forecasts.py).

Exactness: a SKU's rows depend on its own lines and stock and on the shop-wide parts (the
macros shop_open_days and shop_last_order_day), which come from all lines whatever the
range; so the ranges' union equals one build of the whole table, row for row. The last
range is open above and holds a NULL sku too, which sorts last.

The shop-wide parts are the same for every range, so a ranged build computes them once into
temp tables and points the macros at those for its ranges: otherwise each range would scan
every order line again for them.

A ranged build runs with DuckDB's `partitioned_execution` optimizer turned off. DuckDB 2.0.1
plans the demand mart's stock sum (staging.stg_inventory, stored in snapshot-day order) as
one aggregate per date range, and each of them scans the whole table, filtering the dates
only after the scan: five scans of every inventory row per SKU range at SF30, so the cost
grew with the ranges times the rows. Without it the SF30 build takes about 40 % less CPU and
writes the same rows. Only the ranged build turns it off, the one place where it was
measured to matter (the figures, and what did not change with it off everywhere, are in
docs/performance.md, "DuckDB's partitioned_execution").
"""

from __future__ import annotations

import duckdb

from incremental.visitor_buckets import build_in_parts
from warehouse.connect import optimizer_off
from warehouse.frames import scalar
from warehouse.sql_text import in_key_range

# Order lines per SKU range. At SF10 (5M lines, 40,000 SKUs) a one-statement build of
# marts.sku_demand_daily peaked at 4.7 GB; 1M lines keep a range near 1 GB, well inside
# DuckDB's default 6 GB cap, and a shop of ten times the lines gets ten times the ranges.
RANGE_ROWS = 1_000_000

LINES = "staging.stg_order_lines"

# Each range's last SKU: the SKUs in sorted order, cut every `range_rows` lines.
RANGE_ENDS = f"""
select max(sku) as last_sku
from (
    select sku, sum(count(*)) over (order by sku) as running_lines
    from {LINES}
    where sku is not null
    group by sku
)
group by (running_lines - 1) // $range_rows
order by last_sku
"""

NO_SKU = "create or replace temp macro is_rebuilt_sku(sku) as false"
# The table macros (assets/sql/macros.sql) of the facts every range shares.
SHOP_WIDE = ("shop_open_days", "shop_last_order_day")
EVERY_SKU = "create or replace temp macro is_rebuilt_sku(sku) as true"


def _range_macro(after: str | None, last: str | None) -> str:
    """`is_rebuilt_sku` for the SKUs above `after` up to `last` (None: unbounded; the last
    range holds a NULL sku too)."""
    return (
        f"create or replace temp macro is_rebuilt_sku(sku) as ({in_key_range('sku', after, last)})"
    )


def range_ends(con: duckdb.DuckDBPyConnection, range_rows: int) -> list[str]:
    """The last SKU of each range of about `range_rows` order lines, ascending; [] when the
    lines fit in one range."""
    if scalar(con, f"select count(*) from {LINES}") <= range_rows:
        return []
    ends = con.execute(RANGE_ENDS, {"range_rows": range_rows}).fetchall()
    return [last_sku for (last_sku,) in ends]


def _shop_wide_once(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Compute each shop-wide macro's rows into a temp table and redefine the macro to read
    that table; returns the statements that put the macros back as they were."""
    restore = []
    for name in SHOP_WIDE:
        # the macro's body as the connection holds it (macros.sql, as prepared)
        body = scalar(
            con,
            "select macro_definition from duckdb_functions() "
            "where database_name = 'temp' and function_name = ?",
            [name],
        )
        restore.append(f"create or replace temp macro {name}(lines) as table {body}")
        con.execute(
            f"create or replace temp table {name}_once as "
            f"with lines as (select * from {LINES}) select * from {name}(lines)"
        )
        # the ranges' model still passes its lines; the rows computed once ignore them
        con.execute(
            f"create or replace temp macro {name}(lines) as table select * from {name}_once"
        )
    return restore


def build_full(con: duckdb.DuckDBPyConnection, table: str, sql: str, range_rows: int) -> int:
    """Replace `table` with the model `sql`, in SKU ranges when the order lines are more than
    `range_rows`; returns the rows written. Leaves `is_rebuilt_sku` true for every SKU and
    the shop-wide macros reading all lines again."""
    ends = range_ends(con, range_rows)
    if len(ends) <= 1:
        con.execute(f"create or replace table {table} as {sql}")
        return scalar(con, f"select count(*) from {table}")
    # the last range is open above: a SKU past the last end cannot be lost
    bounds = zip([None, *ends[:-1]], [*ends[:-1], None], strict=True)
    restore = _shop_wide_once(con)
    try:
        with optimizer_off(con, "partitioned_execution"):
            return build_in_parts(con, table, sql, NO_SKU, [_range_macro(*b) for b in bounds])
    finally:
        con.execute(EVERY_SKU)
        for statement in restore:
            con.execute(statement)
        for name in SHOP_WIDE:
            con.execute(f"drop table if exists {name}_once")
