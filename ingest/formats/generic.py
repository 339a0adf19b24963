"""The generic format: the contract's own column names (contract/exports.py), any extension."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from contract.exports import KINDS, required, schema
from ingest.formats.base import ExportFormat
from ingest.source import LINE


def missing_columns(kind: str, header: list[str], config: Mapping[str, Any]) -> list[str]:
    return [name for name in required(kind) if name not in header]


def to_contract(kind: str, frame: pl.DataFrame, config: Mapping[str, Any]) -> pl.DataFrame:
    return frame.select([name for name in schema(kind) if name in frame.columns] + [LINE])


FORMAT = ExportFormat("generic", KINDS, missing_columns, to_contract)
