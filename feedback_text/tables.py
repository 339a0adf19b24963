"""From the shop's texts to the feedback text marts: score, find themes, place them in
time and place, flag rises.

`build_feedback_tables` is the one entry: assets/feedback_text.py reads the texts and the
previous run's themes from the warehouse and writes what it returns. It fits the models
(`fit_text_models`) unless it is handed kept ones with the texts they scored before
(incremental/text_cadence.py decides); then only the other texts are scored.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import polars as pl

from config.settings_feedback import FeedbackSettings
from contract.personal_data import mask_contact_details
from feedback_text.alerts import theme_alerts, usual_ranges
from feedback_text.identity import theme_ids
from feedback_text.sentiment import SentimentModel, fit_sentiment, negative_probability
from feedback_text.snippets import theme_snippets
from feedback_text.themes import ThemeModel, assign_themes, fit_themes
from feedback_text.where import theme_breakdown, weekly_themes

NPS_DETRACTOR_MAX = 6
CATALOG_SCHEMA = {
    "theme_id": pl.String,
    "theme": pl.String,
    "seeded": pl.Boolean,
    "top_terms": pl.String,
    "term_weights": pl.String,
    "coherence": pl.Float64,
    "texts": pl.Int64,
    "negative_texts": pl.Int64,
    **{f"snippet_{i}": pl.String for i in (1, 2, 3)},
}
MODEL_SCHEMA = {
    "texts": pl.Int64,
    "rated_texts": pl.Int64,
    "trained_on": pl.Int64,
    "held_out": pl.Int64,
    "held_out_auc": pl.Float64,
    "held_out_accuracy": pl.Float64,
    "min_auc": pl.Float64,
    "negative_max_rating": pl.Int64,
    "signal_strong_enough": pl.Boolean,
    "themes": pl.Int64,
    "coherence": pl.Float64,
    "coherence_by_theme_count": pl.String,
}
NAME_TERMS = 3


# What the models give a text, kept in marts.feedback_text for the next run to reuse.
SCORES = {
    "negative_probability": pl.Float64,
    "theme_id": pl.String,
    "theme": pl.String,
    "theme_weight": pl.Float64,
}


@dataclass(frozen=True)
class FittedText:
    """What scores a text: the sentiment model (None when too few rated texts or one
    class), the themes, and each theme's id and name."""

    sentiment: SentimentModel | None
    themes: ThemeModel
    ids: list[str]
    names: list[str]


@dataclass(frozen=True)
class FeedbackTables:
    """The marts of one run (see assets/feedback_text.py for each table's grain), and the
    models that scored them."""

    texts: pl.DataFrame
    themes: pl.DataFrame
    weekly: pl.DataFrame
    alerts: pl.DataFrame
    breakdown: pl.DataFrame
    model: pl.DataFrame
    fitted: FittedText | None = None


def _newest(frame: pl.DataFrame, limit: int) -> pl.DataFrame:
    return frame.sort(["submitted_date", "feedback_id"], descending=True).head(limit)


def _sentiment(texts: pl.DataFrame, cfg: FeedbackSettings) -> SentimentModel | None:
    rated = _newest(texts.filter(pl.col("rating").is_not_null()), cfg.max_training_texts)
    negative = (rated["rating"] <= cfg.negative_max_rating).to_numpy()
    if rated.height < cfg.min_rated_texts or negative.all() or not negative.any():
        return None
    return fit_sentiment(rated["text"].to_list(), negative)


def _negative(texts: pl.DataFrame, model: SentimentModel | None, cfg: FeedbackSettings):
    """Whether each scored text is negative, and by what.

    The customer's own verdict comes first: a rating of `negative_max_rating` or less, or
    an NPS score of 6 or less (a detractor). A text without either (an unrated review, a
    comment) is negative when the model, if its signal is strong enough, says it is more
    likely negative than not; with a weak signal its negativity is unknown (NULL).
    """
    strong = bool(model and model.held_out_auc is not None and model.held_out_auc >= cfg.min_auc)
    by_model = pl.col("negative_probability") >= 0.5 if strong else pl.lit(None, pl.Boolean)
    source = (
        pl.when(pl.col("rating").is_not_null())
        .then(pl.lit("rating"))
        .when(pl.col("nps_score").is_not_null())
        .then(pl.lit("nps score"))
        .when(pl.lit(strong))
        .then(pl.lit("text model"))
    )
    negative = (
        pl.when(pl.col("rating").is_not_null())
        .then(pl.col("rating") <= cfg.negative_max_rating)
        .when(pl.col("nps_score").is_not_null())
        .then(pl.col("nps_score") <= NPS_DETRACTOR_MAX)
        .otherwise(by_model)
    )
    return texts.with_columns(negative.alias("is_negative"), source.alias("negative_from")), strong


def _scored_by(fitted: FittedText, texts: pl.DataFrame) -> pl.DataFrame:
    """The models' scores of these texts (the SCORES columns)."""
    text = texts["text"].to_list()
    probability = (
        negative_probability(fitted.sentiment, text)
        if fitted.sentiment
        else np.full(texts.height, np.nan)
    )
    best, weight = assign_themes(fitted.themes, text)
    id_of = np.array([*fitted.ids, None], dtype=object)
    name_of = np.array([*fitted.names, None], dtype=object)
    return pl.DataFrame(
        {
            "negative_probability": pl.Series(probability).fill_nan(None),
            "theme_id": id_of[best].tolist(),
            "theme": name_of[best].tolist(),
            "theme_weight": weight,
        },
        schema=SCORES,
    )


def _scores(texts: pl.DataFrame, fitted: FittedText, before: pl.DataFrame | None) -> pl.DataFrame:
    """The texts with their SCORES: those `before` holds (same feedback_id and text, scored
    by these models) keep theirs, the others are scored now."""
    if before is None or before.is_empty():
        return pl.concat([texts, _scored_by(fitted, texts)], how="horizontal")
    known = before.select("feedback_id", "text", *SCORES).unique(["feedback_id", "text"])
    rows = texts.with_row_index("_row").join(
        known.with_columns(pl.lit(True).alias("_known")),
        on=["feedback_id", "text"],
        how="left",
    )
    new = rows.filter(pl.col("_known").is_null())
    fresh = pl.concat([new.drop(*SCORES), _scored_by(fitted, new)], how="horizontal")
    return (
        pl.concat([rows.filter(pl.col("_known").is_not_null()), fresh.select(rows.columns)])
        .sort("_row")
        .drop("_row", "_known")
    )


def _theme_catalog(
    model: ThemeModel, ids: list[str], names: list[str], texts: pl.DataFrame
) -> pl.DataFrame:
    counts = texts.group_by("theme_id").agg(
        pl.len().alias("texts"),
        pl.col("is_negative").fill_null(False).sum().alias("negative_texts"),
    )
    return (
        pl.DataFrame(
            {
                "theme_id": ids,
                "theme": names,
                "seeded": [i < len(model.seeds) for i in range(len(ids))],
                "top_terms": [", ".join(terms) for terms in model.top_terms],
                "term_weights": [json.dumps(w, sort_keys=True) for w in model.term_weights],
                "coherence": model.coherence,
            },
            schema={
                name: CATALOG_SCHEMA[name]
                for name in CATALOG_SCHEMA
                if "snippet" not in name and "texts" not in name
            },
        )
        .join(counts, on="theme_id", how="left")
        .join(theme_snippets(texts), on="theme_id", how="left")
        .with_columns(pl.col("texts", "negative_texts").fill_null(0).cast(pl.Int64))
        .sort("theme_id")
    )


def fit_text_models(
    texts: pl.DataFrame, previous: dict[str, dict[str, float]], cfg: FeedbackSettings
) -> FittedText:
    """Fit the sentiment model and the themes on the newest texts (masked), and give each
    theme its id (the previous run's most similar theme's, see feedback_text/identity.py)."""
    fit_on = _newest(texts, cfg.max_theme_fit_texts)["text"].to_list()
    model = fit_themes(fit_on, cfg.theme_counts, cfg.themes, cfg.stop_words)
    if model.vectorizer is not None:
        # The words the frequency limits left out: only for inspection, and the largest
        # part of a kept model by far.
        model.vectorizer.stop_words_ = None
    seeded = [*model.seeds, *[None] * (model.count - len(model.seeds))]
    ids = theme_ids(model.term_weights, seeded, previous)
    names = [
        name or " / ".join(terms[:NAME_TERMS])
        for name, terms in zip(seeded, model.top_terms, strict=True)
    ]
    return FittedText(_sentiment(texts, cfg), model, ids, names)


def _model_row(
    texts, sentiment: SentimentModel | None, strong: bool, themes: ThemeModel, cfg
) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "texts": [texts.height],
            "rated_texts": [texts["rating"].is_not_null().sum()],
            "trained_on": [sentiment.trained_on if sentiment else 0],
            "held_out": [sentiment.held_out if sentiment else 0],
            "held_out_auc": [sentiment.held_out_auc if sentiment else None],
            "held_out_accuracy": [sentiment.held_out_accuracy if sentiment else None],
            "min_auc": [cfg.min_auc],
            "negative_max_rating": [cfg.negative_max_rating],
            "signal_strong_enough": [strong],
            "themes": [themes.count],
            "coherence": [float(np.mean(themes.coherence)) if themes.coherence else None],
            "coherence_by_theme_count": [json.dumps(themes.coherence_by_count)],
        },
        schema=MODEL_SCHEMA,
    )


def build_feedback_tables(
    texts: pl.DataFrame,
    previous: dict[str, dict[str, float]],
    cfg: FeedbackSettings,
    kept: FittedText | None = None,
    before: pl.DataFrame | None = None,
) -> FeedbackTables:
    """Score every text, find the themes, place them per week and per dimension, flag rises.

    Args:
        texts: one row per text: feedback_id, submitted_date, week, feedback_type,
            order_id, sku, category, carrier, region, delivery, rating, nps_score, text.
        previous: the previous run's theme id -> top-term weights (empty on a first run).
        cfg: the `feedback` settings.
        kept: fitted models to score with instead of fitting (None: fit them).
        before: with `kept`, the texts those models scored before (the last run's
            marts.feedback_text): their scores are kept, only the other texts are scored.

    Returns:
        The tables; empty ones (the same columns) when there are fewer than two texts.
    """
    if texts.height < 2:
        return _no_texts(texts, cfg)
    # Staging masks contact details already; a text from anywhere else is masked here, so
    # none reaches a theme's terms, a snippet or the marts.
    texts = texts.with_columns(
        pl.col("text").map_elements(mask_contact_details, return_dtype=pl.String)
    )
    fitted = kept or fit_text_models(texts, previous, cfg)
    scored = _scores(texts, fitted, before if kept else None)
    assigned, strong = _negative(scored, fitted.sentiment, cfg)
    assigned = assigned.select(
        *texts.columns,
        "negative_probability",
        "is_negative",
        "negative_from",
        "theme_id",
        "theme",
        "theme_weight",
    )
    catalog = _theme_catalog(fitted.themes, fitted.ids, fitted.names, assigned)
    weekly = usual_ranges(weekly_themes(assigned, catalog), cfg)
    return FeedbackTables(
        texts=assigned.sort("submitted_date", "feedback_id"),
        themes=catalog,
        weekly=weekly,
        alerts=theme_alerts(weekly),
        breakdown=theme_breakdown(assigned, catalog),
        model=_model_row(texts, fitted.sentiment, strong, fitted.themes, cfg),
        fitted=fitted,
    )


def _no_texts(texts: pl.DataFrame, cfg: FeedbackSettings) -> FeedbackTables:
    """The tables of a shop with fewer than two texts: no rows, the usual columns."""
    assigned = texts.clear().with_columns(
        pl.lit(None, pl.Float64).alias("negative_probability"),
        pl.lit(None, pl.Boolean).alias("is_negative"),
        pl.lit(None, pl.String).alias("negative_from"),
        pl.lit(None, pl.String).alias("theme_id"),
        pl.lit(None, pl.String).alias("theme"),
        pl.lit(None, pl.Float64).alias("theme_weight"),
    )
    catalog = pl.DataFrame(schema=CATALOG_SCHEMA)
    weekly = usual_ranges(weekly_themes(assigned, catalog), cfg)
    return FeedbackTables(
        texts=assigned,
        themes=catalog,
        weekly=weekly,
        alerts=theme_alerts(weekly),
        breakdown=theme_breakdown(assigned, catalog),
        model=pl.from_dicts(
            [{"texts": texts.height, "min_auc": cfg.min_auc, "signal_strong_enough": False}],
            schema=MODEL_SCHEMA,
        ),
    )
