"""A rule's `Gate` as a Dagster check result, and check results recorded in the warehouse."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import dagster as dg
import duckdb

from quality.check_log import CheckRow, record_checks
from quality.table_rules import Gate
from warehouse.preview import markdown_preview


def _metadata_value(value: object) -> object:
    if value is None:
        return dg.MetadataValue.null()
    if isinstance(value, (dict, list)):
        return dg.MetadataValue.json(value)
    return value


def gate_result(
    gate: Gate,
    severity: dg.AssetCheckSeverity = dg.AssetCheckSeverity.ERROR,
    check_name: str | None = None,
) -> dg.AssetCheckResult:
    """A Dagster check result carrying a Gate's evidence and examples as metadata."""
    metadata = {name: _metadata_value(value) for name, value in gate.evidence.items()}
    if gate.examples is not None:
        metadata["examples"] = dg.MetadataValue.md(
            markdown_preview(gate.examples, rows=len(gate.examples))
        )
    return dg.AssetCheckResult(
        passed=gate.passed,
        severity=severity,
        description=gate.description,
        metadata=metadata,
        check_name=check_name,
    )


def _details(result: dg.AssetCheckResult) -> dict:
    # Markdown examples quote table rows; the warehouse keeps the counts, Dagster the examples.
    return {
        name: value.value
        for name, value in (result.metadata or {}).items()
        if not isinstance(value, dg.MarkdownMetadataValue)
    }


def record_results(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    results: Iterable[dg.AssetCheckResult],
    asset: dg.AssetKey | None = None,
    check_name: str | None = None,
) -> list[dg.AssetCheckResult]:
    """Write check results to quality.check_results and hand them back unchanged.

    Args:
        con: a read-write warehouse connection.
        run_id: the run the checks belong to (`context.run.run_id`).
        results: the results the check yields or returns.
        asset: the checked asset, for results that do not name theirs.
        check_name: the check's name, for results that do not name theirs.

    Returns:
        The same results, so a check can `return record_results(...)[0]` or yield from them.
    """
    results = list(results)
    rows = [
        CheckRow(
            asset=(result.asset_key or asset).to_user_string(),
            check_name=result.check_name or check_name,
            severity=result.severity.value,
            passed=bool(result.passed),
            description=result.description or "",
            details=_details(result),
        )
        for result in results
    ]
    checked_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    record_checks(con, run_id, rows, checked_at)
    return results
