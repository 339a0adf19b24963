"""The CLV fits run their optimiser on one BLAS thread."""

import pytest
from threadpoolctl import threadpool_info

from forecasting.clv.fitting import fit_by_maximum_likelihood


def test_the_optimiser_runs_on_one_blas_thread():
    """Bug caught: the fits left on OpenBLAS's threads, which spin on the other core after
    each of L-BFGS-B's small BLAS calls: clv_marts cost twice the CPU for the same bits."""
    threads = []

    def log_likelihood(params):
        if not threads:
            threads.append(
                {lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"}
            )
        return -((params - 2.0) ** 2)  # peaked at 2

    fit = fit_by_maximum_likelihood("peak", ["a"], log_likelihood, customers=1)
    assert threads == [{1}]
    assert fit.params["a"] == pytest.approx(2.0)
