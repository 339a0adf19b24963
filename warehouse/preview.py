"""A few rows of a frame as a Markdown table, the preview shown with a materialization."""

from __future__ import annotations

import polars as pl


def markdown_preview(frame: pl.DataFrame, rows: int = 5) -> str:
    """The first rows of a frame as a Markdown table (nulls blank, `|` escaped).

    Args:
        frame: any polars frame.
        rows: how many rows to show.

    Returns:
        The table's Markdown text, or "(no columns)" for a frame without columns.
    """
    head = frame.head(rows)
    if head.width == 0:
        return "(no columns)"
    cells = [[("" if v is None else str(v)) for v in row] for row in head.iter_rows()]
    lines = ["| " + " | ".join(head.columns) + " |", "|" + "---|" * head.width]
    lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in cells]
    return "\n".join(lines)
