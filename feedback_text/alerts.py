"""A theme whose share of negative texts rises beyond its usual range is flagged.

The usual range of a week is drawn from the theme's weeks before it (settings
`feedback.alert_baseline_weeks`, weeks with texts only): their mean negative share plus
`alert_z` spreads, the spread being the larger of the week-to-week standard deviation
and the binomial sampling deviation of a share over that week's number of texts (a
quiet shop's share jumps by chance alone). A week is flagged when its negative share is
above the range and it holds at least `alert_min_negative_texts` negative texts of the
theme; a theme needs `alert_min_baseline_weeks` weeks of baseline first.
"""

from __future__ import annotations

import math

import polars as pl

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
        sampling = math.sqrt(max(mean * (1 - mean), 0.0) / total)
        means.append(mean)
        uppers.append(mean + cfg.alert_z * max(spread, sampling))
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
