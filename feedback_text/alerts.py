"""A theme whose share of negative texts rises beyond its usual range is flagged.

A week's usual range comes from the theme's weeks before it (settings
`feedback.alert_baseline_weeks`, weeks with texts only): their mean negative share plus
one standard deviation of it from week to week is the share a usual week draws from.
Its upper end is the share that a binomial draw over that week's texts reaches with a
probability below `alert_p_value` (0.001): an exact tail, so a quiet shop's few texts
and a rare complaint's small share are judged fairly, where a normal approximation flags
three texts in a hundred. A week is flagged above that end when it holds at least
`alert_min_negative_texts` negative texts of the theme; a theme needs
`alert_min_baseline_weeks` weeks of baseline first.
"""

from __future__ import annotations

import math

import polars as pl
from scipy.stats import binom

from config.settings_feedback import FeedbackSettings


def _ranges(shares: list[float | None], totals: list[int], cfg: FeedbackSettings):
    means, uppers = [], []
    for week, total in enumerate(totals):
        window = shares[max(0, week - cfg.alert_baseline_weeks) : week]
        baseline = [s for s in window if s is not None]
        if len(baseline) < cfg.alert_min_baseline_weeks or not total:
            means.append(None)
            uppers.append(None)
            continue
        mean = math.fsum(baseline) / len(baseline)
        spread = math.sqrt(math.fsum((s - mean) ** 2 for s in baseline) / (len(baseline) - 1))
        usual = min(mean + spread, 1.0)
        means.append(mean)
        # isf: the count that this week's texts exceed with probability <= alert_p_value
        uppers.append(float(binom.isf(cfg.alert_p_value, total, usual)) / total)
    return means, uppers


def usual_ranges(weekly: pl.DataFrame, cfg: FeedbackSettings) -> pl.DataFrame:
    """marts.feedback_themes with each week's usual range and whether it is flagged.

    Args:
        weekly: one row per theme and week (feedback_text/where.py), sorted by theme, week.
        cfg: the `feedback` settings.

    Returns:
        The rows with baseline_negative_share, usual_max_negative_share (NULL until the
        theme has enough baseline weeks) and flagged.
    """
    parts = []
    for _, rows in weekly.group_by("theme_id", maintain_order=True):
        means, uppers = _ranges(rows["negative_share"].to_list(), rows["all_texts"].to_list(), cfg)
        parts.append(
            rows.with_columns(
                pl.Series("baseline_negative_share", means, pl.Float64),
                pl.Series("usual_max_negative_share", uppers, pl.Float64),
            )
        )
    frame = (
        pl.concat(parts)
        if parts
        else weekly.with_columns(
            pl.lit(None, pl.Float64).alias("baseline_negative_share"),
            pl.lit(None, pl.Float64).alias("usual_max_negative_share"),
        )
    )
    flagged = (pl.col("negative_share") > pl.col("usual_max_negative_share")) & (
        pl.col("negative_texts") >= cfg.alert_min_negative_texts
    )
    return frame.with_columns(flagged.fill_null(False).alias("flagged"))


def theme_alerts(weekly: pl.DataFrame) -> pl.DataFrame:
    """One row per flagged theme and week (marts.feedback_theme_alerts), newest first."""
    return (
        weekly.filter(pl.col("flagged"))
        .select(
            "week",
            "theme_id",
            "theme",
            "negative_texts",
            "all_texts",
            "negative_share",
            "baseline_negative_share",
            "usual_max_negative_share",
        )
        .sort(["week", "theme_id"], descending=[True, False])
    )
