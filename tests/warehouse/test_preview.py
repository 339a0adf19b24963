"""markdown_preview(): the rows a materialization shows, as a Markdown table."""

from __future__ import annotations

import polars as pl

from warehouse.preview import markdown_preview


def test_nulls_are_blank_and_pipes_escaped():
    frame = pl.DataFrame({"sku": ["A|1", "B", "C"], "units": [1, None, 3]})
    assert markdown_preview(frame, rows=2) == "| sku | units |\n|---|---|\n| A\\|1 | 1 |\n| B |  |"


def test_a_frame_without_columns():
    assert markdown_preview(pl.DataFrame()) == "(no columns)"
