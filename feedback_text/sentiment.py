"""Sentiment learned from the shop's own ratings: TF-IDF over hashed word and character
n-grams, then logistic regression.

Word unigrams and bigrams carry most of the signal in English; character n-grams inside
words (3-4 letters) carry it in languages that inflect or do not split words with spaces,
so no language list or model download is needed. Hashing (2^20 buckets per analyzer)
keeps memory flat however many texts come: there is no vocabulary to hold, and scoring
runs in batches.

The model is measured on a held-out fifth of the rated texts (a seeded random split by
text), then refitted on all of them to score every text: reviews with and without a
rating and NPS comments alike.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, roc_auc_score

SEED = 0
HELD_OUT_SHARE = 0.2
SCORE_BATCH = 50_000
_HASHERS = (
    HashingVectorizer(
        ngram_range=(1, 2), alternate_sign=False, n_features=2**20, norm=None, dtype=np.float32
    ),
    HashingVectorizer(
        analyzer="char_wb",
        ngram_range=(3, 4),
        alternate_sign=False,
        n_features=2**20,
        norm=None,
        dtype=np.float32,
    ),
)


@dataclass(frozen=True)
class SentimentModel:
    """A fitted sentiment model and how well it separated negative texts on held-out ones."""

    columns: np.ndarray
    idf: TfidfTransformer
    classifier: LogisticRegression
    held_out_auc: float | None
    held_out_accuracy: float | None
    trained_on: int
    held_out: int
    negative_share: float


def hashed_counts(texts: list[str]) -> sp.csr_matrix:
    """Word (1-2) and character (3-4, within words) n-gram counts of lower-cased texts."""
    lowered = [text.lower() for text in texts]
    return sp.hstack([hasher.transform(lowered) for hasher in _HASHERS], format="csr")


def _fit(
    counts: sp.csr_matrix, negative: np.ndarray
) -> tuple[np.ndarray, TfidfTransformer, LogisticRegression]:
    # Only the hash buckets the training texts use: the solver's cost grows with the
    # number of columns, and most of the 2 x 2^20 are empty.
    columns = np.unique(counts.indices)
    counts = counts[:, columns]
    idf = TfidfTransformer(sublinear_tf=True).fit(counts)
    # Balanced classes: negative texts are few, and the 0.5 cut should mean "more likely
    # negative than not" rather than "as rare as the training mix".
    classifier = LogisticRegression(C=2.0, class_weight="balanced", max_iter=300)
    classifier.fit(idf.transform(counts), negative)
    return columns, idf, classifier


def fit_sentiment(texts: list[str], negative: np.ndarray) -> SentimentModel:
    """Measure the model on a held-out fifth of the rated texts, then fit it on all of them.

    Args:
        texts: the rated texts.
        negative: True where the text's rating is negative (same order).

    Returns:
        The model fitted on every text given, with the held-out AUC and accuracy (None
        when the held-out part holds only one class).
    """
    negative = np.asarray(negative, dtype=bool)
    counts = hashed_counts(texts)
    held_out = np.random.default_rng(SEED).random(len(texts)) < HELD_OUT_SHARE
    auc = accuracy = None
    train, test = ~held_out, held_out
    if len(set(negative[train])) == 2 and len(set(negative[test])) == 2:
        columns, idf, classifier = _fit(counts[train], negative[train])
        features = idf.transform(counts[test][:, columns])
        probability = classifier.predict_proba(features)[:, 1]
        auc = float(roc_auc_score(negative[test], probability))
        accuracy = float(accuracy_score(negative[test], probability >= 0.5))
    columns, idf, classifier = _fit(counts, negative)
    return SentimentModel(
        columns,
        idf,
        classifier,
        auc,
        accuracy,
        int(train.sum()),
        int(test.sum()),
        float(negative.mean()) if negative.size else 0.0,
    )


def negative_probability(model: SentimentModel, texts: list[str]) -> np.ndarray:
    """The probability that each text is negative, scored in batches of 50,000 texts."""
    out = np.empty(len(texts), dtype=np.float64)
    for start in range(0, len(texts), SCORE_BATCH):
        batch = texts[start : start + SCORE_BATCH]
        features = model.idf.transform(hashed_counts(batch)[:, model.columns])
        out[start : start + len(batch)] = model.classifier.predict_proba(features)[:, 1]
    return out
