"""quality.check_results: every check evaluation of every run, written by the checks themselves.

Dagster keeps check evaluations in its own instance storage, which the static dashboards
(read-only DuckDB, no Dagster) cannot see. So each check also appends one row here when it
runs; the Data quality page shows the newest row per (asset, check). Plain DuckDB, no
Dagster: `quality/results.py` turns a Dagster check result into a `CheckRow`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import duckdb

from warehouse.transaction import transaction

CHECK_RESULTS_TABLE = """
create table if not exists quality.check_results (
    run_id varchar, asset varchar, check_name varchar, severity varchar, passed boolean,
    description varchar, details varchar, checked_at timestamp
)"""


@dataclass(frozen=True)
class CheckRow:
    """One check evaluation: `asset` is the user string of the asset key ('raw/orders')."""

    asset: str
    check_name: str
    severity: str  # ERROR blocks what is downstream, WARN only warns
    passed: bool
    description: str
    details: dict  # the check's numeric and JSON evidence (never its Markdown examples)


def record_checks(
    con: duckdb.DuckDBPyConnection, run_id: str, rows: Sequence[CheckRow], checked_at: datetime
) -> int:
    """Append check evaluations to quality.check_results (creating it when absent).

    A re-run of a check in the same run replaces that run's row instead of adding a second.

    Args:
        con: a read-write warehouse connection.
        run_id: the Dagster run the checks belong to.
        rows: the evaluations.
        checked_at: when the checks ran (naive UTC, like quality.load_log.loaded_at).

    Returns:
        The number of rows written.
    """
    con.execute("create schema if not exists quality")
    con.execute(CHECK_RESULTS_TABLE)
    with transaction(con):
        for row in rows:
            con.execute(
                "delete from quality.check_results where run_id = ? and asset = ? and check_name = ?",
                [run_id, row.asset, row.check_name],
            )
            con.execute(
                "insert into quality.check_results values (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    run_id,
                    row.asset,
                    row.check_name,
                    row.severity,
                    row.passed,
                    row.description,
                    json.dumps(row.details, default=str, sort_keys=True),
                    checked_at,
                ],
            )
    return len(rows)
