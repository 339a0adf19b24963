"""Two clean runs on the same exports give the same tables, bit for bit.

A re-run is verified by hashing its tables (warehouse/compare.py), so nothing a
run computes may depend on thread scheduling or hash-table order: not the float sums of
DuckDB's parallel aggregation, not the group order of polars, not the CLV fits fed by them.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipelines.cli import main
from warehouse.compare import differences, table_digest

FIRST_DAY = dt.date(2024, 1, 1)
DAYS = 60
CUSTOMERS = 40
SKUS = {"MUG": 3.1, "PLATE": 7.7, "BOWL": 0.3, "SPOON": 1.45}
STAGING = ("staging.stg_catalog", "staging.stg_inventory", "staging.stg_order_lines")
MONEY_MARTS = ("marts.orders_daily", "marts.sales_by_sku_daily", "marts.sku_demand_daily")


def _tiny_shop(exports: Path) -> None:
    """Two months of orders of 40 customers, most of them coming back several times (enough
    repeat buyers for the CLV models to fit), with prices whose float sums round differently
    in different orders. Seeded: the same exports every time."""
    rng = random.Random(7)
    days: dict[dt.date, list[dict]] = {}
    for customer in range(CUSTOMERS):
        day = rng.randrange(40)
        while day < DAYS:
            when = FIRST_DAY + dt.timedelta(days=day)
            order_id = f"{when:%Y%m%d}-{customer:02d}"
            for n, sku in enumerate(rng.sample(sorted(SKUS), rng.randint(1, 3))):
                days.setdefault(when, []).append(
                    {
                        "order_id": order_id,
                        "ordered_at": f"{when} 1{n}:{customer:02d}:00",
                        "sku": sku,
                        "quantity": rng.randint(1, 4),
                        "unit_price": SKUS[sku],
                        "customer_id": f"C{customer:02d}",
                    }
                )
            # A quarter of the customers leave after each purchase: the models see dropout.
            day += rng.randint(1, 14) if rng.random() > 0.25 else DAYS
    (exports / "orders").mkdir(parents=True)
    for when, rows in sorted(days.items()):
        pl.DataFrame(rows).write_csv(exports / "orders" / f"{when}.csv")


@pytest.mark.e2e
def test_two_clean_runs_give_bit_identical_tables(tmp_path):
    """Bug caught: polars' group_by adds a group's floats in per-thread partial sums
    partitioned by a per-process random hash seed, and the CLV tracking summed cohorts in
    the order group_by returned them, so two runs differed in the last bits of the CLV
    summary, the fitted parameters, expected_avg_spend, clv and the validation tables, and
    a re-run could not be checked by hashing its tables."""
    _tiny_shop(tmp_path / "exports")
    first, second = tmp_path / "first", tmp_path / "second"
    assert main(["run", "--exports", str(tmp_path / "exports"), "--data-dir", str(first)]) == 0
    second.mkdir()
    (second / "salt").write_bytes((first / "salt").read_bytes())
    assert main(["run", "--exports", str(tmp_path / "exports"), "--data-dir", str(second)]) == 0

    warehouses = [str(d / "warehouse.duckdb") for d in (first, second)]
    assert differences(*warehouses) == []
    # The comparison covered the CLV fit: a shop this small could leave it unfitted.
    with duckdb.connect(warehouses[0], read_only=True) as con:
        fitted = con.execute(
            "select count(*) from marts.clv_model where parameters is not null"
        ).fetchone()[0]
    assert fitted >= 3  # both purchase models on the calibration window, the refits


def test_money_sums_do_not_depend_on_the_order_threads_add_rows(warehouse):
    """Bug caught: the daily marts summed money as doubles in DuckDB's parallel hash
    aggregation, whose threads add partial sums in a varying order, so gross and net sales
    differed in their last bits from one build of the same lines to the next."""
    # Enough lines for several row groups, so two threads each aggregate a part.
    warehouse.con.execute(
        "insert into raw.orders by name select"
        " 'O' || (i // 3) as order_id,"
        " timestamp '2024-01-01 10:00' + to_days(cast(i % 20 as integer)) as ordered_at,"
        " 'SKU' || (i % 7) as sku, 1 + i % 5 as quantity,"
        " [0.1, 0.7, 3.3, 12.99, 0.05][1 + i % 5] as unit_price,"
        " 'orders/test.csv' as _file, i as _line, 'generic' as _format,"
        " date '2024-01-20' as _export_date"
        " from range(400000) as r(i)"
    )
    warehouse.con.execute("set threads = 2")
    digests = []
    for _ in range(3):
        warehouse.build(*STAGING, *MONEY_MARTS)
        digests.append([table_digest(warehouse.con, "memory", t) for t in MONEY_MARTS])
    assert digests[0] == digests[1] == digests[2]
