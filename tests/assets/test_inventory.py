"""inventory.policy_backtest materialized by Dagster on a hand-made warehouse."""

import datetime as dt

import dagster as dg
import duckdb
import numpy as np
import polars as pl
import pytest

from assets.inventory import reorder_recommendations
from assets.policy_backtest import policy_backtest
from config.resources import RunPaths, SettingsResource
from forecasting.policy_levels import large_order_thresholds, recommended_levels
from pipelines.resources import build_resources
from tests.assets.risk_tables import create_empty_risk_tables

SETTINGS = """
forecasting:
  trading_weekdays: [1, 2, 3, 4, 5, 6, 7]
inventory:
  review_period_days: 3
  backtest_targets: [0.9, 0.95]
  backtest_replay_days: 10
  backtest_replan_every_days: 5
  backtest_history_days: 10
  backtest_distribution_days: 20
"""


def _warehouse(path, days):
    rng = np.random.default_rng(3)
    first = dt.date(2024, 1, 1)
    demand = pl.DataFrame(
        [
            {
                "sku": sku,
                "day": first + dt.timedelta(days=d),
                "is_trading_day": True,
                "units": int(rng.poisson(3)),
            }
            for sku in ("A", "B")
            for d in range(days)
        ]
    )
    catalog = pl.DataFrame(
        {
            "sku": ["A", "B", "POST"],
            "unit_cost": [2.0, 5.0, 0.0],
            "lead_time_days": [2.0, 3.0, 1.0],
            "is_product": [True, True, False],
        }
    )
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts; create schema staging; create schema inventory")
        con.register("d", demand.to_arrow())
        con.register("c", catalog.to_arrow())
        con.execute("create table marts.sku_demand_daily as select *, units as units_sold from d")
        con.execute("create table staging.stg_catalog as select * from c")
        create_empty_risk_tables(con)


def _settings(tmp_path) -> SettingsResource:
    return SettingsResource(settings_file=str(tmp_path / "settings.yaml"))


def _materialize(tmp_path, days):
    (tmp_path / "settings.yaml").write_text(SETTINGS)
    paths = RunPaths(data_dir=str(tmp_path))
    _warehouse(paths.warehouse, days)
    result = dg.materialize(
        [policy_backtest], resources=build_resources(paths, _settings(tmp_path))
    )
    assert result.success
    metadata = result.asset_materializations_for_node("inventory__policy_backtest")[0].metadata
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        table = con.sql(
            "select * from inventory.policy_backtest order by policy, target_service_level"
        ).pl()
    return table, metadata


def test_asset_writes_one_row_per_policy_and_target(tmp_path):
    table, metadata = _materialize(tmp_path, days=40)
    # the budget rows rank by risk and by customer value: with no customer values (no
    # marts.customers here) both rankings are the same replay
    budget = ("recommended, budget: risk", "recommended, budget: risk x customer value")
    assert table.select("policy", "target_service_level").rows() == [
        ("classic", 0.9),
        ("classic", 0.95),
        ("recommended", 0.9),
        ("recommended", 0.95),
        *((policy, target) for policy in budget for target in (0.9, 0.95)),
    ]
    assert (table["skus"] == 2).all()  # POST is no product
    assert table["replay_start"].to_list() == [dt.date(2024, 1, 31)] * 8
    assert table["replay_end"].to_list() == [dt.date(2024, 2, 9)] * 8
    assert table["budget_per_day"].is_null().sum() == 4
    assert metadata["row_count"].value == 8
    assert metadata["replay"].value == "replayed 2024-01-31..2024-02-09"


def test_asset_writes_an_empty_table_when_history_is_short(tmp_path):
    table, metadata = _materialize(tmp_path, days=25)
    assert table.height == 0
    assert "fill_rate" in table.columns
    assert metadata["replay"].value.startswith("not replayed: 25 trading days of demand, 30 needed")


def test_daily_list_plans_the_backtests_recommended_levels(tmp_path):
    # Same warehouse and settings as the backtest, plus a forecast and empty stock, and one
    # target for every class: the list's reorder points and order-up-to levels must be what
    # recommended_levels plans for the backtest on the last 20 days as of the stock count.
    settings = SETTINGS + "  service_level: {A: 0.95, B: 0.95, C: 0.95}\n"
    (tmp_path / "settings.yaml").write_text(settings)
    paths = RunPaths(data_dir=str(tmp_path))
    _warehouse(paths.warehouse, 40)
    as_of = dt.date(2024, 2, 9)
    forecast = pl.DataFrame(
        [
            {
                "sku": sku,
                "day": as_of + dt.timedelta(days=d),
                "forecast": 3.0,
                "hi_95": 6.0,
                "demand_pattern": "smooth",
            }
            for sku in ("A", "B")
            for d in range(1, 15)
        ]
    )
    with duckdb.connect(str(paths.warehouse)) as con:
        con.execute("create schema forecasts")
        con.register("f", forecast.to_arrow())
        con.execute("create table forecasts.demand_forecast as select * from f")
        con.execute("alter table marts.sku_demand_daily add column revenue double")
        con.execute("update marts.sku_demand_daily set revenue = units")
        con.execute(
            "create table staging.stg_inventory as select * from (values "
            "('A', date '2024-02-09', 0, 0), ('B', date '2024-02-09', 0, 0)) "
            "as t(sku, snapshot_date, on_hand, on_order)"
        )
        history = con.sql("select * from marts.sku_demand_daily order by sku, day").pl()
    result = dg.materialize(
        [reorder_recommendations], resources=build_resources(paths, _settings(tmp_path))
    )
    assert result.success
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        listed = con.sql("select * from inventory.reorder_recommendations order by sku").pl()

    matrix = np.array(
        [history.filter(pl.col("sku") == sku)["units"].to_numpy()[-20:] for sku in ("A", "B")],
        dtype=float,
    )
    threshold = large_order_thresholds(matrix, 10.0, 0.99)
    cleansed = np.where(matrix > threshold[:, None], 0.0, matrix)
    planned = recommended_levels(cleansed, 10, np.array([2, 3]), 0.95, 3, np.array([2.0, 5.0]), 0.5)
    assert listed["sku"].to_list() == ["A", "B"]
    # The list shows whole units (reorder point rounded down, order-up-to up) and shares
    # to 0.1 %.
    assert listed["reorder_point"].to_list() == np.floor(planned.reorder_point + 1e-9).tolist()
    assert listed["order_up_to"].to_list() == np.ceil(planned.order_up_to - 1e-6).tolist()
    assert listed["service_level"].to_list() == pytest.approx(
        planned.planned_cycle_service.tolist(), abs=5e-4
    )

    # The draft purchase order of the one (default) supplier, in the warehouse and as files.
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        orders = con.sql("select * from inventory.purchase_orders").pl()
        lines = con.sql("select * from inventory.purchase_order_lines order by sku").pl()
    assert orders.select("supplier", "lines", "units").rows() == [
        ("Default supplier", 2, int(listed["order_qty"].sum()))
    ]
    assert orders["order_value"][0] == round(float(listed["order_value"].sum()), 2)
    assert lines["sku"].to_list() == ["A", "B"]
    po_csv = pl.read_csv(paths.purchase_orders / "default-supplier.csv")
    assert po_csv["quantity"].to_list() == lines["quantity"].to_list()
    assert (paths.purchase_orders / "default-supplier.xlsx").stat().st_size > 0


def test_the_list_reads_the_customer_value_and_the_feedback_guard(tmp_path):
    """Bug caught: the reorder asset not joining inventory.sku_customer_value and
    inventory.feedback_guard, so a flagged SKU was listed without its flag."""
    (tmp_path / "settings.yaml").write_text(SETTINGS)
    paths = RunPaths(data_dir=str(tmp_path))
    _warehouse(paths.warehouse, 40)
    as_of = dt.date(2024, 2, 9)
    forecast = pl.DataFrame(
        [
            {"sku": sku, "day": as_of + dt.timedelta(days=d), "forecast": 3.0}
            | {"hi_95": 6.0, "demand_pattern": "smooth"}
            for sku in ("A", "B")
            for d in range(1, 15)
        ]
    )
    with duckdb.connect(str(paths.warehouse)) as con:
        con.execute("create schema forecasts")
        con.register("f", forecast.to_arrow())
        con.execute("create table forecasts.demand_forecast as select * from f")
        con.execute("alter table marts.sku_demand_daily add column revenue double")
        con.execute("update marts.sku_demand_daily set revenue = units")
        con.execute(
            "create table staging.stg_inventory as select * from (values "
            "('A', date '2024-02-09', 0, 0), ('B', date '2024-02-09', 0, 0)) "
            "as t(sku, snapshot_date, on_hand, on_order)"
        )
        con.execute(
            "insert into inventory.sku_customer_value values "
            "('A', 100.0, 25.0, 0.25, 'clv'), ('B', 50.0, 50.0, 1.0, 'clv')"
        )
        con.execute(
            "insert into inventory.feedback_guard (sku, review_before_reordering, "
            "feedback_evidence, window_start, as_of) values "
            "('B', true, 'Review before reordering: mean rating 1.5 ...', "
            "date '2024-01-13', date '2024-02-09')"
        )
    result = dg.materialize(
        [reorder_recommendations], resources=build_resources(paths, _settings(tmp_path))
    )
    assert result.success
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        listed = con.sql(
            "select sku, high_value_revenue_share, review_before_reordering, feedback_evidence "
            "from inventory.reorder_recommendations order by sku"
        ).fetchall()
    assert listed == [
        ("A", 0.25, False, None),
        ("B", 1.0, True, "Review before reordering: mean rating 1.5 ..."),
    ]


def test_a_catalog_row_without_a_lead_time_takes_its_suppliers_or_stops_the_run(tmp_path):
    """Bugs caught: a SKU whose catalog row leaves lead_time_days empty planned without one
    (or dropped) instead of with its supplier's lead time, and a SKU with no lead time
    anywhere passing silently instead of stopping the run with its code and the fix."""
    (tmp_path / "given").mkdir()
    (tmp_path / "supplier").mkdir()
    expected, _ = _materialize(tmp_path / "given", 40)
    paths = RunPaths(data_dir=str(tmp_path / "supplier"))
    _warehouse(paths.warehouse, 40)
    with duckdb.connect(str(paths.warehouse)) as con:
        con.execute("update staging.stg_catalog set lead_time_days = null where sku = 'B'")
    settings_file = tmp_path / "supplier" / "settings.yaml"

    settings_file.write_text(SETTINGS)
    failed = dg.materialize(
        [policy_backtest],
        resources=build_resources(paths, SettingsResource(settings_file=str(settings_file))),
        raise_on_error=False,
    )
    assert not failed.success
    [failure] = failed.get_step_failure_events()
    message = failure.step_failure_data.error.to_string()
    assert "catalog: SKU 'B': no lead_time_days" in message
    assert "inventory.suppliers.by_name.<supplier>.lead_time_days" in message

    settings_file.write_text(SETTINGS + "  suppliers:\n    default:\n      lead_time_days: 3\n")
    result = dg.materialize(
        [policy_backtest],
        resources=build_resources(paths, SettingsResource(settings_file=str(settings_file))),
    )
    assert result.success
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        table = con.sql(
            "select * from inventory.policy_backtest order by policy, target_service_level"
        ).pl()
    assert table.equals(expected)
