"""The reorder page's section "what changed since the previous list": SKUs new on the list,
dropped from it, and whose order quantity went up or down (inventory.reorder_changes)."""

from __future__ import annotations

import polars as pl

from reports.pages.reorder.changes import CHANGE_KINDS, UNCHANGED
from reports.site import layout
from reports.site.format import esc, fmt_date, fmt_int, fmt_text, is_missing


def fmt_signed(value: object) -> str:
    """A change in units with its sign: +16, -8, 0."""
    return "–" if is_missing(value) else f"{round(float(value)):+,}"


CHANGE_COLUMNS: tuple[layout.Column, ...] = (
    ("sku", "SKU", fmt_text, "txt"),
    ("description", "Description", fmt_text, "wide"),
    ("change", "Change", fmt_text, "txt"),
    ("previous_order_qty", "Previous qty", fmt_int, "num"),
    ("order_qty", "Order qty", fmt_int, "num"),
    ("order_qty_change", "Qty change", fmt_signed, "num"),
)
HEADING = "<h2>What changed since the previous list</h2>"


def _summary(changes: pl.DataFrame) -> str:
    """'1 new, 1 dropped, 1 quantity up, 1 quantity down, 2 unchanged' (every kind named)."""
    counts = dict(changes["change"].value_counts().iter_rows())
    return ", ".join(f"{counts.get(kind, 0)} {kind}" for kind in CHANGE_KINDS)


def changes_section(changes: pl.DataFrame) -> str:
    """The SKUs that joined or left the list or changed quantity since the previous list.

    Args:
        changes: inventory.reorder_changes (one row per SKU on this list or the previous one,
            the same as_of and previous_as_of on every row).

    Returns:
        The section's HTML: the two lists' dates, a count of each kind of change and the table
        of the SKUs that changed; a sentence instead when there is no earlier list.
    """
    if changes.is_empty():
        return HEADING + layout.empty_note(
            "No change to show: neither this list nor an earlier archived list has a SKU on it."
        )
    as_of, previous = changes["as_of"][0], changes["previous_as_of"][0]
    if previous is None:
        return HEADING + layout.empty_note(
            f"No earlier list to compare with: this list (as of {fmt_date(as_of)}) is the "
            "first one archived. The next list will show what changed since it."
        )
    changed = changes.filter(pl.col("change") != UNCHANGED)
    table = layout.table(
        changed,
        CHANGE_COLUMNS,
        "No SKU joined or left the list, and no order quantity changed.",
        filters=f"SKUs that changed, {changes.height - changed.height} unchanged left out",
        table_id="changes-table",
    )
    return f"""{HEADING}
<p class="meta" data-changes>This list is as of {esc(fmt_date(as_of))}; the previous list is
as of {esc(fmt_date(previous))}: {esc(_summary(changes))}. New SKUs are on this list and were
not on the previous one; dropped SKUs were on the previous list and are not on this one.
Quantities are compared where both lists give one. Every list is kept as
reorder/&lt;as-of date&gt;.csv in the data directory.</p>
{table}"""
