"""Inventory layer, the policy backtest: past days replayed under the recommended and the
classic reorder policy. An evaluation like the model backtest, on the same weekly cadence
(incremental/backtest_cadence.py): other runs keep the last replay."""

import time

import dagster as dg
import duckdb
import polars as pl
from dagster_duckdb import DuckDBResource

from assets.inventory import catalog_or_assumed, planning_history
from assets.sql_asset import RebuildConfig
from assets.warehouse import last_metadata, table_result
from config.pools import DUCKDB_POOL
from config.resources import SettingsResource
from config.settings import Settings
from forecasting.buckets import planning_weekdays
from forecasting.policy_backtest import TABLE_SCHEMA as BACKTEST_SCHEMA
from forecasting.policy_backtest import policy_backtest as replay_policies
from forecasting.reorder_inputs import lead_trading_days, review_trading_days
from incremental.backtest_cadence import (
    POLICY_BACKTEST,
    BacktestInputs,
    decide_backtest,
    history_days,
    policy_settings_key,
    tables_present,
)
from incremental.written import replace_recorded
from warehouse.frames import query

KEY = ["inventory", "policy_backtest"]
TABLE = "inventory.policy_backtest"
REPLAY = "replay"  # the metadata entry that says which days were replayed
REPLAYED = "replayed"  # how that entry begins when the replay ran


def replay_terms(con: duckdb.DuckDBPyConnection, run_settings: Settings) -> pl.DataFrame:
    """sku, unit_value, lead_days (trading days), high_value_revenue_share: the terms of
    every product with a unit cost and a lead time (catalog, or assumed without one)."""
    cfg = run_settings.inventory
    terms = (
        catalog_or_assumed(con, cfg)
        .filter(
            pl.col("is_product")
            & (pl.col("unit_cost") > 0)
            & pl.col("lead_time_days").is_not_null()
        )
        .select("sku", pl.col("unit_cost").alias("unit_value"), "lead_time_days")
        .join(
            query(con, "select sku, high_value_revenue_share from inventory.sku_customer_value"),
            on="sku",
            how="left",
        )
    )
    # Lead times are calendar days in the catalog; the replay steps trading days.
    return terms.with_columns(
        pl.Series(
            "lead_days",
            lead_trading_days(
                terms["lead_time_days"].to_numpy(), planning_weekdays(run_settings.forecasting)
            ),
        )
    ).drop("lead_time_days")


# The SKUs with a sale on or before a day: whose catalog terms a replay to that day reads.
SOLD_BY = "select distinct sku from marts.sku_demand_daily where day <= ? and units_sold > 0"


def replay_inputs(
    con: duckdb.DuckDBPyConnection,
    terms: pl.DataFrame,
    run_settings: Settings,
    last: BacktestInputs | None,
) -> BacktestInputs:
    """What a replay would read now: the fingerprint of its settings and of the terms of the
    SKUs sold by the last replay's last day (today's when none), and the history's days."""
    start, end = history_days(con)
    sold_by = last.history_end if last is not None and last.history_end else end
    sold = terms.join(query(con, SOLD_BY, [sold_by]), on="sku", how="semi")
    replayed = sold.select("sku", "unit_value", "lead_days").sort("sku").write_csv()
    key = policy_settings_key(run_settings.inventory, run_settings.forecasting, replayed)
    return BacktestInputs(key, start, end)


@dg.asset(
    key=KEY,
    group_name="inventory",
    deps=[
        dg.AssetKey(["marts", "sku_demand_daily"]),
        dg.AssetKey(["staging", "stg_catalog"]),
        dg.AssetKey(["inventory", "sku_customer_value"]),
    ],
    pool=DUCKDB_POOL,
    kinds={"duckdb"},
    description=(
        "One row per reorder policy (recommended, classic, and recommended under a budget "
        "ranked by risk or by risk x customer value) and target service level: achieved "
        "cycle service, fill rate, stockout days, average stock value and lost sales (and the "
        "part high-value customers would have bought) when the last "
        "inventory.backtest_replay_days trading days are replayed with lost sales, stock "
        "valued at catalog unit cost (inventory.assumed_* terms without a catalog); "
        "replay_start and replay_end say which days. Empty when the history is too short to "
        "replay. Runs weekly with the model backtest (the weekly_backtest schedule); other "
        "runs keep it unless the inventory settings, the catalog terms or the history's first "
        "day changed (incremental/backtest_cadence.py)."
    ),
)
def policy_backtest(
    context: dg.AssetExecutionContext,
    config: RebuildConfig,
    settings: SettingsResource,
    duckdb: DuckDBResource,
):
    run_settings = settings.get()
    recorded = last_metadata(context.instance, KEY)
    last = BacktestInputs.from_metadata(recorded)
    with duckdb.get_connection() as con:
        terms = replay_terms(con, run_settings)
        now = replay_inputs(con, terms, run_settings, last)
        decision = decide_backtest(
            last,
            now,
            run_settings.forecasting.backtest_every_days,
            forced=config.full_rebuild,
            tables_present=tables_present(con, (TABLE,)),
            evaluation=POLICY_BACKTEST,
        )
        context.log.info(f"policy backtest: {decision.reason}")
        if not decision.run:
            # A kept replay carries forward what the replay it keeps saw and replayed.
            kept = {"build": "kept", "build_reason": decision.reason, REPLAY: recorded[REPLAY]}
            return table_result(con, *KEY, **kept, **last.as_metadata())
        demand = planning_history(con, run_settings.forecasting)
        # What this replay reads: the terms of the SKUs sold by today, its own last day.
        now = replay_inputs(con, terms, run_settings, None)
    table, replayed, seconds = _replay(demand, terms, run_settings)
    context.log.info(f"policy backtest {replayed} in {seconds:.1f} s")
    # A history too short to replay records no inputs, so the next run tries again.
    seen = now.as_metadata() if replayed.startswith(REPLAYED) else {}
    with duckdb.get_connection() as con:
        replace_recorded(con, *KEY, table)
        return table_result(
            con,
            *KEY,
            build="replay",
            build_reason=decision.reason,
            backtest_seconds=dg.MetadataValue.float(round(seconds, 2)),
            **{REPLAY: replayed},
            **seen,
        )


def _replay(
    demand: pl.DataFrame, terms: pl.DataFrame, run_settings: Settings
) -> tuple[pl.DataFrame, str, float]:
    """The replay's table, which days it replayed (or why none) and its seconds."""
    cfg = run_settings.inventory
    days = demand["day"].unique().sort()
    history_needed = cfg.backtest_distribution_days + cfg.backtest_replay_days
    started = time.perf_counter()
    if len(days) < history_needed:
        table = pl.DataFrame(schema=BACKTEST_SCHEMA)
        note = (
            f"not replayed: {len(days)} trading days of demand, {history_needed} needed "
            "(inventory.backtest_distribution_days + backtest_replay_days)"
        )
    else:
        review_days = review_trading_days(
            cfg.review_period_days, planning_weekdays(run_settings.forecasting)
        )
        replay_start, replay_end = days[-cfg.backtest_replay_days], days[-1]
        table = replay_policies(demand, terms, cfg, review_days, replay_start, replay_end)
        note = f"{REPLAYED} {replay_start}..{replay_end}"
    return table, note, time.perf_counter() - started
