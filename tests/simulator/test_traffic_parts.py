"""Traffic drawn in parts of a few days (bounded memory for large synthetic stores) is one
shop's traffic: ids continue over the parts, visitors and their devices are shared, and the
truth counted part by part equals the one recomputed from the files."""

import json
from datetime import date

import duckdb
import numpy as np
import polars as pl
import pytest

from simulator.exports import SYNTHETIC_SESSION_CONVERSION, write_exports
from simulator.store import simulate_around
from simulator.synthetic import synthetic_orders
from simulator.traffic_parts import part_days
from tests.simulator.test_traffic_truth import FUNNEL, SESSION_FUNNEL_SQL

FIRST, DAYS = date(2024, 3, 4), 28


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    orders = synthetic_orders(scale=0.1, seed=5, start=FIRST, days=DAYS)
    out = tmp_path_factory.mktemp("parts") / "exports"
    store = simulate_around(
        orders.drop("customer_email", "customer_name"),
        5,
        FIRST,
        date(2024, 3, 31),
        session_conversion=SYNTHETIC_SESSION_CONVERSION,
        traffic_part_days=6,  # 5 parts: 6+6+6+6+4 days
    )
    write_exports(out, store, orders, "generic", "synthetic")
    return out


@pytest.fixture(scope="module")
def traffic(store_dir):
    return pl.read_parquet(sorted((store_dir / "traffic").glob("*.parquet")))


def test_part_days_shrink_with_the_scale():
    assert [part_days(s) for s in (0.01, 1, 10, 100)] == [3000, 30, 3, 1]


def test_session_ids_continue_over_the_parts_in_start_order(traffic):
    sessions = traffic.group_by("session_id").agg(pl.col("event_at").min().alias("start"))
    numbers = sessions.sort("session_id")["session_id"].str.slice(1).cast(pl.Int64)
    assert numbers.to_list() == list(range(1, sessions.height + 1))
    starts = sessions.sort("session_id")["start"]
    assert starts.is_sorted()
    assert traffic["event_id"].is_unique().all()


def test_visitors_keep_one_device_and_come_back_across_parts(traffic):
    per_user = traffic.group_by("user_id").agg(
        pl.col("device").n_unique().alias("devices"),
        pl.col("customer_id").drop_nulls().n_unique().alias("customers"),
        pl.col("event_at").dt.date().min().alias("first"),
        pl.col("event_at").dt.date().max().alias("last"),
        pl.col("event_name").eq("purchase").any().alias("bought"),
    )
    browsers = per_user.filter(~pl.col("bought"))
    assert (browsers["devices"] == 1).all()  # a buyer's device: guests draw one per order
    assert (per_user["customers"] <= 1).all()
    # The anonymous pool spans the range: some visitors return in a later part (6 days on).
    spans = (per_user["last"] - per_user["first"]).dt.total_days()
    assert (spans >= 6).sum() > 0


def test_each_placed_order_has_one_purchase(store_dir, traffic):
    orders = pl.read_csv(sorted((store_dir / "orders").glob("*.csv")), infer_schema=False)
    placed = orders.filter(pl.col("order_status") == "placed")["order_id"].unique().sort()
    purchases = traffic.filter(pl.col("event_name") == "purchase")["order_id"].sort()
    assert purchases.to_list() == placed.to_list()


def test_truth_counted_by_parts_equals_the_files(store_dir, traffic):
    truth = json.loads((store_dir / "ground_truth.json").read_text())["traffic"]
    assert truth["events"] == traffic.height
    con = duckdb.connect()
    con.register("traffic", traffic.to_arrow())
    recomputed = con.sql(SESSION_FUNNEL_SQL.format(key="day")).pl()
    assert recomputed["most_simulator_sessions"].max() == 1  # no visitor's sessions too close
    by_day = {str(row["key"]): row for row in recomputed.to_dicts()}
    assert set(by_day) == set(truth["per_day"])
    for day, row in truth["per_day"].items():
        for metric in FUNNEL:
            assert by_day[day][metric] == pytest.approx(row[metric], abs=1e-12), (day, metric)
    assert np.isclose(
        truth["purchase_revenue"],
        traffic.filter(pl.col("event_name") == "purchase")["value"].sum(),
    )
