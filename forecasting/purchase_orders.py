"""Purchase orders per supplier: when each order line is placed, and the SKUs pulled forward
to meet a supplier's minimum order.

1. Order day. A SKU due for an order (:func:`forecasting.reorder.reorder_recommendations`)
   is needed by its ``needed_by`` day (when its stock reaches the reorder point; today if it
   already has). Its line goes on the supplier's purchase order of the last order day of the
   supplier on or before that day, not before ``as_of``; when the supplier takes no order
   in between, on its first order day after it (the line is then late, and says so).
2. Minimum. A purchase order (one supplier, one order day) below the supplier's minimum
   value or quantity pulls SKUs of the same supplier forward: those not due yet that reach
   their reorder point within the forecast, the one needed soonest first (ties by code),
   each with the order it would get there, until the minimum is met or no SKU is left (then
   the order stays below its minimum and ``inventory.purchase_orders`` says so).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from forecasting.suppliers import WEEKDAY_NAMES

PO_SCHEMA: dict[str, pl.DataType] = {
    "supplier": pl.String(),
    "order_date": pl.Date(),
    "lines": pl.Int64(),
    "units": pl.Int64(),
    "order_value": pl.Float64(),
    "pulled_forward_lines": pl.Int64(),
    "min_order_value": pl.Float64(),
    "min_order_qty": pl.Int64(),
    "meets_minimum": pl.Boolean(),
    "order_days": pl.String(),
    "expected_delivery": pl.Date(),
}


def order_day(needed_by: dt.date, as_of: dt.date, order_days: list[int]) -> dt.date:
    """The supplier's last order day in [as_of, needed_by], else its first one after it."""
    day = max(needed_by, as_of)
    while day >= as_of:
        if day.isoweekday() in order_days:
            return day
        day -= dt.timedelta(days=1)
    day = max(needed_by, as_of) + dt.timedelta(days=1)
    while day.isoweekday() not in order_days:
        day += dt.timedelta(days=1)
    return day


def minimum_text(min_value: float, min_qty: int) -> str | None:
    """The minimum in words, e.g. "250.00", "100 units" or "250.00 and 100 units"."""
    parts = ([f"{min_value:,.2f}"] if min_value > 0 else []) + (
        [f"{min_qty:,} units"] if min_qty > 0 else []
    )
    return " and ".join(parts) or None


def weekdays_text(order_days: list[int]) -> str:
    """ISO weekdays as "Mon, Thu"; "every day" for all seven."""
    if len(order_days) == 7:
        return "every day"
    return ", ".join(WEEKDAY_NAMES[day - 1][:3].title() for day in order_days)


def schedule_orders(
    due: pl.DataFrame, candidates: pl.DataFrame, terms: pl.DataFrame, as_of: dt.date
) -> pl.DataFrame:
    """Put each due order on a supplier's order day and pull SKUs forward to the minimums.

    Args:
        due: one row per SKU to order: sku, supplier, needed_by, order_qty, unit_cost and
            any other columns (kept).
        candidates: the same columns for SKUs not due, each with the order_qty it would
            get at its reorder point and its needed_by.
        terms: :func:`forecasting.suppliers.supplier_terms` of every supplier named.
        as_of: today: no order is placed before it.

    Returns:
        The due rows and the pulled-forward ones, plus order_by (the purchase order's day,
        one of the supplier's order days), pulled_forward and supplier_minimum (the
        minimum in words, null without one), sorted by order_by, supplier, sku.
    """
    by_supplier = {row["supplier"]: row for row in terms.iter_rows(named=True)}
    placed = due.with_columns(
        pl.struct("needed_by", "supplier")
        .map_elements(
            lambda row: order_day(
                row["needed_by"], as_of, by_supplier[row["supplier"]]["order_days"]
            ),
            return_dtype=pl.Date,
        )
        .alias("order_by"),
        pl.lit(False).alias("pulled_forward"),
    )
    waiting = candidates.sort("needed_by", "sku")
    pulled = []
    for (day, supplier), lines in placed.sort("order_by", "supplier").group_by(
        "order_by", "supplier", maintain_order=True
    ):
        rule = by_supplier[supplier]
        value = float((lines["order_qty"] * lines["unit_cost"]).sum())
        units = int(lines["order_qty"].sum())
        pool = waiting.filter(pl.col("supplier") == supplier)
        for row in pool.iter_rows(named=True):
            if value >= rule["min_order_value"] - 1e-9 and units >= rule["min_order_qty"]:
                break
            pulled.append({**row, "order_by": day, "pulled_forward": True})
            value += row["order_qty"] * row["unit_cost"]
            units += row["order_qty"]
        waiting = waiting.filter(~pl.col("sku").is_in([r["sku"] for r in pulled]))
    lines = (
        pl.concat([placed, pl.DataFrame(pulled, schema=placed.schema)], how="vertical")
        if pulled
        else placed
    )
    minimums = terms.select(
        "supplier",
        pl.struct("min_order_value", "min_order_qty")
        .map_elements(
            lambda t: minimum_text(t["min_order_value"], t["min_order_qty"]),
            return_dtype=pl.String,
        )
        .alias("supplier_minimum"),
    )
    return lines.join(minimums, on="supplier", how="left").sort("order_by", "supplier", "sku")


def purchase_orders(lines: pl.DataFrame, terms: pl.DataFrame) -> pl.DataFrame:
    """One row per supplier and order date: the draft purchase orders of funded lines.

    Args:
        lines: the reorder list (sku, supplier, order_by, order_qty, order_value,
            pulled_forward, lead_time_days, deferred); deferred lines are left out.
        terms: :func:`forecasting.suppliers.supplier_terms`.

    Returns:
        The columns of ``PO_SCHEMA``: lines, units and value (cents) per order, how many
        lines were pulled forward, the supplier's minimums and whether the order meets
        them, its order days, and the expected delivery (order date + the longest lead
        time of its lines), sorted by order_date, supplier.
    """
    funded = lines.filter(~pl.col("deferred").fill_null(False) & (pl.col("order_qty") > 0))
    if funded.is_empty():
        return pl.DataFrame(schema=PO_SCHEMA)
    orders = (
        funded.group_by("supplier", pl.col("order_by").alias("order_date"))
        .agg(
            pl.len().cast(pl.Int64).alias("lines"),
            pl.col("order_qty").sum().cast(pl.Int64).alias("units"),
            pl.col("order_value").sort_by("sku").sum().round(2).alias("order_value"),
            pl.col("pulled_forward").sum().cast(pl.Int64).alias("pulled_forward_lines"),
            pl.col("lead_time_days").max().alias("lead_time_days"),
        )
        .join(terms, on="supplier", how="left")
    )
    return (
        orders.with_columns(
            (
                (pl.col("order_value") >= pl.col("min_order_value") - 1e-9)
                & (pl.col("units") >= pl.col("min_order_qty"))
            ).alias("meets_minimum"),
            pl.col("order_days").map_elements(
                lambda days: weekdays_text(list(days)), return_dtype=pl.String
            ),
            (
                pl.col("order_date")
                + pl.duration(days=pl.col("lead_time_days").ceil().cast(pl.Int64))
            ).alias("expected_delivery"),
        )
        .select(pl.col(name).cast(dtype) for name, dtype in PO_SCHEMA.items())
        .sort("order_date", "supplier")
    )
