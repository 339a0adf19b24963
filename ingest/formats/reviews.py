"""Product review exports: the Women's E-Commerce Clothing Reviews layout and a plain one.

Clothing Reviews header: `,Clothing ID,Age,Title,Review Text,Rating,Recommended IND,
Positive Feedback Count,Division Name,Department Name,Class Name` (the first column is
an unnamed row index). A plain review export names its columns `rating, title, text,
product, date` and optionally `order` and `id`. Both are one format with column aliases:
they carry the same facts under different names.

Neither layout has to carry a date or an id: without a date column a review is dated
the export day (the file name) at 00:00; without an id column its id is the file and
line (`feedback/2024-01-05.csv:2`), so the same review exported on two days counts twice
unless the export has ids.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from ingest.formats.base import ExportFormat
from ingest.formats.columns import export_day_start, find, missing, text
from ingest.source import LINE

# Contract column -> the names it has in review exports, preferred first. No alias equals a
# contract column name, so a generic-contract feedback file is never taken for reviews.
ALIASES: dict[str, tuple[str, ...]] = {
    "feedback_id": ("", "Unnamed: 0", "review_id", "id"),
    "submitted_at": ("date", "review_date", "created_at"),
    "sku": ("Clothing ID", "product", "product_id"),
    "rating": ("Rating", "stars"),
    "title": ("Title", "review_title"),
    "body": ("Review Text", "text", "review"),
    "order_id": ("order", "order_id"),
}
SOURCE_REQUIRED = {name: ALIASES[name] for name in ("sku", "rating", "body")}


def missing_columns(kind: str, header: list[str], config: Mapping[str, Any]) -> list[str]:
    return missing(header, SOURCE_REQUIRED)


def to_contract(kind: str, frame: pl.DataFrame, config: Mapping[str, Any]) -> pl.DataFrame:
    line_id = pl.concat_str([pl.col("_file"), pl.col(LINE).cast(pl.String())], separator=":")
    has_id = find(frame.columns, *ALIASES["feedback_id"]) is not None
    has_date = find(frame.columns, *ALIASES["submitted_at"]) is not None
    return frame.select(
        feedback_id=text(frame, *ALIASES["feedback_id"]) if has_id else line_id,
        submitted_at=(
            text(frame, *ALIASES["submitted_at"])
            if has_date
            else export_day_start().cast(pl.String())
        ),
        feedback_type=pl.lit("review"),
        order_id=text(frame, *ALIASES["order_id"]),
        sku=text(frame, *ALIASES["sku"]),
        rating=text(frame, *ALIASES["rating"]),
        title=text(frame, *ALIASES["title"]),
        body=text(frame, *ALIASES["body"]),
        **{LINE: pl.col(LINE)},
    )


FORMAT = ExportFormat("reviews", ("feedback",), missing_columns, to_contract)
