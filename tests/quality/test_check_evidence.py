"""Checks agree with the contract, and a failing check names its rows and the fix.

Shipments load through the real loader from CSV text, then staging and the fulfilment mart
are built and every check of their suites runs on a real DuckDB warehouse.
"""

from __future__ import annotations

import datetime as dt

import dagster as dg

from ingest.load import load_days
from quality.checks import check_names, evaluate
from quality.suites import SUITES

SHIPMENTS = (
    "order_id,shipped_at,delivered_at,promised_date,carrier,region\n"
    "A1,2024-03-01 10:00,2024-03-02 09:00,2024-03-03,DHL,UK\n"  # line 2: delivered
    "A2,2024-03-01 11:00,,2024-03-04,DHL,UK\n"  # line 3: in transit, delivered_at empty
    "A3,2024-03-01 12:00,2024-02-28 08:00,2024-03-03,DHL,UK\n"  # line 4: delivered before shipped
)


def _checks(warehouse, table: str) -> list[dg.AssetCheckResult]:
    suite = SUITES[table]
    return evaluate(warehouse.con, table, suite, set(check_names(suite)))


def test_in_transit_passes_and_delivered_before_shipped_is_quarantined(warehouse, tmp_path):
    # Bugs caught: an empty delivered_at (allowed by the contract) failed the delivered >=
    # shipped rule with "None bad rows"; a delivered-before-shipped row reached staging and
    # failed a blocking check instead of being quarantined with its line.
    exports = tmp_path / "exports"
    (exports / "shipments").mkdir(parents=True)
    (exports / "shipments" / "2024-03-01.csv").write_text(SHIPMENTS)
    report = load_days(warehouse.con, exports, "shipments")
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (3, 2, 1)
    assert warehouse.rows(
        "select kind, file, line, column_name, raw_value, reason from quality.quarantine"
    ) == [
        {
            "kind": "shipments",
            "file": "shipments/2024-03-01.csv",
            "line": 4,
            "column_name": "delivered_at",
            "raw_value": "2024-02-28 08:00 | 2024-03-01 12:00",
            "reason": 'delivered_at "2024-02-28 08:00" is before shipped_at "2024-03-01 12:00"; '
            "a parcel is delivered after it ships - fix either time in the export",
        }
    ]
    warehouse.insert(
        "orders",
        [
            {"order_id": o, "ordered_at": dt.datetime(2024, 2, 29, 9), "sku": "S", "quantity": 1}
            | {"unit_price": 1.0, "_export_date": dt.date(2024, 2, 29)}
            for o in ("A1", "A2", "A3")
        ],
    )
    warehouse.build(
        "staging.stg_catalog",
        "staging.stg_order_lines",
        "staging.stg_shipments",
        "marts.fulfilment_daily",
    )
    for table in ("staging.stg_shipments", "marts.fulfilment_daily"):
        for result in _checks(warehouse, table):
            assert result.passed, (table, result.check_name, result.description)


def test_a_failing_check_names_example_rows_their_file_and_line_and_the_fix(warehouse):
    # Bug caught: a failing rule said only "<rule> on <column>: N bad rows" (or "None bad
    # rows"), leaving the reader to hunt for the rows and guess the remedy.
    day = dt.date(2024, 3, 1)
    warehouse.insert(
        "orders",
        [
            {"order_id": "A1", "ordered_at": dt.datetime(2024, 3, 1, 9), "sku": "S", "quantity": 2}
            | {"unit_price": 1.0, "_export_date": day, "_file": "orders/2024-03-01.csv"},
            {"order_id": "A2", "ordered_at": dt.datetime(2024, 3, 1, 9), "sku": "S", "quantity": 0}
            | {"unit_price": 1.0, "_export_date": day, "_file": "orders/2024-03-01.csv"},
        ],
    )
    warehouse.build("staging.stg_catalog", "staging.stg_order_lines")
    key, expectations = _checks(warehouse, "staging.stg_order_lines")
    assert key.passed and not expectations.passed
    assert expectations.description == (
        "expect_column_values_to_not_be_in_set on quantity: 1 bad rows, e.g. "
        "{'quantity': '0', 'order_id': 'A2', 'line_number': '1', "
        "'source_file': 'orders/2024-03-01.csv', 'source_line': '3'}. "
        "Fix: the rows come from the exports; correct them (the examples name the rows) and "
        "reload their days, or add the rule to ingest/rules.py so such rows are quarantined"
    )
    [failure] = expectations.metadata["failures"].value
    assert failure["examples"][0]["source_line"] == "3"


def test_every_rule_between_two_columns_skips_rows_where_either_is_empty():
    # Bug caught: the GX default judged a row with one empty column, and failed it.
    for suite in SUITES.values():
        for rule in suite.rules():
            kwargs = rule.configuration.kwargs
            if "column_A" in kwargs:
                assert kwargs["ignore_row_if"] == "either_value_is_missing", rule
