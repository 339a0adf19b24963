"""The command line on a synthetic store: generic-format orders carrying customer e-mails
and names, which must be hashed or dropped before anything an analyst sees."""

import re

import duckdb
import polars as pl
import pytest

from pipelines.cli import main as cli_main

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    root = tmp_path_factory.mktemp("synthetic")
    exports, data = root / "exports", root / "data"
    assert cli_main(["simulate", "--out", str(exports), "--scale", "0.02", "--seed", "3"]) == 0
    # keep the run short: the first six weeks of the year the simulator wrote
    for path in exports.glob("*/*"):
        if path.stem > "2024-02-11":
            path.unlink()
    assert cli_main(["run", "--exports", str(exports), "--data-dir", str(data)]) == 0
    return exports, data


def test_generic_orders_reconcile_and_count(store):
    exports, data = store
    lines = pl.concat(
        pl.read_csv(f, infer_schema=False) for f in sorted((exports / "orders").glob("*.csv"))
    )
    with duckdb.connect(str(data / "warehouse.duckdb"), read_only=True) as con:
        read, loaded, quarantined = con.execute(
            "select sum(rows_read), sum(rows_loaded), sum(rows_quarantined) from quality.load_log where kind = 'orders'"
        ).fetchall()[0]
        orders = con.execute("select sum(orders) from marts.orders_daily").fetchall()[0][0]
        keys = con.execute("select count(distinct customer_key) from marts.customers").fetchall()[
            0
        ][0]
    assert read == lines.height == loaded + quarantined
    placed = lines.filter(
        (pl.col("order_status") == "placed") & (pl.col("quantity").cast(pl.Int64) > 0)
    )
    assert orders == placed["order_id"].n_unique()
    assert keys == placed["customer_id"].drop_nulls().n_unique()


def test_emails_and_names_stop_at_staging(store):
    exports, data = store
    lines = pl.concat(
        pl.read_csv(f, infer_schema=False) for f in sorted((exports / "orders").glob("*.csv"))
    )
    emails = set(lines["customer_email"].drop_nulls())
    names = set(lines["customer_name"].drop_nulls())
    assert emails and names
    email = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
    with duckdb.connect(str(data / "warehouse.duckdb"), read_only=True) as con:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema in ('staging', 'marts', 'forecasts', 'inventory')"
        ).fetchall()
        for schema, table in tables:
            frame = con.sql(f"select * from {schema}.{table}").pl()
            for column in frame.select(pl.col(pl.String)).columns:
                values = set(frame[column].drop_nulls())
                assert not values & emails and not values & names, (
                    f"PII in {schema}.{table}.{column}"
                )
                assert not any(email.search(v) for v in list(values)[:5000]), (
                    f"{schema}.{table}.{column}"
                )
    for page in (data / "site").glob("*.html"):
        text = page.read_text()
        assert not any(e in text for e in emails), page.name
