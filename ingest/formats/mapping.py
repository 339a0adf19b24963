"""A shop's own export layout, mapped to the contract by a YAML file instead of code.

exports.yaml names the file per kind, relative to the exports folder:

    orders: {mapping: my_orders.yaml}

and the file maps contract columns to the shop's headers:

    columns: {order_id: "Order No", ordered_at: "Order date", sku: "Item", ...}
    constants: {currency: EUR}                 # optional: one value for every row
    datetime_format: "%d/%m/%Y %H:%M"          # optional: strptime format of the dates
    decimal_comma: true                        # optional: numbers written 1.234,56
    status_map: {Storniert: cancelled}         # optional: the shop's order statuses

Unmapped optional columns stay empty; values are cast and quarantined like every format.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from contract.exports import KINDS, ORDER_STATUSES, required, schema
from ingest.formats.base import ExportFormat
from ingest.source import LINE

SPEC_KEYS = ("columns", "constants", "datetime_format", "decimal_comma", "status_map")


def check_mapping(kind: str, spec: Any, where: str) -> dict[str, Any]:
    """Check a mapping file's content for one kind.

    Args:
        kind: export kind it maps.
        spec: the parsed YAML.
        where: the file, for messages.

    Returns:
        The spec with every optional key present.

    Raises:
        ValueError: naming the file, the entry and the fix.
    """
    if not isinstance(spec, dict) or not isinstance(spec.get("columns"), dict):
        raise ValueError(f'{where}: expected `columns: {{contract_column: "Your Header"}}`')
    unknown = sorted(set(spec) - set(SPEC_KEYS))
    if unknown:
        raise ValueError(
            f"{where}: unknown key(s) {', '.join(unknown)}; use {', '.join(SPEC_KEYS)}"
        )
    columns, constants = spec["columns"], spec.get("constants") or {}
    contract = schema(kind)
    for entry, values in (("columns", columns), ("constants", constants)):
        wrong = sorted(str(name) for name in values if name not in contract)
        if wrong:
            raise ValueError(
                f"{where}, {entry}: {', '.join(wrong)} not {kind} contract column(s); "
                f"use {', '.join(contract)}"
            )
    if not all(isinstance(header, str) for header in columns.values()):
        raise ValueError(f"{where}, columns: every value is a header of your export, in quotes")
    unmapped = [name for name in required(kind) if name not in columns and name not in constants]
    if unmapped:
        raise ValueError(
            f"{where}: required column(s) {', '.join(unmapped)} are not mapped; "
            "add them under columns (or constants)"
        )
    if not isinstance(spec.get("decimal_comma", False), bool):
        raise ValueError(f"{where}, decimal_comma: write true or false")
    status_map = spec.get("status_map") or {}
    wrong = sorted({str(v) for v in status_map.values()} - set(ORDER_STATUSES))
    if wrong:
        raise ValueError(
            f"{where}, status_map: {', '.join(wrong)} not an order status; "
            f"map to {', '.join(ORDER_STATUSES)}"
        )
    return {
        "columns": columns,
        "constants": constants,
        "datetime_format": spec.get("datetime_format"),
        "decimal_comma": spec.get("decimal_comma", False),
        "status_map": {str(k): v for k, v in status_map.items()},
    }


def missing_columns(kind: str, header: list[str], config: Mapping[str, Any]) -> list[str]:
    return [their for their in config.get("columns", {}).values() if their not in header]


def _value(kind: str, name: str, frame: pl.DataFrame, config: Mapping[str, Any]) -> pl.Expr:
    if name in config["columns"]:
        value = pl.col(config["columns"][name]).cast(pl.String())
    else:
        value = pl.lit(str(config["constants"][name]), pl.String())
    if config.get("datetime_format") and schema(kind)[name].is_temporal():
        # Parsed values become ISO text; the rest keep their raw text, which casting then
        # quarantines with the value shown.
        moment = value.str.strip_chars().str.to_datetime(
            config["datetime_format"], strict=False, time_unit="us"
        )
        value = pl.coalesce(moment.cast(pl.String()), value)
    if config.get("decimal_comma") and schema(kind)[name] == pl.Float64():
        # 1.234,56 -> 1234.56: drop the thousands dots, then the comma is the decimal point.
        value = value.str.replace_all(".", "", literal=True).str.replace(",", ".", literal=True)
    if name == "order_status" and config.get("status_map"):
        value = value.str.strip_chars().replace(config["status_map"])
    return value


def to_contract(kind: str, frame: pl.DataFrame, config: Mapping[str, Any]) -> pl.DataFrame:
    mapped = [*config["columns"], *(c for c in config["constants"] if c not in config["columns"])]
    return frame.select(
        *(_value(kind, name, frame, config).alias(name) for name in mapped), pl.col(LINE)
    )


# The header cannot say which of its columns means what: never detected, always named.
FORMAT = ExportFormat(
    "mapping",
    KINDS,
    missing_columns,
    to_contract,
    config_keys=("mapping", *SPEC_KEYS),
    detectable=False,
)
