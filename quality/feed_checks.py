"""Dagster checks for the feed rules in quality/feed_rules.py (plain SQL, not GX: they
compare tables or days, see that module).

Blocking: sessions cover orders (marts.conversion_daily), inventory not stale
(staging.stg_inventory) and the quarantine share of each raw asset (declared with the raw
asset, which yields it after loading). Not blocking: export freshness per raw asset,
which warns in the UI and stops nothing. A feed the shop never sent is not judged, one
that stopped arriving is (contract/feeds.py, docs/feeds.md).
"""

import datetime as dt

import dagster as dg
import duckdb
from dagster_duckdb import DuckDBResource

from config.pools import DUCKDB_POOL
from config.resources import SettingsResource
from contract.exports import KINDS, RAW_TABLE
from quality.feed_rules import (
    customer_types_add_up,
    export_freshness,
    inventory_staleness,
    quarantine_share,
    sessions_cover_orders,
)
from quality.results import gate_result, record_results

QUARANTINE_CHECK = "quarantine_share"


@dg.asset_check(
    asset=dg.AssetKey(["marts", "conversion_daily"]),
    name="sessions_cover_orders",
    blocking=True,
    additional_deps=[dg.AssetKey(["marts", "orders_daily"])],
    pool=DUCKDB_POOL,
    description="Per day, total sessions >= orders (marts.orders_daily), from the first traffic day "
    "on; a day with more orders than visits means the traffic export is missing or cut short.",
)
def sessions_cover_orders_check(
    context: dg.AssetCheckExecutionContext, duckdb: DuckDBResource
) -> dg.AssetCheckResult:
    with duckdb.get_connection() as con:
        result = gate_result(sessions_cover_orders(con))
        return record_results(
            con,
            context.run.run_id,
            [result],
            dg.AssetKey(["marts", "conversion_daily"]),
            "sessions_cover_orders",
        )[0]


@dg.asset_check(
    asset=dg.AssetKey(["marts", "orders_by_customer_type_daily"]),
    name="customer_types_add_up",
    blocking=True,
    additional_deps=[dg.AssetKey(["marts", "orders_daily"])],
    pool=DUCKDB_POOL,
    description="Per day and country, orders, units and net sales summed over customer types "
    "equal marts.orders_daily's; the dashboards read both, so they would disagree otherwise.",
)
def customer_types_add_up_check(
    context: dg.AssetCheckExecutionContext, duckdb: DuckDBResource
) -> dg.AssetCheckResult:
    key = dg.AssetKey(["marts", "orders_by_customer_type_daily"])
    with duckdb.get_connection() as con:
        result = gate_result(customer_types_add_up(con))
        return record_results(con, context.run.run_id, [result], key, "customer_types_add_up")[0]


@dg.asset_check(
    asset=dg.AssetKey(["staging", "stg_inventory"]),
    name="inventory_not_stale",
    blocking=True,
    additional_deps=[dg.AssetKey(["staging", "stg_order_lines"])],
    pool=DUCKDB_POOL,
    description="The newest inventory snapshot is at most quality.inventory_max_age_days older than "
    "the newest order day; reorder quantities from older stock would be wrong. A shop that never "
    "sent inventory is not judged (docs/feeds.md).",
)
def inventory_not_stale_check(
    context: dg.AssetCheckExecutionContext, settings: SettingsResource, duckdb: DuckDBResource
) -> dg.AssetCheckResult:
    max_age = settings.get().quality.inventory_max_age_days
    with duckdb.get_connection() as con:
        result = gate_result(inventory_staleness(con, max_age))
        return record_results(
            con,
            context.run.run_id,
            [result],
            dg.AssetKey(["staging", "stg_inventory"]),
            "inventory_not_stale",
        )[0]


@dg.multi_asset_check(
    specs=[
        dg.AssetCheckSpec(
            "export_freshness",
            asset=["raw", RAW_TABLE[kind]],
            additional_deps=[] if kind == "orders" else [dg.AssetKey(["raw", "orders"])],
            description=f"Newest {kind} export day and its lag behind the newest orders export "
            f"(quality.export_max_lag_days); warns, blocks nothing; a kind never sent is not judged.",
        )
        for kind in KINDS
    ],
    name="export_freshness",
    can_subset=True,
    pool=DUCKDB_POOL,
)
def export_freshness_checks(
    context: dg.AssetCheckExecutionContext, settings: SettingsResource, duckdb: DuckDBResource
):
    lags = settings.get().quality.export_max_lag_days
    selected = {key.asset_key for key in context.selected_asset_check_keys}
    results = []
    with duckdb.get_connection() as con:
        for kind in KINDS:
            if dg.AssetKey(["raw", RAW_TABLE[kind]]) not in selected:
                continue
            result = gate_result(
                export_freshness(con, kind, lags.get(kind)), dg.AssetCheckSeverity.WARN
            )
            results.append(
                dg.AssetCheckResult(
                    asset_key=dg.AssetKey(["raw", RAW_TABLE[kind]]),
                    check_name="export_freshness",
                    passed=result.passed,
                    severity=result.severity,
                    description=result.description,
                    metadata=result.metadata,
                )
            )
        yield from record_results(con, context.run.run_id, results)


def feed_checks() -> list[dg.AssetChecksDefinition]:
    return [
        sessions_cover_orders_check,
        inventory_not_stale_check,
        export_freshness_checks,
        customer_types_add_up_check,
    ]


def quarantine_share_spec(table: str) -> dg.AssetCheckSpec:
    """The blocking check each raw asset declares and yields with `quarantine_share_result`."""
    return dg.AssetCheckSpec(
        QUARANTINE_CHECK,
        asset=["raw", table],
        blocking=True,
        description="Rows quarantined / rows read over the run's export days <= quality.max_quarantine_share.",
    )


def quarantine_share_result(
    con: duckdb.DuckDBPyConnection, kind: str, days: list[dt.date], max_share: float
) -> dg.AssetCheckResult:
    """The quarantine-share check result of one raw load, with the share and top reasons."""
    return gate_result(
        quarantine_share(con, kind, days[0], days[-1], max_share), check_name=QUARANTINE_CHECK
    )
