"""The reorder asset on a hand-made warehouse, run for three as-of dates and re-run for one:
the archive files it leaves and inventory.reorder_changes it writes.

Demand is 10 units a day for every SKU, so each SKU's levels are exact: lead time 2 days,
reorder point 20, order-up-to 20 + 10 x 3 review days = 50. A SKU is listed when its stock
less the 30 units forecast until the next review is at or below 20 (stock <= 50), and its
order quantity is 50 - stock. The stock counts below therefore decide each list.
"""

import datetime as dt

import dagster as dg
import duckdb
import polars as pl

from assets.inventory import reorder_recommendations
from config.resources import RunPaths, SettingsResource
from pipelines.resources import build_resources
from reports.pages.reorder.changes_section import changes_section
from tests.assets.risk_tables import create_empty_risk_tables

SETTINGS = """
forecasting:
  trading_weekdays: [1, 2, 3, 4, 5, 6, 7]
inventory:
  review_period_days: 3
  backtest_history_days: 10
  backtest_distribution_days: 20
"""
FIRST = dt.date(2024, 1, 1)
DAY1, DAY2, DAY3 = dt.date(2024, 2, 8), dt.date(2024, 2, 9), dt.date(2024, 2, 10)
SKUS = ("SAME", "UP", "DOWN", "GONE", "FRESH")
# On-hand stock per SKU at each count (no stock on order). Day 1 lists SAME 50, UP 20,
# DOWN 50 and GONE 50; day 2 lists SAME 50, UP 50, DOWN 20 and FRESH 50; day 3 counts the
# same stock as day 2, so against day 2 nothing changes while against day 1 much would.
STOCK = {
    DAY1: {"SAME": 0, "UP": 30, "DOWN": 0, "GONE": 0, "FRESH": 100},
    DAY2: {"SAME": 0, "UP": 0, "DOWN": 30, "GONE": 100, "FRESH": 0},
    DAY3: {"SAME": 0, "UP": 0, "DOWN": 30, "GONE": 100, "FRESH": 0},
}


def _warehouse(path) -> None:
    demand = pl.DataFrame(
        [
            {
                "sku": sku,
                "day": FIRST + dt.timedelta(days=d),
                "is_trading_day": True,
                "units": 10,
                "units_sold": 10,
                "revenue": 20.0,
            }
            for sku in SKUS
            for d in range((DAY3 - FIRST).days + 1)
        ]
    )
    forecast = pl.DataFrame(
        [
            {
                "sku": sku,
                "day": DAY1 + dt.timedelta(days=d),
                "forecast": 10.0,
                "hi_95": 10.0,
                "demand_pattern": "smooth",
            }
            for sku in SKUS
            for d in range(1, 21)
        ]
    )
    catalog = pl.DataFrame(
        {
            "sku": list(SKUS),
            "description": [f"{sku.lower()} mug" for sku in SKUS],
            "unit_cost": [2.0] * len(SKUS),
            "lead_time_days": [2.0] * len(SKUS),
            "is_product": [True] * len(SKUS),
        }
    )
    with duckdb.connect(str(path)) as con:
        for schema in ("marts", "staging", "forecasts", "inventory"):
            con.execute(f"create schema {schema}")
        for name, frame in (
            ("marts.sku_demand_daily", demand),
            ("forecasts.demand_forecast", forecast),
            ("staging.stg_catalog", catalog),
        ):
            con.register("incoming", frame.to_arrow())
            con.execute(f"create table {name} as select * from incoming")
            con.unregister("incoming")
        con.execute(
            "create table staging.stg_inventory"
            " (sku varchar, snapshot_date date, on_hand bigint, on_order bigint)"
        )
        create_empty_risk_tables(con)


def _count_stock(paths: RunPaths, day: dt.date) -> None:
    """The stock count of `day` arrives: it becomes the newest snapshot (the list's as-of)."""
    with duckdb.connect(str(paths.warehouse)) as con:
        con.executemany(
            "insert into staging.stg_inventory values (?, ?, ?, 0)",
            [(sku, day, on_hand) for sku, on_hand in STOCK[day].items()],
        )


def _run(paths: RunPaths, settings: SettingsResource) -> dict[str, tuple]:
    result = dg.materialize([reorder_recommendations], resources=build_resources(paths, settings))
    assert result.success
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        changes = con.sql("select * from inventory.reorder_changes").pl()
    return {
        row["sku"]: (
            row["as_of"],
            row["previous_as_of"],
            row["change"],
            row["previous_order_qty"],
            row["order_qty"],
        )
        for row in changes.iter_rows(named=True)
    }


def test_three_days_and_a_rerun_archive_one_list_per_day_and_compare_with_the_day_before(
    tmp_path,
):
    """Bugs caught: a list archived under the run's date or not at all; a second file for a
    re-run; a re-run comparing a list with itself (all "unchanged"); comparing with the first
    list ever instead of the previous one; a wrong join losing new or dropped SKUs."""
    (tmp_path / "settings.yaml").write_text(SETTINGS)
    paths = RunPaths(data_dir=str(tmp_path))
    settings = SettingsResource(settings_file=str(tmp_path / "settings.yaml"))
    _warehouse(paths.warehouse)

    _count_stock(paths, DAY1)
    first = _run(paths, settings)
    assert first == {
        sku: (DAY1, None, None, None, qty)
        for sku, qty in {"SAME": 50, "UP": 20, "DOWN": 50, "GONE": 50}.items()
    }
    assert "No earlier list to compare with" in changes_section(_changes(paths))

    _count_stock(paths, DAY2)
    expected_day2 = {
        "FRESH": (DAY2, DAY1, "new", None, 50),
        "GONE": (DAY2, DAY1, "dropped", 50, None),
        "UP": (DAY2, DAY1, "quantity up", 20, 50),
        "DOWN": (DAY2, DAY1, "quantity down", 50, 20),
        "SAME": (DAY2, DAY1, "unchanged", 50, 50),
    }
    assert _run(paths, settings) == expected_day2
    assert _run(paths, settings) == expected_day2  # a re-run of day 2
    assert sorted(p.name for p in paths.reorder_archive.iterdir()) == [
        "2024-02-08.csv",
        "2024-02-09.csv",
    ]
    archived = pl.read_csv(paths.reorder_archive / "2024-02-09.csv")
    assert dict(archived.select("sku", "order_qty").iter_rows()) == {
        "SAME": 50,
        "UP": 50,
        "DOWN": 20,
        "FRESH": 50,
    }
    section = changes_section(_changes(paths))
    assert "the previous list is\nas of 2024-02-08: 1 new, 1 dropped, 1 quantity up" in section

    _count_stock(paths, DAY3)
    assert _run(paths, settings) == {
        sku: (DAY3, DAY2, "unchanged", qty, qty)
        for sku, qty in {"SAME": 50, "UP": 50, "DOWN": 20, "FRESH": 50}.items()
    }
    assert len(list(paths.reorder_archive.iterdir())) == 3


def _changes(paths: RunPaths) -> pl.DataFrame:
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        return con.sql("select * from inventory.reorder_changes").pl()
