"""The review-text models on the weekly cadence (incremental/text_cadence.py): when they are
fitted again, that a kept night fits nothing, and that the texts a kept night scores get
what a full pass of the same models would give them."""

from __future__ import annotations

import datetime as dt
import random

import duckdb
import polars as pl
import pytest
from polars.testing import assert_frame_equal

import feedback_text.tables as text_tables
from assets.feedback_text import write_feedback_text_tables
from config.settings_feedback import FeedbackSettings
from feedback_text.tables import build_feedback_tables
from incremental import text_cadence
from incremental.text_cadence import decide_fit, kept_models, model_key

FIRST = dt.date(2024, 1, 1)
DAYS = 30
CFG = FeedbackSettings(themes={"delivery": ("late", "courier")}, theme_counts=(3, 4))
TOPICS = (
    ("late", "courier", "parcel", "waited", "tracking"),
    ("size", "small", "tight", "sleeves", "fit"),
    ("fabric", "soft", "cotton", "wash", "colour"),
    ("price", "cheap", "value", "money", "bargain"),
)
GOOD = ("lovely", "great", "perfect", "happy", "recommend")
BAD = ("awful", "disappointed", "broken", "poor", "return")


def _texts(days: int, per_day: int = 20, seed: int = 1) -> pl.DataFrame:
    """Reviews and NPS comments: a topic's words and a mood's words; the rating follows
    the mood. The same seed gives the same first days whatever `days` is."""
    rng = random.Random(seed)
    rows = []
    for day in range(days):
        submitted = FIRST + dt.timedelta(days=day)
        for i in range(per_day):
            bad = rng.random() < 0.3
            words = rng.sample(TOPICS[rng.randrange(4)], 3) + rng.sample(BAD if bad else GOOD, 2)
            review = i % 4 != 0
            rows.append(
                {
                    "feedback_id": f"F{day:03d}-{i:02d}",
                    "submitted_date": submitted,
                    "week": submitted - dt.timedelta(days=submitted.weekday()),
                    "feedback_type": "review" if review else "nps",
                    "order_id": None,
                    "sku": "A",
                    "category": None,
                    "carrier": None,
                    "region": None,
                    "delivery": None,
                    # every fifth review unrated: the model's call decides it
                    "rating": (1 if bad else 5) if review and i % 5 else None,
                    "nps_score": None,
                    "text": " ".join(words),
                }
            )
    strings = ("order_id", "category", "carrier", "region", "delivery")
    return pl.DataFrame(
        rows,
        schema_overrides={c: pl.String for c in strings}
        | {"rating": pl.Int64, "nps_score": pl.Int64},
    )


def _no_fit(*_args, **_kwargs):
    raise AssertionError("a kept night fitted a model")


# The cadence decision: every reason to fit, and the one to keep.

KEY = model_key(CFG)
THROUGH = FIRST + dt.timedelta(days=DAYS - 1)


def _decide(**changes):
    args = {
        "kept_key": KEY,
        "kept_through": THROUGH,
        "key": KEY,
        "texts_end": THROUGH + dt.timedelta(days=1),
        "every_days": 7,
        "forced": False,
    } | changes
    forced = args.pop("forced")
    return decide_fit(*args.values(), forced=forced)


def test_a_new_day_within_the_cadence_keeps_the_models():
    """Catches a cadence that fits every night anyway (the step costs what it did)."""
    assert not _decide().fit
    assert not _decide(texts_end=THROUGH + dt.timedelta(days=7)).fit


@pytest.mark.parametrize(
    ("changes", "bug"),
    [
        ({"forced": True}, "the weekly full_rebuild ignored"),
        ({"kept_key": None, "kept_through": None}, "no kept models read as kept ones"),
        ({"key": "other"}, "a settings or model-version change scored with the old models"),
        ({"texts_end": THROUGH + dt.timedelta(days=8)}, "models older than the cadence kept"),
        ({"texts_end": THROUGH - dt.timedelta(days=1)}, "texts back before the fit kept it"),
        ({"every_days": 0}, "backtest_every_days 0 (every run) ignored"),
        ({"texts_end": None}, "no texts compared as a kept night"),
    ],
)
def test_each_trigger_fits_again(changes, bug):
    """Catches, per case, the bug named in its parameters."""
    assert _decide(**changes).fit, bug


def test_the_key_follows_the_fit_settings_and_the_model_version_only(monkeypatch):
    """Catches a key blind to a setting the fit reads or to a code change (old models kept),
    or one that moves with the alert settings (a refit for nothing)."""
    assert model_key(CFG.model_copy(update={"theme_counts": (3,)})) != KEY
    assert model_key(CFG.model_copy(update={"negative_max_rating": 1})) != KEY
    assert model_key(CFG.model_copy(update={"alert_p_value": 0.01})) == KEY
    monkeypatch.setattr(text_cadence, "MODEL_VERSION", "next")
    assert model_key(CFG) != KEY


# Scoring with kept models.


@pytest.fixture(scope="module")
def fitted_night():
    """The night the models were fitted, on DAYS days of texts."""
    return build_feedback_tables(_texts(DAYS), {}, CFG)


def test_a_kept_night_scores_the_new_texts_as_a_full_pass_of_the_same_models(
    fitted_night, monkeypatch
):
    """Catches kept scores that drift from what the kept models give: new texts scored
    against the wrong columns or theme ids, old scores attached to the wrong texts, a
    changed text that keeps its old score, or a kept night that fits after all."""
    monkeypatch.setattr(text_tables, "fit_sentiment", _no_fit)
    monkeypatch.setattr(text_tables, "fit_themes", _no_fit)
    texts = _texts(DAYS + 1)
    # one old text edited since: scored again, not kept
    edited = "F003-01"
    texts = texts.with_columns(
        pl.when(pl.col("feedback_id") == edited)
        .then(pl.lit("awful broken parcel courier late"))
        .otherwise(pl.col("text"))
        .alias("text")
    )
    kept = fitted_night.fitted
    incremental = build_feedback_tables(texts, {}, CFG, kept, fitted_night.texts)
    full = build_feedback_tables(texts, {}, CFG, kept, None)
    assert incremental.texts.height == DAYS * 20 + 20
    # NMF's transform stops on the progress of its whole batch, so a text's theme weight
    # may move in the 7th digit with the texts scored beside it (seen at SF10: 6e-7); the
    # rest is exact.
    assert_frame_equal(
        incremental.texts.drop("theme_weight"), full.texts.drop("theme_weight"), check_exact=True
    )
    assert_frame_equal(
        incremental.texts.select("theme_weight"), full.texts.select("theme_weight"), abs_tol=1e-5
    )
    for name in ("themes", "weekly", "alerts", "breakdown", "model"):
        assert_frame_equal(getattr(incremental, name), getattr(full, name), check_exact=True)
    # the new day and the edited text were scored, and got themes
    assert incremental.texts.filter(pl.col("feedback_id") == edited)["theme_id"][0] == "delivery"
    assert incremental.themes["theme_id"].to_list() == fitted_night.themes["theme_id"].to_list()


# The step: what it keeps in the warehouse, and what it does with it.


def _staged(con: duckdb.DuckDBPyConnection, texts: pl.DataFrame) -> None:
    """The staging tables the step's query reads, holding `texts`."""
    con.execute("create schema if not exists staging; create schema if not exists marts")
    feedback = texts.select(
        "feedback_id",
        "submitted_date",
        "feedback_type",
        "order_id",
        "sku",
        "rating",
        "nps_score",
        pl.lit(None, pl.String).alias("title"),
        pl.col("text").alias("body"),
    )
    con.register("incoming", feedback.to_arrow())
    con.execute("create or replace table staging.stg_feedback as select * from incoming")
    con.execute(
        "create or replace table staging.stg_shipments (order_id varchar, delivered_at "
        "timestamp, promised_date date, carrier varchar, region varchar)"
    )
    con.execute("create or replace table staging.stg_catalog (sku varchar, category varchar)")


def test_the_step_keeps_its_models_until_the_cadence_or_a_full_rebuild_refits(monkeypatch):
    """Catches models not kept (or not read back) in build_state, a kept night that fits,
    a full_rebuild or an old fit that does not fit again, and marts of a kept night that
    differ from a fitted night's for the texts both hold."""
    con = duckdb.connect()
    _staged(con, _texts(DAYS))
    first, decision = write_feedback_text_tables(con, CFG, 7)
    assert decision.fit and kept_models(con).through == THROUGH

    fits = []
    real_fit = text_tables.fit_themes
    monkeypatch.setattr(text_tables, "fit_themes", lambda *a: fits.append(1) or real_fit(*a))
    _staged(con, _texts(DAYS + 1))
    kept_night, decision = write_feedback_text_tables(con, CFG, 7)
    assert not decision.fit and fits == []
    # the texts of the fitted night keep their scores; the themes their ids
    old = kept_night.texts.join(first.texts.select("feedback_id"), on="feedback_id")
    assert_frame_equal(
        old.drop("is_negative", "negative_from"), first.texts.drop("is_negative", "negative_from")
    )
    assert kept_models(con).through == THROUGH  # a kept night does not move the fit's day

    _, decision = write_feedback_text_tables(con, CFG, 7, forced=True)
    assert decision.fit and fits == [1]
    _staged(con, _texts(DAYS + 9))
    _, decision = write_feedback_text_tables(con, CFG, 7)
    assert decision.fit and fits == [1, 1]
    assert kept_models(con).through == THROUGH + dt.timedelta(days=9)
