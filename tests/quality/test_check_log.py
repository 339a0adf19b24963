"""quality.check_results: one row per check per run, evidence kept, examples left out."""

import json
from datetime import datetime

import dagster as dg
import duckdb

from quality.check_log import CheckRow, record_checks
from quality.results import record_results


def test_a_rerun_of_a_check_in_the_same_run_replaces_its_row():
    con = duckdb.connect()
    first = CheckRow("raw/orders", "rows_reconcile", "ERROR", False, "1 row lost", {"rows_read": 3})
    again = CheckRow("raw/orders", "rows_reconcile", "ERROR", True, "ok", {"rows_read": 3})
    record_checks(con, "run-1", [first], datetime(2011, 1, 1, 6))
    record_checks(con, "run-1", [again], datetime(2011, 1, 1, 7))
    record_checks(con, "run-2", [first], datetime(2011, 1, 2, 6))
    rows = con.sql(
        "select run_id, passed, description, checked_at from quality.check_results order by run_id"
    ).fetchall()
    assert rows == [
        ("run-1", True, "ok", datetime(2011, 1, 1, 7)),
        ("run-2", False, "1 row lost", datetime(2011, 1, 2, 6)),
    ]


def test_dagster_results_are_recorded_with_their_asset_and_without_markdown_examples():
    con = duckdb.connect()
    results = [
        dg.AssetCheckResult(
            check_name="unique_key",
            passed=False,
            description="2 duplicate keys",
            metadata={
                "bad_rows": 2,
                "keys": dg.MetadataValue.json(["a"]),
                "examples": dg.MetadataValue.md("| customer | ... |"),
            },
        ),
        dg.AssetCheckResult(
            asset_key=dg.AssetKey(["raw", "traffic_events"]),
            check_name="export_freshness",
            passed=True,
            severity=dg.AssetCheckSeverity.WARN,
        ),
    ]
    returned = record_results(con, "run-9", results, asset=dg.AssetKey(["staging", "stg_orders"]))
    assert returned == results
    rows = con.sql(
        "select asset, check_name, severity, passed, description, details"
        " from quality.check_results order by asset"
    ).fetchall()
    assert rows[0] == ("raw/traffic_events", "export_freshness", "WARN", True, "", "{}")
    assert rows[1][:5] == ("staging/stg_orders", "unique_key", "ERROR", False, "2 duplicate keys")
    assert json.loads(rows[1][5]) == {"bad_rows": 2, "keys": ["a"]}


def test_the_evidence_is_stored_with_its_keys_in_order():
    """Bug caught: evidence written in the order the check built it, so the same evidence
    from two runs reads as two different texts and a comparison of runs sees a change."""
    con = duckdb.connect()
    details = {"rows": 4, "duplicate_keys": 1, "null_key_rows": 0}
    row = CheckRow("marts/orders_daily", "unique_key", "ERROR", False, "1 key twice", details)
    record_checks(con, "run-1", [row], datetime(2011, 1, 1, 6))
    stored = con.execute("select details from quality.check_results").fetchall()[0][0]
    assert stored == '{"duplicate_keys": 1, "null_key_rows": 0, "rows": 4}'
