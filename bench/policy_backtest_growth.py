"""The policy backtest on synthetic demand of N SKUs: how its CPU time grows with the SKUs.

    .venv/bin/python -m bench.policy_backtest_growth 4000 12000 [--table DIR]

Each SKU sells a Poisson amount on about half of 300 trading days (its rate drawn from a
gamma distribution), with a unit value, a lead time of 5-25 trading days and a
high-value revenue share (so the budget rows are replayed too); default inventory
settings, the last 84 days replayed. Prints the CPU and wall seconds and the peak memory
of :func:`forecasting.policy_backtest.policy_backtest` per size; ``--table`` writes each
table as ``DIR/policy_backtest_<N>.parquet`` to compare two versions of the code.
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

import numpy as np
import polars as pl

from config.settings import InventorySettings
from forecasting.policy_backtest import policy_backtest

DAYS, REPLAY_DAYS, REVIEW_DAYS = 300, 84, 6


def synthetic_inputs(skus: int, seed: int = 1) -> tuple[pl.DataFrame, pl.DataFrame, pl.Series]:
    """(demand: sku, day, units; terms: sku, unit_value, lead_days, high_value_revenue_share;
    the trading days)."""
    rng = np.random.default_rng(seed)
    days = pl.date_range(pl.date(2024, 1, 1), pl.date(2025, 3, 1), eager=True)
    days = days.filter(days.dt.weekday() != 6).head(DAYS)
    rate = rng.gamma(0.5, 3.0, skus)[:, None]
    matrix = rng.poisson(rate * (rng.random((skus, len(days))) < 0.5)).astype(float)
    names = np.array([f"S{i:06d}" for i in range(skus)])
    sku_index, day_index = np.nonzero(matrix > 0)
    demand = pl.DataFrame(
        {
            "sku": names[sku_index],
            "day": days.gather(day_index),
            "units": matrix[sku_index, day_index],
        }
    )
    terms = pl.DataFrame(
        {
            "sku": names,
            "unit_value": rng.gamma(2.0, 5.0, skus),
            "lead_days": rng.choice([5, 10, 15, 25], skus),
            "high_value_revenue_share": rng.random(skus),
        }
    )
    return demand, terms, days


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("skus", type=int, nargs="+")
    parser.add_argument("--table", type=Path, help="write each table to this folder")
    args = parser.parse_args(argv)
    for skus in args.skus:
        demand, terms, days = synthetic_inputs(skus)
        cpu, wall = time.process_time(), time.perf_counter()
        table = policy_backtest(
            demand, terms, InventorySettings(), REVIEW_DAYS, days[-REPLAY_DAYS], days[-1]
        )
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        print(
            f"{skus} SKUs: {time.process_time() - cpu:.2f} CPU s, "
            f"{time.perf_counter() - wall:.1f} s wall, process peak {peak} MB"
        )
        if args.table:
            args.table.mkdir(parents=True, exist_ok=True)
            table.write_parquet(args.table / f"policy_backtest_{skus}.parquet")


if __name__ == "__main__":
    main()
