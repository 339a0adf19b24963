"""Small exact cases for the simulator's parts, feedback effects and synthetic scaling."""

import json
from datetime import date, datetime, timedelta

import numpy as np
import polars as pl
import yaml

from config.settings import InventorySettings
from simulator import (
    build_synthetic_exports,
    load_online_retail,
    online_retail_to_canonical,
    synthetic_orders,
)
from simulator.catalog import category_expr, is_product_expr
from simulator.feedback import simulate_deliveries, simulate_feedback
from simulator.rating_collapse import COLLAPSE_DAYS, COLLAPSING_SKUS
from tests.forecasting.test_feedback_guard import NO_RETURNS, feedback_guard


def test_online_retail_to_canonical_maps_status_and_customer():
    raw = pl.DataFrame(
        {
            "InvoiceNo": ["536365", "C536379"],
            "StockCode": ["85123A", "D"],
            "Description": ["WHITE HANGING HEART T-LIGHT HOLDER", "Discount"],
            "Quantity": [6, -1],
            "InvoiceDate": [datetime(2010, 12, 1, 8, 26), datetime(2010, 12, 1, 9, 41)],
            "UnitPrice": [2.55, 27.5],
            "CustomerID": [17850, None],
            "Country": ["United Kingdom", "United Kingdom"],
        }
    )
    canonical = online_retail_to_canonical(raw)
    assert canonical["order_status"].to_list() == ["placed", "cancelled"]
    assert canonical["customer_id"].to_list() == ["17850", None]
    assert canonical["order_id"].to_list() == ["536365", "C536379"]


def test_product_flags_and_categories():
    frame = pl.DataFrame(
        {
            "sku": ["POST", "85123A", "gift_0001_20", "DCGSSBOY", "C2", "m", "22423"],
            "description": [
                "POSTAGE",
                "WHITE HANGING HEART T-LIGHT HOLDER",
                "voucher",
                "boy",
                "CARRIAGE",
                "Manual",
                "REGENCY CAKESTAND 3 TIER",
            ],
        }
    )
    out = frame.select(
        is_product_expr(pl.col("sku")).alias("p"), category_expr(pl.col("description")).alias("c")
    )
    assert out["p"].to_list() == [False, True, False, False, False, False, True]
    assert out["c"][1] == "Candles & holders" and out["c"][6] == "Kitchen & dining"
    christmas = pl.select(category_expr(pl.lit("PAPER CHAIN KIT 50'S CHRISTMAS"))).item()
    assert christmas == "Christmas"


def test_late_deliveries_get_worse_ratings_and_nps():
    orders = online_retail_to_canonical(load_online_retail(date(2011, 6, 1), date(2011, 11, 30)))
    rng = np.random.default_rng(3)
    deliveries = simulate_deliveries(orders, rng)
    assert 0.05 < deliveries["is_late"].mean() < 0.2
    assert (deliveries["delivered_on"] >= deliveries["shipped_on"]).all()
    feedback = simulate_feedback(
        orders,
        deliveries,
        date(2011, 11, 30),
        rng,
        np.random.default_rng(1),
        np.random.default_rng(2),
    )
    delivered = feedback.join(deliveries.select("order_id", "delivered_on"), on="order_id")
    assert (delivered["submitted_at"].dt.date() > delivered["delivered_on"]).all()
    reviews = feedback.filter(pl.col("feedback_type") == "review")
    nps = feedback.filter(pl.col("feedback_type") == "nps")
    assert (
        reviews.filter("is_late")["rating"].mean()
        < reviews.filter(~pl.col("is_late"))["rating"].mean() - 0.5
    )
    assert (
        nps.filter("is_late")["nps_score"].mean()
        < nps.filter(~pl.col("is_late"))["nps_score"].mean() - 1.5
    )


def test_demo_truth_has_the_documented_sections(demo_truth, demo_window):
    assert demo_truth["generator"] == "demo" and demo_truth["seed"] == 0
    assert demo_truth["date_range"] == {
        "start": demo_window[0].isoformat(),
        "end": demo_window[1].isoformat(),
    }
    assert demo_truth["traffic"]["purchases"] == demo_truth["orders"]["orders_placed"]
    feedback = demo_truth["feedback"]
    assert 0 < feedback["late_delivery_share"] < 0.3
    assert feedback["reviews"] > 0 and feedback["nps_answers"] > 0


def test_synthetic_size_grows_linearly_with_scale():
    small = synthetic_orders(scale=0.01, seed=0)
    double = synthetic_orders(scale=0.02, seed=0)
    assert small["sku"].n_unique() <= 41 and 70 <= double["sku"].n_unique() <= 81
    for column in ("order_id", "customer_id"):
        ratio = double[column].n_unique() / small[column].n_unique()
        assert 1.6 < ratio < 2.4, column
    assert 1.5 < double.height / small.height < 2.5
    assert 150 < small["order_id"].n_unique() < 300  # ~220 orders a year at scale 0.01


def test_a_catalog_larger_than_the_five_digit_codes_gets_distinct_skus():
    # SF30's 120,000 SKUs: drawing them from 70,000 codes without replacement raised.
    from simulator.synthetic import _skus

    skus = _skus(120_000, np.random.default_rng(0))["sku"]
    assert skus.n_unique() == 120_000
    # A catalog that fits keeps the codes it always had (every bench store up to SF14).
    small = _skus(40_000, np.random.default_rng(0))["sku"].str.slice(0, 5).cast(pl.Int64)
    assert small.min() >= 20_000 and small.max() < 90_000


def test_synthetic_exports_use_the_generic_layout(tmp_path):
    out = tmp_path / "synthetic"
    truth = build_synthetic_exports(out, scale=0.01, seed=2, start=date(2024, 3, 4), days=28)
    assert yaml.safe_load((out / "exports.yaml").read_text())["orders"] == {"format": "generic"}
    orders = pl.read_csv(
        sorted((out / "orders").glob("*.csv")),
        try_parse_dates=True,
        schema_overrides={"order_id": pl.String, "customer_id": pl.String, "sku": pl.String},
    )
    assert orders.columns[:5] == ["order_id", "ordered_at", "sku", "quantity", "unit_price"]
    assert orders["ordered_at"].dtype == pl.Datetime("us")
    assert truth["scale"] == 0.01 and json.loads((out / "ground_truth.json").read_text()) == truth
    assert (
        truth["traffic"]["purchases"]
        == orders.filter(pl.col("order_status") == "placed")["order_id"].n_unique()
    )
    assert len(list((out / "inventory").glob("*.csv"))) == 28


def test_a_few_products_ratings_collapse_in_the_last_weeks_and_nothing_else_changes():
    # Bugs caught: the demo's feedback guard had nothing to flag because simulated ratings
    # never depend on the product; a collapse drawing from the shared generator would
    # change every simulated table after it, and one touching earlier reviews would move
    # the SKUs' usual range with them.
    last_day = date(2011, 11, 30)
    orders = online_retail_to_canonical(load_online_retail(date(2011, 6, 1), last_day))

    def feedback(collapse_seed: int) -> pl.DataFrame:
        rng = np.random.default_rng(3)
        deliveries = simulate_deliveries(orders, rng)
        return simulate_feedback(
            orders,
            deliveries,
            last_day,
            rng,
            np.random.default_rng(1),
            np.random.default_rng(collapse_seed),
        )

    one, other = feedback(5), feedback(6)
    start = last_day - timedelta(days=COLLAPSE_DAYS - 1)
    early = pl.col("submitted_at").dt.date() < start
    assert one.filter(early).equals(other.filter(early))
    nps = pl.col("feedback_type") == "nps"
    assert one.filter(nps).equals(other.filter(nps))
    assert one.drop("sku", "rating", "title", "body").equals(
        other.drop("sku", "rating", "title", "body")
    )
    reviews = one.filter(pl.col("feedback_type") == "review").with_columns(
        pl.col("submitted_at").dt.date().alias("submitted_date")
    )
    guard = feedback_guard(
        reviews.select("sku", "submitted_date", "rating"),
        NO_RETURNS,
        last_day,
        InventorySettings(feedback_window_days=COLLAPSE_DAYS),
    )
    flagged = guard.filter("review_before_reordering")
    assert flagged.height == COLLAPSING_SKUS
    assert (flagged["recent_mean_rating"] < 2.6).all()
    assert (flagged["usual_mean_rating"] > 3.8).all()
