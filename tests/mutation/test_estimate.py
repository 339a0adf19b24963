"""A package's score estimated from files run on samples and in full (mutation/estimate.py)."""

from __future__ import annotations

import pytest

from mutation.estimate import Stratum, estimate


def test_each_file_weighs_as_many_mutants_as_it_has():
    """Bug caught: pooling the sampled mutants (15 of 20 killed: 75 %) or averaging the
    files' scores (100 % and 50 %: 75 %), which lets a small file that is fully killed hide
    a large one that is half killed; a full run would find 110 of 210 (52 %)."""
    result = estimate([Stratum(good=10, run=10, mutants=10), Stratum(good=5, run=10, mutants=200)])
    assert result.score == pytest.approx(110 / 210)
    assert result.mutants == 210


def test_a_file_run_in_full_adds_no_uncertainty():
    """Bug caught: an interval around a score that is a count, not an estimate (every mutant
    of the file ran)."""
    result = estimate([Stratum(good=7, run=10, mutants=10)])
    assert (result.low, result.score, result.high) == pytest.approx((0.7, 0.7, 0.7))


def test_a_perfect_sample_still_has_an_interval():
    """Bug caught: ten kills out of ten sampled from 200 read as a certain 100 % (the plain
    binomial variance is zero there); the smoothed share keeps the interval open below."""
    result = estimate([Stratum(good=10, run=10, mutants=200)])
    assert result.score == 1.0
    assert 0.6 < result.low < 0.9
    assert result.high == 1.0


def test_nothing_run_is_no_estimate():
    """Bug caught: a division by zero, or a 0 % score, for a package none of whose files ran."""
    assert estimate([Stratum(good=0, run=0, mutants=30)]) is None
