"""Policy backtest on the real Online Retail data in the reference setup, with wall times.

    .venv/bin/python bench/policy_backtest.py [ONLINE_RETAIL_PARQUET]

The reference setup (docs/inventory.md) is the one the reference figures below were
measured in: trading days only, 2011-12-09 dropped (a partial day), non-product codes,
cancellations, stock adjustments and sales reversed within 24 h excluded; lead time 7
trading days for every SKU; replay 2011-09-02..2011-12-08, re-planned every 28 trading
days; stock valued at each SKU's median selling price (the data has no costs).

Prints two tables, each with both policies at targets 0.80/0.90/0.95/0.98: with no demand
cleansing (every unit served from stock; its classic 0.95 row is the sanity check against the
reference figures: cycle service 0.71, fill rate 0.81, average stock GBP 690k), and the table
inventory.policy_backtest holds (large one-off orders made to order under both policies).
For each, which recommended rows dominate the classic row at 0.95; then wall times.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from pathlib import Path

import numpy as np
import polars as pl

from config.settings import InventorySettings
from forecasting.order_line_demand import order_line_demand
from forecasting.policy_backtest import demand_matrix, policy_backtest
from forecasting.policy_levels import large_order_thresholds
from forecasting.recommended_policy import RecommendedPolicyRule
from simulator.catalog import is_product_expr
from simulator.online_retail import online_retail_to_canonical

DEFAULT_PARQUET = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "data"
    / "online_retail"
    / "online_retail.parquet"
)
LEAD_DAYS = 7
REVIEW_DAYS = 7
REPLAY = (dt.date(2011, 9, 2), dt.date(2011, 12, 8))
# The inventory settings' defaults are the reference setup: targets 0.80/0.90/0.95/0.98,
# re-planned every 28 days, 56-day classic window, 112-day distribution, large orders 10x.
SETTINGS = InventorySettings()
RULE = RecommendedPolicyRule.from_settings(SETTINGS, REVIEW_DAYS)
SHOWN = [
    "policy",
    "target_service_level",
    "achieved_cycle_service_level",
    "fill_rate",
    "stockout_days",
    "avg_inventory_value",
    "skus",
    "replay_start",
    "replay_end",
    "replenishment_cycles",
    "large_orders_flagged",
    "large_order_units",
]


def dominating_rows(table: pl.DataFrame, target: float = 0.95) -> pl.DataFrame:
    """Recommended rows with no more stock and higher fill rate and cycle service than classic at target."""
    classic = table.filter(
        (pl.col("policy") == "classic") & (pl.col("target_service_level") == target)
    ).row(0, named=True)
    return table.filter(
        (pl.col("policy") == "recommended")
        & (pl.col("avg_inventory_value") <= classic["avg_inventory_value"])
        & (pl.col("fill_rate") > classic["fill_rate"])
        & (pl.col("achieved_cycle_service_level") > classic["achieved_cycle_service_level"])
    )


def demand_growth(demand: pl.DataFrame) -> list[float]:
    """Per planning period: cleansed replayed demand / the trailing mean it was planned on."""
    _, days, matrix = demand_matrix(demand)
    start = int(np.searchsorted(days, np.datetime64(REPLAY[0], "D")))
    first_sale = np.argmax(matrix > 0, axis=1)
    # the SKUs the backtest replays
    matrix = matrix[start - first_sale >= SETTINGS.backtest_history_days]
    every = SETTINGS.backtest_replan_every_days
    ratios = []
    for plan in range(0, len(days) - start, every):
        history = matrix[:, : start + plan]
        threshold = large_order_thresholds(
            history[:, -RULE.distribution_history_days :],
            RULE.large_order_multiple,
            RULE.large_order_quantile,
        )[:, None]
        period = matrix[:, start + plan : start + plan + every]
        planned = np.where(history > threshold, 0, history)[:, -RULE.level_history_days :]
        ratios.append(
            float(
                np.where(period > threshold, 0, period).sum()
                / (planned.mean(1).sum() * period.shape[1])
            )
        )
    return ratios


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("parquet", nargs="?", default=str(DEFAULT_PARQUET))
    args = parser.parse_args()
    pl.Config.set_tbl_rows(20).set_tbl_cols(20).set_tbl_width_chars(250).set_float_precision(3)

    started = time.perf_counter()
    lines = online_retail_to_canonical(pl.read_parquet(args.parquet)).with_columns(
        is_product_expr(pl.col("sku")).alias("is_product")
    )
    demand, prices = order_line_demand(lines, drop_days=[dt.date(2011, 12, 9)])
    terms = prices.select(
        "sku", pl.col("unit_price").alias("unit_value"), pl.lit(LEAD_DAYS).alias("lead_days")
    )
    prepared = time.perf_counter()

    every_unit_from_stock = InventorySettings(backtest_large_order_multiple=None)
    uncleansed = policy_backtest(demand, terms, every_unit_from_stock, REVIEW_DAYS, *REPLAY)
    sanity = time.perf_counter()
    table = policy_backtest(demand, terms, SETTINGS, REVIEW_DAYS, *REPLAY)
    finished = time.perf_counter()

    print(
        "No demand cleansing (reference figures, classic 0.95: cycle service 0.71, fill 0.81, stock GBP 690k):"
    )
    print(uncleansed.select(SHOWN))
    print(
        f"recommended rows dominating classic at 0.95: {dominating_rows(uncleansed)['target_service_level'].to_list()}"
    )
    print(f"\ninventory.policy_backtest (large orders: {RULE.large_order_text()}):")
    print(table.select(SHOWN))
    print(
        table.select(
            "policy", "target_service_level", "orders_placed", "units_demanded", "units_lost"
        )
    )
    growth = ", ".join(f"{r:.2f}" for r in demand_growth(demand))
    print(
        f"\ncleansed demand per planning period / the trailing mean it was planned on (replayed SKUs): {growth}"
    )
    winners = dominating_rows(table)
    print(
        f"\nrecommended rows dominating classic at 0.95: {winners['target_service_level'].to_list()}"
    )
    print(
        f"wall time: read + clean {prepared - started:.1f} s; backtest of {len(SETTINGS.backtest_targets)} targets x 2 "
        f"policies: no cleansing {sanity - prepared:.1f} s, with cleansing {finished - sanity:.1f} s"
    )


if __name__ == "__main__":
    main()
