"""Themes: seeded ones by their words, the others found by NMF on TF-IDF, their number
chosen by coherence.

A seeded theme (settings `feedback.themes`, e.g. `delivery: [late, parcel, courier]`)
holds every text that uses one of its words; a text using the words of several holds the
one whose words weigh most in it (the first seed on a tie). Seeding is a shop's way of
saying "I know this theme, count it for me", and a word list is what it can check.

The other texts are factorised by NMF for each candidate number of themes (settings
`feedback.theme_counts`, seeded themes included in the count); each candidate's themes
are scored by NPMI coherence (feedback_text/coherence.py) and the most coherent count is
kept. A text's theme is then the one with the largest weight; a text sharing no word with
any theme has none.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.decomposition import NMF
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer, TfidfVectorizer

from feedback_text.coherence import npmi_coherence

SEED = 0
TOP_TERMS = 10
TRANSFORM_BATCH = 50_000
# What masking leaves in place of contact details ("<phone masked>", staging's "[email]").
MASK_WORDS = frozenset({"masked", "phone", "email"})
MIN_FREE_TEXTS = 10
# Words of two or more letters in any alphabet: numbers (sizes, order numbers, what is
# left of a masked phone) are not themes.
WORD_PATTERN = (
    r"(?u)\b[^\W\d_]{2,}\b"  # fewer unseeded texts than this: no themes are searched for in them
)


@dataclass(frozen=True)
class ThemeModel:
    """Fitted themes (the seeded ones first): vocabulary, the seeds' word columns, the NMF
    of the other texts, and each theme's top terms, their weights and its coherence."""

    vectorizer: TfidfVectorizer | None
    seeds: tuple[str, ...]
    seed_counter: CountVectorizer | None
    seed_columns: tuple[tuple[int, ...], ...]
    nmf: NMF | None
    top_terms: list[list[str]]
    term_weights: list[dict[str, float]]
    coherence: list[float]
    coherence_by_count: dict[int, float]

    @property
    def count(self) -> int:
        return len(self.seeds) + (self.nmf.n_components if self.nmf else 0)


def theme_vectorizer(stop_words: str, texts: int) -> TfidfVectorizer:
    """Word TF-IDF for themes: words of letters in at least 5 texts (2 in a small shop) and at most a
    quarter of them, so words every text uses do not become themes."""
    return TfidfVectorizer(
        min_df=5 if texts >= 2_000 else 2,
        # A quarter of 8 texts is 2, the least min_df allows; fewer texts keep every word.
        max_df=0.25 if texts >= 8 else 1.0,
        stop_words=sorted(MASK_WORDS | (ENGLISH_STOP_WORDS if stop_words == "english" else set())),
        sublinear_tf=True,
        max_features=20_000,
        token_pattern=WORD_PATTERN,
        dtype=np.float32,
    )


def _top(weights: np.ndarray) -> np.ndarray:
    # Ties broken by the term's column, so the order is the same every run.
    order = np.lexsort((np.arange(weights.size), -weights))[:TOP_TERMS]
    return order[weights[order] > 0]


def seed_counter(
    seeds: dict[str, tuple[str, ...]],
) -> tuple[CountVectorizer, tuple[tuple[int, ...], ...]]:
    """Which seed words each text uses, whatever their frequency: a shop's seed word is
    counted even where the theme vectorizer's document-frequency limits leave it out."""
    words = sorted({w for seed in seeds.values() for w in seed})
    counter = CountVectorizer(vocabulary=words, token_pattern=WORD_PATTERN, binary=True)
    column = {w: i for i, w in enumerate(words)}
    return counter, tuple(tuple(sorted({column[w] for w in seed})) for seed in seeds.values())


def _seed_scores(presence: sp.csr_matrix, seed_columns: tuple[tuple[int, ...], ...]) -> np.ndarray:
    """Texts x seeds: how many of each seed's words each text uses."""
    if not seed_columns:
        return np.zeros((presence.shape[0], 0), dtype=np.float32)
    return np.column_stack(
        [np.asarray(presence[:, list(columns)].sum(axis=1)).ravel() for columns in seed_columns]
    )


def _best_nmf(tfidf: sp.csr_matrix, counts: list[int]) -> tuple[NMF | None, dict[int, float]]:
    """The candidate count whose themes are most coherent on these texts, and every score."""
    presence = (tfidf > 0).astype(np.float32).tocsc()
    best, scores = None, {}
    for count in counts:
        nmf = NMF(count, init="nndsvda", max_iter=400, random_state=SEED)
        with warnings.catch_warnings():
            # 400 iterations leave the top terms settled even where the loss still creeps
            # down; the warning would only repeat in every nightly log.
            warnings.simplefilter("ignore", ConvergenceWarning)
            nmf.fit(tfidf)
        scores[count] = float(np.mean(npmi_coherence(presence, [_top(c) for c in nmf.components_])))
        if best is None or scores[count] > scores[best.n_components]:
            best = nmf
    return best, scores


def fit_themes(
    texts: list[str], counts: tuple[int, ...], seeds: dict[str, tuple[str, ...]], stop_words: str
) -> ThemeModel:
    """Seeded themes by their words, then NMF themes on the other texts, most coherent count.

    Args:
        texts: the texts to find themes in.
        counts: candidate total numbers of themes (seeded ones included).
        seeds: seeded theme name -> its words (lower case); a seed none of whose words
            any text uses is dropped.
        stop_words: "english" or "none".

    Returns:
        The ThemeModel, with the mean coherence of every count tried.
    """
    vectorizer = theme_vectorizer(stop_words, len(texts))
    try:
        tfidf = vectorizer.fit_transform(texts).tocsr()
    except ValueError:
        # No word is used by enough texts (and few enough) to be a theme's: a shop with a
        # handful of texts, or only stop words. No themes, rather than a failed run.
        return ThemeModel(None, (), None, (), None, [], [], [], {})
    counter, columns = seed_counter(seeds) if seeds else (None, ())
    presence = counter.transform(texts).tocsr() if counter else None
    used = _seed_scores(presence, columns).sum(axis=0) if counter else []
    kept = {name: cols for name, cols, n in zip(seeds, columns, used, strict=True) if n > 0}
    counter = counter if kept else None
    seed_columns = tuple(kept.values())
    claimed = (
        _seed_scores(presence, seed_columns).max(axis=1) > 0
        if kept
        else np.zeros(tfidf.shape[0], dtype=bool)
    )
    free = tfidf[~claimed]
    # A small vocabulary caps the count: NMF needs fewer themes than words.
    free_counts = sorted(
        {min(c - len(kept), free.shape[1] - 1) for c in counts if c > len(kept)} - {0}
    )
    nmf, by_count = (None, {})
    if free.shape[0] >= MIN_FREE_TEXTS and free_counts:
        nmf, by_count = _best_nmf(free, free_counts)
    model = ThemeModel(vectorizer, tuple(kept), counter, seed_columns, nmf, [], [], [], {})
    best = theme_index(model, tfidf, presence)[0]
    components = [
        np.asarray(tfidf[best == i].mean(axis=0)).ravel()
        if (best == i).any()
        else np.zeros(tfidf.shape[1])
        for i in range(len(kept))
    ] + (list(nmf.components_) if nmf else [])
    tops = [_top(c) for c in components]
    terms = vectorizer.get_feature_names_out()
    weights = [
        {str(terms[t]): float(c[t]) for t in top} for c, top in zip(components, tops, strict=True)
    ]
    for i, columns in enumerate(seed_columns):
        # A seeded theme is named by its words first: the share of its texts using each.
        own = presence[best == i][:, list(columns)]
        shares = np.asarray(own.mean(axis=0)).ravel() if own.shape[0] else np.zeros(len(columns))
        seed_words = counter.get_feature_names_out()[list(columns)]
        used = {str(w): float(x) for w, x in zip(seed_words, shares, strict=True) if x > 0}
        weights[i] = dict(
            sorted(used.items(), key=lambda kv: (-kv[1], kv[0]))
            + [(t, w) for t, w in weights[i].items() if t not in used]
        )
        weights[i] = dict(list(weights[i].items())[:TOP_TERMS])
    return ThemeModel(
        vectorizer,
        tuple(kept),
        counter,
        seed_columns,
        nmf,
        [list(w) for w in weights],
        weights,
        npmi_coherence((tfidf > 0).astype(np.float32).tocsc(), tops) if tops else [],
        {count + len(kept): score for count, score in by_count.items()},
    )


def theme_index(
    model: ThemeModel, tfidf: sp.csr_matrix, presence: sp.csr_matrix | None
) -> tuple[np.ndarray, np.ndarray]:
    """Per text (TF-IDF rows, and seed-word presence rows when seeded), its theme's index
    and weight (NMF weight, or number of seed words); -1 and 0 for none."""
    seeded = (
        _seed_scores(presence, model.seed_columns)
        if model.seed_counter is not None
        else np.zeros((tfidf.shape[0], 0))
    )
    if model.nmf is not None:
        free = model.nmf.transform(tfidf)
    else:
        free = np.zeros((tfidf.shape[0], 0), dtype=np.float32)
    index = np.full(tfidf.shape[0], -1)
    weight = np.zeros(tfidf.shape[0], dtype=np.float64)
    if free.shape[1]:
        has_free = free.max(axis=1) > 0
        index[has_free] = len(model.seeds) + free.argmax(axis=1)[has_free]
        weight[has_free] = free.max(axis=1)[has_free]
    if seeded.shape[1]:
        has_seed = seeded.max(axis=1) > 0
        index[has_seed] = seeded.argmax(axis=1)[has_seed]
        weight[has_seed] = seeded.max(axis=1)[has_seed]
    return index, weight


def assign_themes(model: ThemeModel, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Per text, its theme's index (seeded themes first) and weight; -1 and 0 for a text
    sharing no word with any theme. In batches of 50,000 texts."""
    index = np.full(len(texts), -1)
    weight = np.zeros(len(texts), dtype=np.float64)
    if model.vectorizer is None:
        return index, weight
    for start in range(0, len(texts), TRANSFORM_BATCH):
        batch = texts[start : start + TRANSFORM_BATCH]
        presence = model.seed_counter.transform(batch).tocsr() if model.seed_counter else None
        found = theme_index(model, model.vectorizer.transform(batch).tocsr(), presence)
        index[start : start + len(batch)], weight[start : start + len(batch)] = found
    return index, weight
