"""Theme coherence: how often a theme's top terms are used together in the same texts.

NPMI (normalised pointwise mutual information) of every pair of a theme's top terms,
averaged: 1 when two terms only ever occur together, 0 when they occur together as often
as chance would have it, -1 when never together. Computed on the texts the themes were
fitted on (document co-occurrence), as Bouma (2009) and Röder et al. (2015) define it.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp


def npmi_coherence(presence: sp.csc_matrix, top_terms: list[np.ndarray]) -> list[float]:
    """Mean NPMI over the pairs of each theme's top terms.

    Args:
        presence: texts x terms, 1 where the term occurs in the text (CSC).
        top_terms: per theme, the column indices of its top terms.

    Returns:
        One coherence per theme, in [-1, 1].
    """
    texts = presence.shape[0]
    used = sorted({int(t) for terms in top_terms for t in terms})
    column = {term: i for i, term in enumerate(used)}
    sub = presence[:, used].astype(np.float64)
    together = (sub.T @ sub).toarray() / texts
    alone = np.diag(together).copy()
    scores = []
    for terms in top_terms:
        pairs = []
        for a_pos, a in enumerate(terms):
            for b in terms[a_pos + 1 :]:
                i, j = column[int(a)], column[int(b)]
                joint = together[i, j]
                if joint <= 0:
                    pairs.append(-1.0)
                elif joint >= 1:
                    pairs.append(1.0)
                else:
                    pairs.append(float(np.log(joint / (alone[i] * alone[j])) / -np.log(joint)))
        scores.append(float(np.mean(pairs)) if pairs else 0.0)
    return scores
