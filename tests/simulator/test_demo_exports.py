"""The demo export folder: layout, real orders reproduced, determinism."""

import hashlib
from datetime import date, timedelta
from pathlib import Path

import polars as pl
import pytest
import yaml

from contract.exports import KINDS, schema
from simulator import build_demo_exports
from tests.real_data import published_digests


def _digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_layout_has_every_kind_and_day(demo_dir, demo_window):
    formats = yaml.safe_load((demo_dir / "exports.yaml").read_text())
    assert formats == {
        "orders": {"format": "online-retail"},
        **{k: {"format": "generic"} for k in KINDS[1:]},
    }
    first, last = demo_window
    days = [(first + timedelta(days=i)).isoformat() for i in range((last - first).days + 1)]
    assert sorted(p.stem for p in (demo_dir / "inventory").glob("*.csv")) == days
    assert sorted(p.stem for p in (demo_dir / "catalog").glob("*.csv")) == [first.isoformat()]
    # the real shop never traded on Saturdays: no orders file for 2011-03-05
    assert not (demo_dir / "orders" / "2011-03-05.csv").exists()
    assert (demo_dir / "traffic" / "2011-03-05.parquet").exists()


def test_files_follow_the_contract_columns(demo_dir):
    for kind in ("feedback", "inventory", "catalog"):
        header = next((demo_dir / kind).glob("*.csv")).read_text().splitlines()[0].split(",")
        assert header == list(schema(kind)), kind
    traffic = pl.read_parquet(next((demo_dir / "traffic").glob("*.parquet")))
    assert list(traffic.schema) == list(schema("traffic"))
    assert traffic.schema["event_at"] == pl.Datetime("us")


def test_orders_reproduce_the_real_by_day_files(demo_dir):
    published = published_digests()
    written = sorted((demo_dir / "orders").glob("*.csv"))
    assert len(written) == 18  # trading days from 2011-03-01 to 2011-03-21
    for path in written:
        assert hashlib.sha256(path.read_bytes()).hexdigest() == published[path.name], path.name


def test_same_seed_gives_identical_files_and_another_seed_differs(demo_dir, demo_window, tmp_path):
    again = tmp_path / "again"
    other = tmp_path / "other"
    build_demo_exports(again, seed=0, start=demo_window[0], end=demo_window[1])
    build_demo_exports(other, seed=1, start=demo_window[0], end=demo_window[1])
    assert _digests(again) == _digests(demo_dir)
    differ = {
        name for name, digest in _digests(other).items() if _digests(demo_dir).get(name) != digest
    }
    assert any(name.startswith("traffic/") for name in differ)
    assert any(name.startswith("inventory/") for name in differ)
    assert not any(name.startswith("orders/") for name in differ)


def test_refuses_to_overwrite_an_export_folder(demo_dir):
    with pytest.raises(FileExistsError, match="not empty"):
        build_demo_exports(demo_dir, seed=0)


def test_feedback_has_pii_to_hash_and_unique_ids(demo_dir):
    feedback = pl.read_csv(sorted((demo_dir / "feedback").glob("*.csv")), try_parse_dates=True)
    assert feedback["feedback_id"].is_unique().all()
    assert feedback["reviewer_email"].str.contains("@").all()
    assert feedback["reviewer_name"].str.contains(" ").all()
    reviews = feedback.filter(pl.col("feedback_type") == "review")
    assert reviews["rating"].is_between(1, 5).all() and reviews["sku"].is_not_null().all()
    nps = feedback.filter(pl.col("feedback_type") == "nps")
    assert nps["nps_score"].is_between(0, 10).all()


def test_catalog_flags_non_products(demo_dir):
    catalog = pl.read_csv(
        next((demo_dir / "catalog").glob("*.csv")), schema_overrides={"sku": pl.String}
    )
    flags = dict(zip(catalog["sku"], catalog["is_product"]))
    assert flags["POST"] is False and flags["M"] is False
    assert flags["85123A"] is True
    assert catalog["sku"].is_unique().all()
    assert catalog["pack_size"].is_in([1, 6, 12, 24, 48]).all()
    assert (catalog["moq"] % catalog["pack_size"] == 0).all()
    products = catalog.filter("is_product")
    assert (products["unit_cost"] <= products["unit_price"]).all()
    priced = products.filter(pl.col("unit_price") >= 0.05)
    assert (priced["unit_cost"] < priced["unit_price"]).all()
    assert products["lead_time_days"].is_between(7, 28).all()


def test_catalog_suppliers_carry_their_purchase_order_terms(demo_dir):
    # Bug caught: a demo whose suppliers all take any order any day shows no purchase-order
    # rule at work (no minimum to meet, no order day to wait for).
    catalog = pl.read_csv(
        next((demo_dir / "catalog").glob("*.csv")), schema_overrides={"sku": pl.String}
    )
    terms = catalog.group_by("supplier").agg(
        pl.max_horizontal(
            pl.col(name).n_unique()
            for name in (
                "supplier_min_order_value",
                "supplier_min_order_qty",
                "supplier_order_days",
            )
        ).alias("variants"),
        pl.col("supplier_min_order_value", "supplier_order_days").first(),
    )
    assert terms["variants"].to_list() == [1] * terms.height  # one supplier, one set of terms
    assert terms["supplier_min_order_value"].drop_nulls().n_unique() >= 4
    assert terms["supplier_order_days"].drop_nulls().n_unique() >= 4


def test_inventory_is_never_negative_and_covers_every_product(demo_dir, demo_truth):
    inventory = pl.read_csv(
        sorted((demo_dir / "inventory").glob("*.csv")),
        try_parse_dates=True,
        schema_overrides={"sku": pl.String},
    )
    assert (inventory["on_hand"] >= 0).all() and (inventory["on_order"] >= 0).all()
    per_day = inventory.group_by("snapshot_date").len()
    assert per_day["len"].unique().to_list() == [demo_truth["inventory"]["skus"]]
    assert (inventory["on_hand"] == 0).sum() == demo_truth["inventory"]["stockout_sku_days"]
    for stockout in demo_truth["inventory"]["injected_stockouts"][:20]:
        first, last = (
            date.fromisoformat(stockout["first_day"]),
            date.fromisoformat(stockout["last_day"]),
        )
        days = inventory.filter(
            (pl.col("sku") == stockout["sku"]) & pl.col("snapshot_date").is_between(first, last)
        )
        assert days.height == stockout["days"] and (days["on_hand"] == 0).all()
    last_day = inventory.filter(pl.col("snapshot_date") == pl.col("snapshot_date").max())
    assert (last_day["on_hand"] == 0).mean() < 0.15  # most SKUs are in stock at the end
