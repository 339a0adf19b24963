"""The text analysis on the real Women's E-Commerce Clothing Reviews (23,486 reviews, read
from ../shared/data beside the checkout: tests/real_data.py)."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from bench.text_analysis import read_clothing_reviews
from feedback_text.sentiment import fit_sentiment, negative_probability
from feedback_text.themes import fit_themes
from tests.real_data import shared_data

REVIEWS = "clothing_reviews/womens_clothing_reviews.csv"
FIT_WORDS = {"size", "small", "large", "runs", "fit", "tight", "big", "medium"}
QUALITY_WORDS = {"fabric", "quality", "material", "thin", "cheap", "itchy"}


@pytest.fixture(scope="module")
def reviews() -> pl.DataFrame:
    """Reviews with text: the title and the review joined, and the 1-5 star rating."""
    return read_clothing_reviews(shared_data(REVIEWS))


def test_the_text_model_tells_low_ratings_apart_on_held_out_reviews(reviews):
    """Catches a sentiment model that does not learn (AUC near 0.5) or leaks the held-out
    reviews into training (it would score every text, the held-out ones too, in-sample)."""
    model = fit_sentiment(reviews["text"].to_list(), (reviews["rating"] <= 2).to_numpy())
    assert model.held_out_auc >= 0.90, model.held_out_auc
    assert model.held_out_accuracy >= 0.85
    assert model.held_out == pytest.approx(0.2 * reviews.height, rel=0.05)
    scores = negative_probability(model, ["Runs small and the fabric is cheap, returned it.",
                                          "Love it, perfect fit and so soft!"])  # fmt: skip
    assert scores[0] > 0.5 > scores[1]


def test_fit_and_fabric_complaints_come_out_as_themes(reviews):
    """Catches themes that are only stop words, or miss what these reviews are known for."""
    model = fit_themes(reviews["text"].to_list(), (6, 8, 10, 12), {}, "english")
    tops = [set(terms) for terms in model.top_terms]
    assert any(len(terms & FIT_WORDS) >= 3 for terms in tops), model.top_terms
    assert any(len(terms & QUALITY_WORDS) >= 2 for terms in tops), model.top_terms
    # the kept count is the most coherent one tried, and its themes are coherent on average
    assert model.count == max(model.coherence_by_count, key=model.coherence_by_count.get)
    assert np.mean(model.coherence) > 0.05
