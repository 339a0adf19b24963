"""No customer e-mail, name, phone, street address or IP address leaves staging: not into
the warehouse's analyst tables, the dashboards, the reorder file, the Dagster event log
and asset metadata of the run, nor the command line's output. The synthetic store's
orders carry e-mails and names; phones, addresses and IPs are added to its files here."""

import contextlib
import io
import re

import dagster as dg
import duckdb
import polars as pl
import pytest

import simulator
from pipelines.cli import main as cli_main

pytestmark = pytest.mark.e2e

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
PHONE = re.compile(r"\+44 ?7\d{3} ?\d{6}")  # the UK mobile numbers written below
IP = re.compile(r"\b203\.0\.113\.\d{1,3}\b")  # TEST-NET-3 addresses written below


def _add_pii(exports) -> dict[str, set[str]]:
    """Write phones and addresses into the orders and IPs into the traffic files."""
    written = {"phone": set(), "address": set(), "ip": set()}
    for path in sorted((exports / "orders").glob("*.csv")):
        orders = pl.read_csv(path, infer_schema=False)
        number = pl.col("customer_id").cast(pl.Int64) % 1_000_000
        orders = orders.with_columns(
            customer_phone=pl.format("+44 7700 {}", number.cast(pl.String).str.zfill(6)),
            shipping_address=pl.format("{} Acacia Avenue, Leeds LS1 4AP", number),
        )
        written["phone"] |= set(orders["customer_phone"].drop_nulls())
        written["address"] |= set(orders["shipping_address"].drop_nulls())
        orders.write_csv(path)
    for path in sorted((exports / "traffic").glob("*.parquet")):
        traffic = pl.read_parquet(path)
        traffic = traffic.with_columns(
            ip_address=pl.format("203.0.113.{}", pl.col("user_id").hash() % 250 + 1)
        )
        written["ip"] |= set(traffic["ip_address"])
        traffic.write_parquet(path)
    return written


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    root = tmp_path_factory.mktemp("privacy")
    exports, data = root / "exports", root / "data"
    simulator.build_synthetic_exports(exports, scale=0.02, seed=11, days=35)
    orders = pl.concat(
        pl.read_csv(f, infer_schema=False) for f in sorted((exports / "orders").glob("*.csv"))
    )
    pii = {
        "email": set(orders["customer_email"].drop_nulls()),
        "name": set(orders["customer_name"].drop_nulls()),
        **_add_pii(exports),
    }
    assert all(pii.values()), {k: len(v) for k, v in pii.items()}
    return exports, data, pii


@pytest.fixture(scope="module")
def cli_output(run):
    exports, data, _ = run
    # capsys is function scoped; the one run is shared by the module's tests.
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli_main(["run", "--exports", str(exports), "--data-dir", str(data)])
    assert code == 0, err.getvalue()
    return out.getvalue() + err.getvalue()


def _leaks(text: str, pii: dict[str, set[str]]) -> list[str]:
    found = [
        f"{kind}: {p.pattern}"
        for kind, p in (("email", EMAIL), ("phone", PHONE), ("ip", IP))
        if p.search(text)
    ]
    found += [
        f"{kind}: {value}" for kind, values in pii.items() for value in values if value in text
    ]
    return found


def test_analyst_tables_hold_no_pii(run, cli_output):
    _, data, pii = run
    with duckdb.connect(str(data / "warehouse.duckdb"), read_only=True) as con:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema in ('staging', 'marts', 'forecasts', 'inventory')"
        ).fetchall()
        assert len(tables) >= 10
        for schema, table in tables:
            frame = con.sql(f"select * from {schema}.{table}").pl()
            assert "_extra" not in frame.columns, (
                f"{schema}.{table} carries the export's unknown columns"
            )
            text = frame.select(pl.all().cast(pl.String)).write_csv()
            assert not _leaks(text, pii), f"{schema}.{table}: {_leaks(text, pii)[:3]}"


def test_the_analyst_copy_holds_no_pii(run, cli_output):
    """Bug caught: the copy analysts and notebooks read carrying raw or staging tables, or a
    quality table (quarantined raw values) with a customer's e-mail, name, phone or address."""
    _, data, pii = run
    with duckdb.connect(str(data / "analyst.duckdb"), read_only=True) as con:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables"
        ).fetchall()
        assert {schema for schema, _ in tables} == {"marts", "forecasts", "inventory", "quality"}
        for schema, table in tables:
            frame = con.sql(f"select * from {schema}.{table}").pl()
            text = frame.select(pl.all().cast(pl.String)).write_csv()
            assert not _leaks(text, pii), f"{schema}.{table}: {_leaks(text, pii)[:3]}"


def test_site_reorder_file_and_cli_output_hold_no_pii(run, cli_output):
    _, data, pii = run
    pages = sorted((data / "site").glob("*.html"))
    assert pages
    for path in [*pages, data / "reorder_recommendations.csv"]:
        assert not _leaks(path.read_text(), pii), path.name
    assert "succeeded" in cli_output
    assert not _leaks(cli_output, pii)


def test_dagster_event_log_and_metadata_hold_no_pii(run, cli_output):
    _, data, pii = run
    instance = dg.DagsterInstance.from_config(str(data / "dagster_home"))
    runs = instance.get_runs()
    assert len(runs) == 1
    records = instance.all_logs(runs[0].run_id)
    assert any(
        r.dagster_event and r.dagster_event.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION
        for r in records
    )
    text = "\n".join(record.to_json() for record in records)
    assert "customer_salt" not in text and (data / "salt").read_text().strip() not in text
    assert not _leaks(text, pii), _leaks(text, pii)[:3]
