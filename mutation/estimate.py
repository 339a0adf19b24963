"""A package's mutation score estimated from the files run so far, sampled or whole.

A full run of every mutant takes many hours on a small machine, so large files are run on
an evenly spread sample (`--limit N`). Each file is then a stratum: its score is its
sample's share of killed (or equivalent) mutants, weighted by how many mutants the file
has, so a 243-mutant file counts 20 times an 11-mutant one, as it would in a full run
(stratified sampling). The 95 % interval is the normal approximation of that weighted
mean, with the finite-population correction (a file run in full adds no uncertainty) and
each file's share smoothed as (k + 1) / (n + 2) for its variance, so a sample of ten kills
out of ten is not taken for certainty. Files never run are not in the estimate; the report
says how many mutants they hold.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Stratum:
    """One file's latest run: `good` of its `run` sampled mutants were killed (or are
    equivalent), out of the file's `mutants`."""

    good: int
    run: int
    mutants: int


@dataclass(frozen=True)
class Estimate:
    score: float
    low: float
    high: float
    mutants: int  # mutants in the files the estimate covers

    def text(self) -> str:
        return f"{100 * self.score:.0f} % ({100 * self.low:.0f}-{100 * self.high:.0f} %)"


def estimate(strata: list[Stratum]) -> Estimate | None:
    """The weighted score of the files in `strata` with its 95 % interval (None if none ran)."""
    strata = [s for s in strata if s.run]
    total = sum(s.mutants for s in strata)
    if not total:
        return None
    score = sum(s.mutants * s.good / s.run for s in strata) / total
    variance = 0.0
    for s in strata:
        smoothed = (s.good + 1) / (s.run + 2)
        correction = (s.mutants - s.run) / (s.mutants - 1) if s.mutants > 1 else 0.0
        variance += (s.mutants / total) ** 2 * smoothed * (1 - smoothed) / s.run * correction
    half = 1.96 * math.sqrt(variance)
    return Estimate(score, max(0.0, score - half), min(1.0, score + half), total)
