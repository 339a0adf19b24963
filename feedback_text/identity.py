"""A theme's identity from run to run, so its weekly trend compares like with like.

Themes are refitted every week (incremental/text_cadence.py; a night in between keeps the
fitted themes and their ids) and NMF numbers them arbitrarily. Each new theme is matched
to one of the previous run's by the cosine similarity of their top-term weights (one to
one, the best total similarity: the Hungarian assignment); a match at least
`MIN_SIMILARITY` similar keeps the previous theme's id. Unmatched themes get the next
unused id. A seeded theme's id is its name from the settings.
"""

from __future__ import annotations

import re

import numpy as np
from scipy.optimize import linear_sum_assignment

MIN_SIMILARITY = 0.3
_NUMBERED = re.compile(r"^theme_(\d+)$")


def term_similarity(a: dict[str, float], b: dict[str, float]) -> float:
    """Cosine similarity of two term -> weight maps (0 when they share no term)."""
    dot = sum(weight * b[term] for term, weight in a.items() if term in b)
    norm = np.sqrt(sum(w * w for w in a.values())) * np.sqrt(sum(w * w for w in b.values()))
    return float(dot / norm) if norm else 0.0


def theme_ids(
    new_terms: list[dict[str, float]],
    seeded: list[str | None],
    previous: dict[str, dict[str, float]],
) -> list[str]:
    """An id per new theme: its seed name, the matched previous id, or a new `theme_NN`.

    Args:
        new_terms: per new theme, its top terms and weights.
        seeded: per new theme, its seed name or None.
        previous: the previous run's theme id -> top terms and weights (seeded ones too).

    Returns:
        One id per new theme, all distinct.
    """
    ids: list[str | None] = list(seeded)
    free_new = [i for i, name in enumerate(seeded) if name is None]
    free_old = [theme for theme in sorted(previous) if theme not in set(seeded)]
    if free_new and free_old:
        similarity = np.array(
            [[term_similarity(new_terms[i], previous[old]) for old in free_old] for i in free_new]
        )
        rows, cols = linear_sum_assignment(-similarity)
        for row, col in zip(rows, cols, strict=True):
            if similarity[row, col] >= MIN_SIMILARITY:
                ids[free_new[row]] = free_old[col]
    used = [
        int(m.group(1)) for theme in [*previous, *ids] if theme and (m := _NUMBERED.match(theme))
    ]
    next_number = max(used, default=0) + 1
    for i, theme in enumerate(ids):
        if theme is None:
            ids[i] = f"theme_{next_number:02d}"
            next_number += 1
    return [str(theme) for theme in ids]
