"""CLV model fit time and peak memory: the 2,357 CDNOW customers and simulated customers.

    .venv/bin/python bench/clv_fit.py [--customers N] [--pareto-customers M] [--repeats R] [--seed S]

CDNOW: the raw transactions are summarised (calibration end 1997-09-30, weeks) and
BG/NBD, Pareto/NBD and Gamma-Gamma are fitted R times each; the median is printed.
Simulated: N customers drawn from the BG/NBD generative process with the published CDNOW
parameters (vectorized, below), fitted once by BG/NBD; the estimates should come back
close to the parameters they were drawn with. Pareto/NBD is fitted on the first M of them:
its likelihood evaluates two Gauss hypergeometric functions per customer (scipy's hyp2f1,
a few microseconds each), so its fit time grows linearly and dominates at this size. Peak memory is the
process's peak resident set (getrusage) and the peak of Python allocations during each
fit (tracemalloc, which sees numpy's arrays).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
import tracemalloc
from datetime import date
from pathlib import Path

import numpy as np

from forecasting.clv import bgnbd, gamma_gamma, pareto_nbd
from forecasting.clv.cdnow import read_cdnow
from forecasting.clv.summary import clv_summary
from forecasting.clv.validation import summary_arrays

CDNOW = Path(__file__).resolve().parents[2] / "shared" / "data" / "cdnow" / "CDNOW_sample.txt"
CDNOW_BGNBD = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}


def simulate_bgnbd(
    customers: int, params: dict[str, float], seed: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Frequency, recency and age of customers drawn from the BG/NBD process.

    Each customer buys at rate lambda ~ Gamma(r, alpha) and drops out after each repeat
    purchase with probability p ~ Beta(a, b), so they would make J ~ Geometric(p) repeat
    purchases if watched forever. First purchases are spread over 12 weeks before a
    39-week calibration end, as in CDNOW. Given N(T) ~ Poisson(lambda T) purchases in
    [0, T], x = min(N, J), and the x-th of N uniform arrival times is T Beta(x, N - x + 1).
    """
    rng = np.random.default_rng(seed)
    rate = rng.gamma(params["r"], 1.0 / params["alpha"], customers)
    dropout = rng.beta(params["a"], params["b"], customers)
    T = 39.0 - rng.uniform(0.0, 12.0, customers)
    arrivals = rng.poisson(rate * T)
    lifetime_purchases = rng.geometric(dropout)
    x = np.minimum(arrivals, lifetime_purchases)
    bought = x > 0
    t_x = np.zeros(customers)
    t_x[bought] = T[bought] * rng.beta(x[bought], arrivals[bought] - x[bought] + 1)
    return x.astype(float), t_x, T


def measured(fit, *args):
    """Run one fit; return (FitResult, seconds, peak traced MB)."""
    tracemalloc.start()
    started = time.perf_counter()
    result = fit(*args)
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, seconds, peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--pareto-customers", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    summary = clv_summary(read_cdnow(CDNOW), date(1997, 9, 30), date(1998, 6, 30), "W")
    x, t_x, T = summary_arrays(summary)
    spend = summary.customers["monetary_value"].to_numpy()
    print(f"CDNOW: {summary.customers.height:,} customers, median of {args.repeats} fits")
    for name, fit, inputs in (
        ("bgnbd", bgnbd.fit, (x, t_x, T)),
        ("pareto_nbd", pareto_nbd.fit, (x, t_x, T)),
        ("gamma_gamma", gamma_gamma.fit, (x, spend)),
    ):
        runs = [measured(fit, *inputs) for _ in range(args.repeats)]
        params = ", ".join(f"{k}={v:.4g}" for k, v in runs[0][0].params.items())
        print(
            f"  {name:<12} {statistics.median(r[1] for r in runs):7.3f} s   peak traced "
            f"{max(r[2] for r in runs):7.1f} MB   {params}"
        )

    started = time.perf_counter()
    x, t_x, T = simulate_bgnbd(args.customers, CDNOW_BGNBD, args.seed)
    print(
        f"simulated: {args.customers:,} customers from BG/NBD {CDNOW_BGNBD} in "
        f"{time.perf_counter() - started:.2f} s ({int((x > 0).sum()):,} repeat buyers)"
    )
    subset = slice(0, min(args.pareto_customers, args.customers))
    for name, fit, size in (
        ("bgnbd", bgnbd.fit, slice(None)),
        ("pareto_nbd", pareto_nbd.fit, subset),
    ):
        result, seconds, peak = measured(fit, x[size], t_x[size], T[size])
        params = ", ".join(f"{k}={v:.4g}" for k, v in result.params.items())
        print(
            f"  {name:<12} {result.customers:>9,} customers {seconds:8.2f} s   peak traced {peak:7.1f} MB"
            f"   converged={result.converged}   {params}"
        )
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"process peak resident memory: {peak_rss:,.0f} MB")


if __name__ == "__main__":
    main()
