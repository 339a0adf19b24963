"""The reorder list as the merchandiser plans from it: grouped by supplier, one purchase
order summary per supplier, filters by supplier, ABC class and urgency, and a narrow table
whose first screen fits a laptop and a phone.

Each row shows only the decision (SKU, how much, by when, value) and its one-sentence
reason; every number behind it is in the row's details, opened on demand. The SKU column
stays in place (frozen) if the table ever grows wider than the screen.

To add a column, add it to ``LIST_COLUMNS``; to add a detail, add it to ``DETAILS``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import polars as pl

from reports.pages.reorder.risk_section import fmt_review
from reports.site.format import (
    esc,
    fmt_date,
    fmt_int,
    fmt_money,
    fmt_number,
    fmt_pct,
    fmt_text,
    is_missing,
)
from reports.site.static_files import static_text

LIST_SCRIPT = "reorder_list.js"  # in reports/site/static/
TABLE_ID = "reorder-table"
URGENCY_ORDER = ("now", "before next review", "pulled forward")


def _sku_cell(row: dict[str, Any]) -> str:
    abc = f' <span class="abc">{esc(row["abc_class"])}</span>' if row.get("abc_class") else ""
    return (
        f'<b>{esc(row["sku"])}</b>{abc}<span class="sub">{esc(fmt_text(row["description"]))}</span>'
    )


def _order_cell(row: dict[str, Any]) -> str:
    flags = "".join(
        f'<span class="sub flag">{esc(flag)}</span>'
        for flag in (
            "deferred" if row.get("deferred") else "",
            fmt_review(row.get("review_before_reordering")),
        )
        if flag
    )
    return (
        f"<b>{esc(fmt_int(row['order_qty']))}</b>"
        f'<span class="sub">by {esc(fmt_date(row["order_by"]))}</span>'
        f'<span class="sub">{esc(fmt_money(row["order_value"]))}</span>{flags}'
    )


def _why_cell(row: dict[str, Any]) -> str:
    return (
        f"{esc(fmt_text(row['reason']))} "
        '<button type="button" class="more" data-details aria-expanded="false">details</button>'
    )


# (header, css class of the cells, the cell's HTML from the row's columns).
LIST_COLUMNS: tuple[tuple[str, str, Callable[[dict[str, Any]], str]], ...] = (
    ("SKU", "freeze", _sku_cell),
    ("Order", "num", _order_cell),
    ("Why", "why", _why_cell),
)

# (column, label, formatter): the numbers behind a row, shown when its details are opened.
DETAILS: tuple[tuple[str, str, Callable[[object], str]], ...] = (
    ("abc_class", "ABC class", fmt_text),
    ("urgency", "Urgency", fmt_text),
    ("needed_by", "Needed by (stock reaches the reorder point)", fmt_date),
    ("on_hand", "On hand", fmt_int),
    ("on_order", "On order", fmt_int),
    ("inventory_position", "Stock (on hand + on order)", fmt_int),
    ("reorder_point", "Reorder point", fmt_int),
    ("lead_time_days", "Lead time (days)", fmt_number),
    ("lead_time_demand", "Lead-time demand at the recent rate", fmt_int),
    ("safety_stock", "Safety stock", fmt_int),
    ("order_up_to", "Order-up-to level", fmt_int),
    ("days_of_cover", "Days on hand lasts at the forecast", fmt_number),
    ("projected_stockout_date", "Runs out at the forecast on", fmt_date),
    ("stockout_probability", "Chance past lead-time demand exceeded today's stock", fmt_pct),
    ("service_level", "Planned cycle service", fmt_pct),
    ("rounding", "Rounding", fmt_text),
    ("unit_cost", "Unit cost", fmt_money),
    ("supplier_minimum", "Supplier minimum", fmt_text),
    ("demand_pattern", "Demand pattern", fmt_text),
    ("change", "Since the previous list", fmt_text),
    ("high_value_revenue_share", "High-value customers' share of its revenue", fmt_pct),
    ("feedback_evidence", "Feedback", fmt_text),
)


def _details_row(row: dict[str, Any]) -> str:
    items = "".join(
        f"<div><dt>{esc(label)}</dt><dd>{esc(formatter(row.get(name)))}</dd></div>"
        for name, label, formatter in DETAILS
        if name in row
    )
    return (
        f'<tr class="details" hidden><td colspan="{len(LIST_COLUMNS)}">'
        f'<dl class="detail-grid">{items}</dl></td></tr>'
    )


def _line(row: dict[str, Any]) -> str:
    data = " ".join(
        f'data-{key}="{esc(fmt_text(row.get(key)))}"'
        for key in ("supplier", "abc_class", "urgency")
    )
    cells = "".join(f'<td class="{css}">{cell(row)}</td>' for _, css, cell in LIST_COLUMNS)
    deferred = " deferred" if row.get("deferred") else ""
    return f'<tr class="line{deferred}" {data}>{cells}</tr>{_details_row(row)}'


def _order_summary(order: dict[str, Any]) -> str:
    """e.g. "order 2011-12-12: 5 lines, 412.50 (2 pulled forward; minimum 150.00 met)"."""
    lines = f"{order['lines']} line{'s' if order['lines'] != 1 else ''}"
    notes = []
    if order["pulled_forward_lines"]:
        notes.append(f"{order['pulled_forward_lines']} pulled forward")
    minimum = _minimum_text(order)
    if minimum and order["meets_minimum"]:
        notes.append(f"minimum {minimum} met")
    elif minimum:
        notes.append(f"below the minimum {minimum}: no other SKU to pull forward")
    note = f" ({'; '.join(notes)})" if notes else ""
    return (
        f"order {fmt_date(order['order_date'])}: {lines}, {fmt_money(order['order_value'])}{note}"
    )


def _minimum_text(order: dict[str, Any]) -> str:
    parts = []
    if not is_missing(order["min_order_value"]) and order["min_order_value"] > 0:
        parts.append(fmt_money(order["min_order_value"]))
    if not is_missing(order["min_order_qty"]) and order["min_order_qty"] > 0:
        parts.append(f"{fmt_int(order['min_order_qty'])} units")
    return " and ".join(parts)


def _group(supplier: str, rows: pl.DataFrame, orders: pl.DataFrame) -> str:
    """One supplier's rows under a heading: its order days and orders in one line, each
    order's lines, value and minimum on demand."""
    placed = orders.filter(pl.col("supplier") == supplier)
    if placed.height:
        count = f"{placed.height} order{'s' if placed.height != 1 else ''}"
        each = "; ".join(_order_summary(order) for order in placed.iter_rows(named=True))
        summary = (
            f" · takes orders {esc(placed['order_days'][0])}"
            f'<details class="orders"><summary>{esc(count)}, '
            f"{esc(fmt_money(placed['order_value'].sum()))}</summary>{esc(each)}</details>"
        )
    else:
        summary = " · no order placed (all deferred)"
    heading = (
        f'<tr class="po-head"><th colspan="{len(LIST_COLUMNS)}" scope="rowgroup">'
        f"<b>{esc(supplier)}</b>{summary}</th></tr>"
    )
    body = "".join(_line(row) for row in rows.iter_rows(named=True))
    return f'<tbody data-supplier="{esc(supplier)}">{heading}{body}</tbody>'


def _select(key: str, label: str, every: str, values: Sequence[str]) -> str:
    """A filter: `every` (no filter), then each value; the label hides on a phone."""
    options = "".join(f'<option value="{esc(v)}">{esc(v)}</option>' for v in values)
    return (
        f'<label>{esc(label)} <select data-filter="{key}" aria-label="{esc(label)}">'
        f'<option value="">{esc(every)}</option>{options}</select></label>'
    )


def reorder_list(
    recommendations: pl.DataFrame,
    orders: pl.DataFrame,
    downloads: Sequence[tuple[str, str]],
) -> str:
    """The filters and the grouped, narrow reorder table with its script.

    Args:
        recommendations: the reorder list with its `change`, in the page's order (grouped
            by supplier; reports/pages/reorder/queries.py).
        orders: inventory.purchase_orders.
        downloads: (relative file name, link text) of the list's files beside the page.

    Returns:
        The HTML fragment.
    """
    suppliers = list(dict.fromkeys(recommendations["supplier"].fill_null("").to_list()))
    classes = sorted(recommendations["abc_class"].drop_nulls().unique().to_list())
    present = set(recommendations["urgency"].drop_nulls().to_list())
    urgencies = [urgency for urgency in URGENCY_ORDER if urgency in present]
    links = " · ".join(
        f'<a href="{esc(path)}" download data-download>{esc(text)}</a>' for path, text in downloads
    )
    tools = (
        f'<div class="tools reorder-tools">'
        f"{_select('supplier', 'Supplier', 'all suppliers', suppliers)}"
        f"{_select('abc_class', 'ABC class', 'all classes', classes)}"
        f"{_select('urgency', 'Urgency', 'any urgency', urgencies)}"
        f'<input type="search" data-filter-for="{TABLE_ID}" placeholder="Filter: SKU, words…" '
        f'aria-label="Filter the rows by SKU or words">'
        f'<span class="caption" data-count-for="{TABLE_ID}">all {recommendations.height} rows'
        f"</span><span>{links}</span></div>"
    )
    head = "".join(f'<th class="{css}">{esc(header)}</th>' for header, css, _ in LIST_COLUMNS)
    groups = "".join(
        _group(
            supplier, recommendations.filter(pl.col("supplier").fill_null("") == supplier), orders
        )
        for supplier in suppliers
    )
    # The list is already a file: the page's generic CSV button (static/table_csv.js) skips it.
    csv_file = f' data-csv-file="{esc(downloads[0][0])}"' if downloads else ""
    return (
        f'{tools}<div class="table-wrap"><table id="{TABLE_ID}" class="reorder-list"{csv_file}>'
        f"<thead><tr>{head}</tr></thead>{groups}</table></div>"
        f"\n<script>\n{static_text(LIST_SCRIPT)}</script>"
    )
