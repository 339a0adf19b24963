"""Where and when each theme is said: per week, and per category, SKU, carrier, region and
delivery outcome (late or on time).

Shares are of all texts in the same week (or category, carrier, ...): `text_share` =
the theme's texts / all texts there, `negative_share` = the theme's negative texts / all
texts there (how much of what customers said there was this complaint), `negative_rate`
= the theme's negative texts / the theme's texts. Texts with no theme count in the
totals only.
"""

from __future__ import annotations

import polars as pl

BREAKDOWN_DIMENSIONS = ("category", "sku", "carrier", "region", "delivery")


def _shares(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(
        (pl.col("texts") / pl.col("all_texts")).alias("text_share"),
        (pl.col("negative_texts") / pl.col("all_texts")).alias("negative_share"),
        pl.when(pl.col("texts") > 0)
        .then(pl.col("negative_texts") / pl.col("texts"))
        .alias("negative_rate"),
    )


def _counts(texts: pl.DataFrame, by: list[str]) -> pl.DataFrame:
    return texts.group_by(by).agg(
        pl.len().alias("texts"),
        pl.col("is_negative").fill_null(False).sum().alias("negative_texts"),
    )


def weekly_themes(texts: pl.DataFrame, themes: pl.DataFrame) -> pl.DataFrame:
    """One row per theme and week, every week from the first to the last text, zero-filled.

    Args:
        texts: marts.feedback_text rows (week, theme_id, is_negative).
        themes: the theme catalog (theme_id, theme).

    Returns:
        theme_id, theme, week, texts, negative_texts, all_texts, all_negative_texts,
        text_share, negative_share, negative_rate; sorted by theme_id, week.
    """
    if texts.is_empty() or themes.is_empty():
        schema = {"theme_id": pl.String, "theme": pl.String, "week": pl.Date}
        return _shares(
            pl.DataFrame(schema=schema).with_columns(
                *(pl.lit(0, pl.Int64).alias(c) for c in ("texts", "negative_texts", "all_texts")),
                pl.lit(0, pl.Int64).alias("all_negative_texts"),
            )
        )
    weeks = pl.date_range(texts["week"].min(), texts["week"].max(), "1w", eager=True).alias("week")
    spine = themes.select("theme_id", "theme").join(weeks.to_frame(), how="cross")
    totals = _counts(texts, ["week"]).rename(
        {"texts": "all_texts", "negative_texts": "all_negative_texts"}
    )
    per_theme = _counts(texts.filter(pl.col("theme_id").is_not_null()), ["theme_id", "week"])
    joined = (
        spine.join(per_theme, on=["theme_id", "week"], how="left")
        .join(totals, on="week", how="left")
        .with_columns(
            pl.col(c).fill_null(0)
            for c in ("texts", "negative_texts", "all_texts", "all_negative_texts")
        )
    )
    return (
        _shares(joined)
        .with_columns(
            # A week without texts has no share, rather than a share of zero.
            pl.when(pl.col("all_texts") > 0).then(pl.col(c)).alias(c)
            for c in ("text_share", "negative_share")
        )
        .sort("theme_id", "week")
    )


def theme_breakdown(texts: pl.DataFrame, themes: pl.DataFrame) -> pl.DataFrame:
    """One row per theme, dimension and value of that dimension with texts.

    Args:
        texts: marts.feedback_text rows (theme_id, is_negative and the dimensions).
        themes: the theme catalog (theme_id, theme).

    Returns:
        dimension (category, sku, carrier, region, delivery), value, theme_id, theme,
        texts, negative_texts, all_texts, text_share, negative_share, negative_rate.
        Texts without a value there (an NPS answer has no SKU) are left out of that
        dimension.
    """
    parts = []
    for dimension in BREAKDOWN_DIMENSIONS:
        known = texts.filter(pl.col(dimension).is_not_null()).rename({dimension: "value"})
        if known.is_empty():
            continue
        totals = known.group_by("value").agg(pl.len().alias("all_texts"))
        per_theme = _counts(known.filter(pl.col("theme_id").is_not_null()), ["value", "theme_id"])
        parts.append(
            per_theme.join(totals, on="value").with_columns(
                pl.lit(dimension).alias("dimension"), pl.col("value").cast(pl.String)
            )
        )
    columns = ["dimension", "value", "theme_id", "texts", "negative_texts", "all_texts"]
    if not parts:
        frame = pl.DataFrame(
            schema={"dimension": pl.String, "value": pl.String, "theme_id": pl.String}
        ).with_columns(
            pl.lit(0, pl.UInt32).alias(c) for c in ("texts", "negative_texts", "all_texts")
        )
    else:
        frame = pl.concat([p.select(columns) for p in parts], how="vertical_relaxed")
    return (
        _shares(frame.join(themes.select("theme_id", "theme"), on="theme_id"))
        .select(
            "dimension",
            "value",
            "theme_id",
            "theme",
            *columns[3:],
            "text_share",
            "negative_share",
            "negative_rate",
        )
        .sort("dimension", "theme_id", "value")
    )
