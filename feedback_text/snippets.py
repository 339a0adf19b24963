"""Example snippets of a theme: its most typical texts, contact details masked."""

from __future__ import annotations

import polars as pl

from contract.personal_data import mask_contact_details

SNIPPETS = 3
MAX_CHARS = 160


def shorten(text: str) -> str:
    """The text masked of e-mail addresses and phone numbers, cut at a word near 160 chars."""
    masked = " ".join(mask_contact_details(text).split())
    if len(masked) <= MAX_CHARS:
        return masked
    return masked[:MAX_CHARS].rsplit(" ", 1)[0] + " …"


def theme_snippets(texts: pl.DataFrame) -> pl.DataFrame:
    """Per theme, its three heaviest distinct texts (ties by feedback_id).

    Args:
        texts: theme_id, theme_weight, feedback_id, text.

    Returns:
        theme_id, snippet_1, snippet_2, snippet_3 (NULL where a theme has fewer texts).
    """
    top = (
        texts.filter(pl.col("theme_id").is_not_null())
        .with_columns(pl.col("text").map_elements(shorten, return_dtype=pl.String))
        .sort(["theme_id", "theme_weight", "feedback_id"], descending=[False, True, False])
        .unique(["theme_id", "text"], keep="first", maintain_order=True)
        .group_by("theme_id", maintain_order=True)
        .head(SNIPPETS)
        .group_by("theme_id", maintain_order=True)
        .agg(pl.col("text"))
    )
    return top.select(
        "theme_id",
        *(
            pl.col("text").list.get(i, null_on_oob=True).alias(f"snippet_{i + 1}")
            for i in range(SNIPPETS)
        ),
    )
