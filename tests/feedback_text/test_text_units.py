"""The parts of the feedback text analysis on small exact inputs: theme identity from run
to run, the usual range of a theme's negative share, the shares per week and dimension,
masked snippets, and a shop without texts."""

from __future__ import annotations

import datetime as dt

import polars as pl

from config.settings_feedback import FeedbackSettings
from feedback_text.alerts import theme_alerts, usual_ranges
from feedback_text.identity import theme_ids
from feedback_text.snippets import theme_snippets
from feedback_text.tables import build_feedback_tables
from feedback_text.where import theme_breakdown, weekly_themes

MONDAY = dt.date(2024, 1, 1)
CATALOG = pl.DataFrame({"theme_id": ["delivery", "theme_01"], "theme": ["delivery", "fit"]})


def test_a_refitted_theme_keeps_the_id_of_its_most_similar_predecessor():
    """Catches themes renumbered by NMF's arbitrary order, which breaks every trend."""
    previous = {
        "theme_03": {"size": 1.0, "small": 0.8, "large": 0.5},
        "theme_07": {"fabric": 1.0, "thin": 0.7},
        "delivery": {"late": 1.0},
    }
    new = [
        {"late": 1.0, "parcel": 0.5},
        {"fabric": 0.9, "cheap": 0.4},
        {"colour": 1.0},
        {"small": 1.0, "size": 0.9},
    ]
    ids = theme_ids(new, ["delivery", None, None, None], previous)
    assert ids == ["delivery", "theme_07", "theme_08", "theme_03"]


def _weekly_texts(negatives: list[int], totals: list[int]) -> pl.DataFrame:
    rows = []
    for week, (negative, total) in enumerate(zip(negatives, totals, strict=True)):
        for i in range(total):
            rows.append(
                {
                    "feedback_id": f"{week}-{i}",
                    "week": MONDAY + dt.timedelta(weeks=week),
                    "theme_id": "delivery" if i < negative + 2 else "theme_01",
                    "is_negative": i < negative,
                }
            )
    return pl.DataFrame(rows)


def test_a_rise_beyond_the_usual_range_is_flagged_and_a_steady_share_is_not():
    """Catches an alert that fires on noise, or misses a week whose complaints tripled."""
    cfg = FeedbackSettings(alert_min_baseline_weeks=4, alert_min_negative_texts=3)
    texts = _weekly_texts([2, 3, 2, 3, 2, 12], [40] * 6)
    weekly = usual_ranges(weekly_themes(texts, CATALOG), cfg)
    delivery = weekly.filter(pl.col("theme_id") == "delivery")
    assert delivery["negative_share"].to_list() == [0.05, 0.075, 0.05, 0.075, 0.05, 0.3]
    assert delivery["flagged"].to_list() == [False] * 5 + [True]
    alerts = theme_alerts(weekly)
    assert alerts.select("week", "theme_id").rows() == [
        (MONDAY + dt.timedelta(weeks=5), "delivery")
    ]
    # the baseline of week 6: mean of 5 %, 7.5 %, 5 %, 7.5 %, 5 % = 6 %
    assert abs(alerts["baseline_negative_share"][0] - 0.06) < 1e-12


def test_weeks_without_texts_are_on_the_spine_with_no_share():
    """Catches a quiet week read as a week without complaints (share 0) by the alerts."""
    texts = _weekly_texts([1, 0, 1], [5, 0, 5])
    weekly = weekly_themes(texts, CATALOG).filter(pl.col("theme_id") == "delivery")
    assert weekly["week"].to_list() == [MONDAY + dt.timedelta(weeks=w) for w in range(3)]
    assert weekly["negative_share"].to_list() == [0.2, None, 0.2]


def test_breakdown_shares_are_of_the_texts_there():
    """Catches a share taken over the theme's texts instead of the late deliveries' texts."""
    texts = pl.DataFrame(
        {
            "feedback_id": ["a", "b", "c", "d", "e"],
            "theme_id": ["delivery", "delivery", "theme_01", "delivery", None],
            "is_negative": [True, False, True, False, True],
            "category": [None] * 5,
            "sku": ["S1", "S1", "S2", None, None],
            "carrier": ["DHL"] * 5,
            "region": ["uk"] * 5,
            "delivery": ["late", "late", "late", "on time", "on time"],
        }
    )
    shares = theme_breakdown(texts, CATALOG).filter(
        (pl.col("dimension") == "delivery") & (pl.col("theme_id") == "delivery")
    )
    assert shares.select(
        "value", "texts", "negative_texts", "all_texts", "negative_share"
    ).rows() == [
        ("late", 2, 1, 3, 1 / 3),
        ("on time", 1, 0, 2, 0.0),
    ]


def test_snippets_are_masked_distinct_and_the_heaviest():
    texts = pl.DataFrame(
        {
            "feedback_id": ["1", "2", "3", "4", "5"],
            "theme_id": ["t"] * 5,
            "theme_weight": [0.9, 0.8, 0.8, 0.5, 0.1],
            "text": [
                "Late again, call me on +44 20 7946 0958",
                "Same",
                "Same",
                "Write to a.b@example.com",
                "x",
            ],
        }
    )
    row = theme_snippets(texts).row(0, named=True)
    assert row["snippet_1"] == "Late again, call me on <phone masked>"
    assert row["snippet_2"] == "Same"
    assert row["snippet_3"] == "Write to <email masked>"


def test_a_shop_without_texts_gets_empty_tables_with_their_columns():
    """Catches a first run (no feedback export yet) that fails instead of publishing."""
    empty = pl.DataFrame(
        schema={
            "feedback_id": pl.String, "submitted_date": pl.Date, "week": pl.Date,
            "feedback_type": pl.String, "order_id": pl.String, "sku": pl.String,
            "category": pl.String, "carrier": pl.String, "region": pl.String,
            "delivery": pl.String, "rating": pl.Int64, "nps_score": pl.Int64, "text": pl.String,
        }
    )  # fmt: skip
    tables = build_feedback_tables(empty, {}, FeedbackSettings())
    assert tables.texts.is_empty() and tables.themes.is_empty() and tables.alerts.is_empty()
    assert "theme_id" in tables.texts.columns and "negative_share" in tables.weekly.columns
    assert tables.model.row(0, named=True)["signal_strong_enough"] is False


def test_a_handful_of_texts_gets_no_themes_rather_than_a_failed_run():
    """Catches the vectorizer's 'empty vocabulary' error failing a small shop's nightly run."""
    texts = pl.DataFrame(
        {
            "feedback_id": ["F1", "F2", "F3"],
            "submitted_date": [MONDAY] * 3,
            "week": [MONDAY] * 3,
            "feedback_type": ["review"] * 3,
            "order_id": [None] * 3, "sku": ["A"] * 3, "category": [None] * 3,
            "carrier": [None] * 3, "region": [None] * 3, "delivery": [None] * 3,
            "rating": [5, 1, 4],
            "nps_score": [None] * 3,
            "text": ["lovely", "lovely", "lovely"],
        },
        schema_overrides={c: pl.String for c in ("order_id", "category", "carrier", "region", "delivery")}
        | {"nps_score": pl.Int64},
    )  # fmt: skip
    tables = build_feedback_tables(texts, {}, FeedbackSettings())
    assert tables.themes.is_empty() and tables.texts["theme_id"].null_count() == 3
    assert tables.texts["is_negative"].to_list() == [False, True, False]  # by their ratings
