"""A rule's `Gate` as a Dagster check result: its evidence and examples become metadata."""

from __future__ import annotations

import dagster as dg

from assets.warehouse import markdown_preview
from quality.table_rules import Gate


def _metadata_value(value: object) -> object:
    if value is None:
        return dg.MetadataValue.null()
    if isinstance(value, (dict, list)):
        return dg.MetadataValue.json(value)
    return value


def gate_result(
    gate: Gate, severity: dg.AssetCheckSeverity = dg.AssetCheckSeverity.ERROR, check_name: str | None = None
) -> dg.AssetCheckResult:
    """A Dagster check result carrying a Gate's evidence and examples as metadata."""
    metadata = {name: _metadata_value(value) for name, value in gate.evidence.items()}
    if gate.examples is not None:
        metadata["examples"] = dg.MetadataValue.md(markdown_preview(gate.examples, rows=len(gate.examples)))
    return dg.AssetCheckResult(
        passed=gate.passed, severity=severity, description=gate.description, metadata=metadata, check_name=check_name
    )
