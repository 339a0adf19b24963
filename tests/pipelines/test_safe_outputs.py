"""What a run writes is safe to open and keeps customers' data to its owner: the real CLI on
tiny exports holding spreadsheet formulas, e-mails, names and phones.

One run (two weeks, three SKUs) is shared by the module's tests.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import shutil
import stat
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipelines.cli import main

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
FIRST_DAY = dt.date(2024, 1, 1)
DAYS = 14
SKUS = ('=HYPERLINK("http://x.invalid","y")', "MUG", "PLATE")
DESCRIPTIONS = ("-2+3", "@SUM(1+1)", "Dinner plate")
# An order line with an unquoted comma in the name: one field too many, quarantined whole.
BROKEN_LINE = (
    "X1,2024-01-01 11:00:00,MUG,1,4.5,Mug,C9,bob@mail.example,+44 20 7946 0958,Jones, Bob\n"
)


def _exports(folder: Path) -> None:
    (folder / "orders").mkdir(parents=True)
    for offset in range(DAYS):
        day = FIRST_DAY + dt.timedelta(days=offset)
        rows = [
            {
                "order_id": f"{day}-{n}",
                "ordered_at": f"{day} 10:0{n}:00",
                "sku": sku,
                "quantity": 2 + n + offset % 3,
                "unit_price": 4.5,
                "description": DESCRIPTIONS[n],
                "customer_id": f"C{n}",
                "customer_email": f"c{n}@shop.example",
                "customer_phone": f"+44 20 7946 09{n}{offset % 10}",
                "customer_name": f"Ann Smith {n}",
            }
            for n, sku in enumerate(SKUS)
        ]
        path = folder / "orders" / f"{day}.csv"
        pl.DataFrame(rows).write_csv(path)
        if offset == 0:
            path.write_text(path.read_text() + BROKEN_LINE)


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("safe_outputs")
    _exports(root / "exports")
    code = main(["run", "--exports", str(root / "exports"), "--data-dir", str(root / "data")])
    assert code == 0
    return root / "data"


def _privacy_scan():
    spec = importlib.util.spec_from_file_location(
        "privacy_scan", ROOT / "scripts" / "privacy_scan.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_reorder_csv_neutralises_formulas_and_keeps_numbers_numeric(data):
    """Bug caught: a SKU `=HYPERLINK(...)` and descriptions `-2+3`, `@SUM(1+1)` reached
    reorder_recommendations.csv verbatim, live formulas in the merchandiser's spreadsheet."""
    for path in (
        data / "reorder_recommendations.csv",
        data / "site" / "reorder_recommendations.csv",
    ):
        levels = pl.read_csv(path)
        assert sorted(levels["sku"]) == sorted(["'" + SKUS[0], *SKUS[1:]])
        assert sorted(levels["description"]) == sorted(["'-2+3", "'@SUM(1+1)", "Dinner plate"])
        # numbers stay numbers: quantities in whole units, money to the cent
        assert levels.schema["reorder_point"] == pl.Int64()
        assert levels.schema["lead_time_demand"] == pl.Int64()
        assert levels.schema["unit_cost"] == pl.Float64()


def test_quarantined_line_keeps_no_email_name_or_phone(data):
    """Bug caught: a quarantined line was stored whole in quality.quarantine.raw_value,
    the customer's e-mail, phone and name included."""
    with duckdb.connect(str(data / "warehouse.duckdb"), read_only=True) as con:
        rows = con.execute("select line, raw_value, reason from quality.quarantine").fetchall()
    assert len(rows) == 1
    line, raw, reason = rows[0]
    assert line == 5 and reason.startswith("line has 11 fields but the header has 10")
    assert raw == "X1,2024-01-01 11:00:00,MUG,1,4.5,Mug,C9,<masked>,<masked>,<masked>,<masked>"


def test_data_dir_warehouse_and_salt_are_owner_only_and_the_site_readable(data):
    """Bug caught: the warehouse, whose raw schema holds e-mails, was world-readable (0644)
    in a world-listable data directory."""
    assert _mode(data) == 0o700
    for path in (data / "warehouse.duckdb", data / "salt", data / "reorder_recommendations.csv"):
        assert _mode(path) == 0o600, path.name
    assert not (data / "warehouse.duckdb.wal").exists()
    logs = list((data / "logs").iterdir())
    assert logs and all(_mode(path) == 0o600 for path in logs)
    # Published: a web server's account reads the site when it lives outside the data dir.
    assert _mode(data / "site") == 0o755
    assert {_mode(path) for path in (data / "site").iterdir()} == {0o644}


def test_privacy_scan_finds_nothing_in_a_clean_run(data):
    """Bug caught: the scan's phone pattern matched Dagster run ids (thousands of false
    hits on a clean data directory), and it never looked at the quality schema or logs."""
    hits, scanned, events = _privacy_scan().scan(data)
    assert hits == []
    assert scanned > 30 and events > 100


def test_privacy_scan_finds_planted_email_and_phone_everywhere(data, tmp_path):
    """Bug caught: personal data in a mart, a quarantine row or a log file went unseen."""
    planted = tmp_path / "data"
    shutil.copytree(data, planted)
    with duckdb.connect(str(planted / "warehouse.duckdb")) as con:
        con.execute("update marts.customers set country = 'eve@leak.example'")
        con.execute(
            "insert into quality.quarantine (kind, raw_value) values ('orders', 'call 020-7946-0958')"
        )
    (planted / "logs" / "extra.log").write_text("step failed for frank@leak.example\n")

    hits = _privacy_scan().scan(planted)[0]

    assert "warehouse.duckdb marts.customers.country: eve@leak.example" in hits
    assert "warehouse.duckdb quality.quarantine.raw_value: 020-7946-0958" in hits
    assert "logs/extra.log: frank@leak.example" in hits
    assert not any("raw." in hit for hit in hits)  # raw keeps the exports as they came
