"""The feed checks as Dagster runs them (quality/feed_checks.py): which ones block what
follows, which only warn, and what each one records in quality.check_results.

The checked tables are written by hand into a tiny warehouse; the assets the checks are
attached to are stand-ins that write nothing, so only the checks' own code decides."""

import datetime as dt

import dagster as dg
import duckdb
import pytest
from dagster_duckdb import DuckDBResource

from config.resources import RunPaths
from config.settings import Settings
from contract.exports import KINDS, RAW_TABLE
from pipelines.resources import build_resources
from quality.feed_checks import feed_checks, quarantine_share_result, quarantine_share_spec

D = dt.date
CONVERSION = dg.AssetKey(["marts", "conversion_daily"])
INVENTORY = dg.AssetKey(["staging", "stg_inventory"])
BY_TYPE = dg.AssetKey(["marts", "orders_by_customer_type_daily"])
ORDERS = dg.AssetKey(["raw", RAW_TABLE["orders"]])
TRAFFIC = dg.AssetKey(["raw", RAW_TABLE["traffic"]])
QUALITY = Settings().quality


def _stand_in(key: dg.AssetKey, deps=()) -> dg.AssetsDefinition:
    @dg.asset(key=key, deps=list(deps))
    def stand_in() -> dg.MaterializeResult:
        return dg.MaterializeResult()

    return stand_in


@dg.asset(key=ORDERS, check_specs=[quarantine_share_spec(RAW_TABLE["orders"])])
def raw_orders(duckdb: DuckDBResource) -> dg.MaterializeResult:
    """Loads nothing; yields the quarantine share of day 2 as the raw assets do."""
    with duckdb.get_connection() as con:
        share = quarantine_share_result(
            con, "orders", [D(2024, 1, 2)], QUALITY.max_quarantine_share
        )
    return dg.MaterializeResult(check_results=[share])


STAND_INS = [
    _stand_in(CONVERSION),
    _stand_in(INVENTORY),
    _stand_in(BY_TYPE),
    raw_orders,
    *(_stand_in(dg.AssetKey(["raw", RAW_TABLE[kind]])) for kind in KINDS if kind != "orders"),
    # What runs after each checked asset: a blocking check's failure must stop it.
    _stand_in(dg.AssetKey(["after", "conversion"]), [CONVERSION]),
    _stand_in(dg.AssetKey(["after", "inventory"]), [INVENTORY]),
    _stand_in(dg.AssetKey(["after", "by_type"]), [BY_TYPE]),
    _stand_in(dg.AssetKey(["after", "orders"]), [ORDERS]),
    _stand_in(dg.AssetKey(["after", "traffic"]), [TRAFFIC]),
]


AFTER = ("conversion", "inventory", "by_type", "orders", "traffic")


def _table(con, name, columns, rows):
    con.execute(f"create or replace table {name} ({columns})")
    con.executemany(f"insert into {name} values ({', '.join('?' * len(rows[0]))})", rows)


def _warehouse(
    tmp_path,
    orders_on_day_2: int,
    inventory_day: dt.date,
    traffic_day: dt.date,
    orders_quarantined: int = 0,
):
    """Two days of sessions and orders (3 on day 2 by customer type), one inventory
    snapshot, every kind's load log (10 rows a day, `orders_quarantined` of the orders)."""
    paths = RunPaths(data_dir=str(tmp_path / "data"), exports_dir=str(tmp_path / "exports"))
    paths.data.mkdir()
    with duckdb.connect(str(paths.warehouse)) as con:
        for schema in ("marts", "staging", "quality"):
            con.execute(f"create schema {schema}")
        _table(
            con,
            "marts.conversion_daily",
            "day date, device varchar, sessions bigint",
            [(D(2024, 1, 1), "mobile", 5), (D(2024, 1, 2), "mobile", 3)],
        )
        _table(
            con,
            "marts.orders_daily",
            "day date, country varchar, orders bigint, units bigint, net_sales double",
            [(D(2024, 1, 1), "UK", 2, 2, 20.0), (D(2024, 1, 2), "UK", orders_on_day_2, 3, 30.0)],
        )
        _table(
            con,
            "marts.orders_by_customer_type_daily",
            "day date, country varchar, customer_type varchar, orders bigint, units bigint, "
            "net_sales double",
            [
                (D(2024, 1, 1), "UK", "new", 2, 2, 20.0),
                (D(2024, 1, 2), "UK", "new", 1, 1, 10.0),
                (D(2024, 1, 2), "UK", "returning", 2, 2, 20.0),
            ],
        )
        _table(
            con,
            "staging.stg_inventory",
            "snapshot_date date, sku varchar, on_hand bigint",
            [(inventory_day, "A", 1)],
        )
        _table(con, "staging.stg_order_lines", "order_date date", [(D(2024, 1, 2),)])
        log = [(kind, D(2024, 1, 2), 10, 0) for kind in KINDS if kind not in ("traffic", "orders")]
        log.append(("orders", D(2024, 1, 2), 10, orders_quarantined))
        _table(
            con,
            "quality.load_log",
            "kind varchar, export_date date, rows_read bigint, rows_quarantined bigint",
            [*log, ("traffic", traffic_day, 10, 0)],
        )
        _table(
            con,
            "quality.quarantine",
            "kind varchar, export_date date, file varchar, line bigint, column_name varchar, "
            "reason varchar",
            [("orders", D(2024, 1, 2), "orders/2024-01-02.csv", 2, "price", "not a number")],
        )
    return paths


def _run(paths: RunPaths) -> dict:
    """Materialize the stand-ins with the feed checks: what ran, each check's verdict and
    severity, and the verdicts recorded in the warehouse."""
    result = dg.materialize(
        [*STAND_INS, *feed_checks()], resources=build_resources(paths), raise_on_error=False
    )
    checks = {
        (e.asset_key.to_user_string(), e.check_name): (e.passed, e.severity.value)
        for e in result.get_asset_check_evaluations()
    }
    done = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        recorded = dict(
            con.execute(
                "select asset || ':' || check_name, passed from quality.check_results"
            ).fetchall()
        )
    return {"checks": checks, "materialized": done, "recorded": recorded}


def test_healthy_feeds_pass_every_check_and_nothing_is_blocked(tmp_path):
    """Bugs: a check that fails whatever the data (so its failures prove nothing), or a
    freshness check that judges only some export kinds."""
    paths = _warehouse(
        tmp_path, orders_on_day_2=3, inventory_day=D(2024, 1, 2), traffic_day=D(2024, 1, 2)
    )
    run = _run(paths)
    freshness = {(f"raw/{RAW_TABLE[kind]}", "export_freshness") for kind in KINDS}
    assert set(run["checks"]) == {
        ("marts/conversion_daily", "sessions_cover_orders"),
        ("staging/stg_inventory", "inventory_not_stale"),
        ("marts/orders_by_customer_type_daily", "customer_types_add_up"),
        ("raw/orders", "quarantine_share"),
        *freshness,
    }
    assert all(passed for passed, _ in run["checks"].values())
    assert {f"after/{a}" for a in AFTER} <= run["materialized"]
    checked_in_run = len(run["checks"]) - 1  # the raw asset records its own share
    assert len(run["recorded"]) == checked_in_run and all(run["recorded"].values())


def test_more_orders_than_sessions_and_stale_stock_block_what_follows(tmp_path):
    """Bugs: sessions_cover_orders, inventory_not_stale, customer_types_add_up or the raw
    assets' quarantine_share declared non-blocking (the conversion pages and the reorder
    list would be built on a cut-short traffic export or week-old stock, the orders pages
    on two marts that disagree, the marts on a feed half in quarantine), or a failure
    recorded as a pass."""
    stale = D(2024, 1, 2) - dt.timedelta(days=QUALITY.inventory_max_age_days + 1)
    paths = _warehouse(
        tmp_path,
        orders_on_day_2=4,
        inventory_day=stale,
        traffic_day=D(2024, 1, 2),
        orders_quarantined=5,
    )
    run = _run(paths)
    failed = {
        ("marts/conversion_daily", "sessions_cover_orders"),
        ("staging/stg_inventory", "inventory_not_stale"),
        ("marts/orders_by_customer_type_daily", "customer_types_add_up"),
        ("raw/orders", "quarantine_share"),
    }
    assert {check: run["checks"][check] for check in failed} == dict.fromkeys(
        failed, (False, "ERROR")
    )
    blocked = {"after/conversion", "after/inventory", "after/by_type", "after/orders"}
    assert blocked - run["materialized"] == blocked
    for asset, check in failed - {("raw/orders", "quarantine_share")}:
        assert run["recorded"][f"{asset}:{check}"] is False


def test_a_late_export_only_warns(tmp_path):
    """Bugs: export freshness raised as an error or made blocking (a late traffic export
    would stop the orders pages), or its failure not recorded."""
    allowed = QUALITY.export_max_lag_days["traffic"]
    assert allowed is not None  # the default judges traffic
    late = D(2024, 1, 2) - dt.timedelta(days=allowed + 1)
    paths = _warehouse(tmp_path, orders_on_day_2=3, inventory_day=D(2024, 1, 2), traffic_day=late)
    run = _run(paths)
    traffic = f"raw/{RAW_TABLE['traffic']}"
    assert run["checks"][(traffic, "export_freshness")] == (False, "WARN")
    assert "after/traffic" in run["materialized"]
    assert run["recorded"][f"{traffic}:export_freshness"] is False


@pytest.mark.parametrize(
    ("days", "max_share", "passed"),
    [
        # Day 1 alone: 1 of 10 rows quarantined, under the limit.
        ([D(2024, 1, 1)], 0.2, True),
        # Days 1 to 3: 1 + 0 + 9 of 30 rows, a third, over it (day 2 alone would pass).
        ([D(2024, 1, 1), D(2024, 1, 2), D(2024, 1, 3)], 0.2, False),
        # A third is under 0.4 (day 3 alone, 9 of 10, would fail).
        ([D(2024, 1, 1), D(2024, 1, 2), D(2024, 1, 3)], 0.4, True),
    ],
)
def test_the_quarantine_share_covers_the_runs_first_to_last_day(days, max_share, passed):
    """Bugs: the share taken over the first or the last day only, or up to the day before
    the last one (a run loading three days would pass with its broken last day)."""
    con = duckdb.connect()
    con.execute("create schema quality")
    _table(
        con,
        "quality.load_log",
        "kind varchar, export_date date, rows_read bigint, rows_quarantined bigint",
        [
            ("orders", D(2024, 1, 1), 10, 1),
            ("orders", D(2024, 1, 2), 10, 0),
            ("orders", D(2024, 1, 3), 10, 9),
        ],
    )
    _table(
        con,
        "quality.quarantine",
        "kind varchar, export_date date, file varchar, line bigint, column_name varchar, reason varchar",
        [("orders", D(2024, 1, 3), "orders/2024-01-03.csv", 2, "price", "not a number")],
    )
    result = quarantine_share_result(con, "orders", days, max_share=max_share)
    assert result.passed is passed
    assert result.check_name == "quarantine_share"


def test_a_run_of_one_export_kind_runs_that_kinds_freshness_check_only(tmp_path):
    """Bug: the freshness checks made one unsplittable step (`can_subset` off), so a run
    that loads one kind (a re-run of the orders export, a shop sending no traffic) cannot
    be planned at all: Dagster refuses the job."""
    paths = _warehouse(
        tmp_path, orders_on_day_2=3, inventory_day=D(2024, 1, 2), traffic_day=D(2024, 1, 2)
    )
    result = dg.materialize(
        [*STAND_INS, *feed_checks()],
        selection=[ORDERS],
        resources=build_resources(paths),
        raise_on_error=False,
    )
    checks = {(e.asset_key, e.check_name) for e in result.get_asset_check_evaluations()}
    assert checks == {(ORDERS, "export_freshness"), (ORDERS, "quarantine_share")}
