"""Quarantine rows without customer personal data: the line stays, its personal values do not.

A line that cannot be split into the header's columns (too many fields, bytes that are
not UTF-8, JSON that is not an object) is quarantined whole, so its fix can be found. But
only the raw schema may hold exports as they came; quality.quarantine is read by the
data-quality page and by analysts. So before a broken line is stored:

- each field in a column holding personal data becomes `<Email masked>` (the file's own
  column name). A column holds personal data when the file's format maps it onto one the
  contract marks as such (`contract.exports.pii_columns`: e-mail, name, phone, address)
  or when its header says so (Billing Zip). A line with k fields too many may have every
  later value shifted by up to k places, so the k fields after a personal column are
  masked too (`<masked>`): the unquoted comma that broke the line could be anywhere
  before them;
- anything left that looks like an e-mail address or phone number is masked
  (`<email masked>`, `<phone masked>`): in a line that could not be split at all, that is
  all there is to go by, and in a JSON line the values of personal keys are masked too.

The line keeps its other fields, in order, so the reason ("line has 10 fields but the
header has 9") can still be checked against it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import polars as pl

from contract.exports import pii_columns
from contract.personal_data import mask_contact_details
from ingest.formats.base import ExportFormat, probe_row
from ingest.source_text import RAW_VALUE_CHARS

MASKED = "<masked>"
# A column no format reads can still be personal: Shopify's Billing Street and Zip go to
# `_extra` unmapped. Its header then says so.
PERSONAL_HEADER = re.compile(
    r"e-?mail|phone|mobile|street|address|zip|post(al)?\s*code|city"
    r"|(billing|shipping|customer|first|last|full|reviewer|buyer|recipient)[\s_-]*name",
    re.IGNORECASE,
)
_PROBE = "\x1fpersonal-data-probe\x1f"


def personal_source_columns(
    export_format: ExportFormat,
    kind: str,
    frame: pl.DataFrame,
    header: list[str],
    section: Mapping[str, Any],
) -> set[str]:
    """The file's own columns that its format maps onto personal-data contract columns,
    plus the contract's personal-data column names.

    Found by trying, as `ingest.read` finds unread columns: a probe value is put in one
    text column at a time, once beside a sample of the other columns and once with them
    empty (a fallback column, Shopify's `Shipping Name` behind `Billing Name`, shows only
    then); the column is personal when the probe comes out in a personal contract column.
    A column the format cannot map with the probe in it counts as personal (masking one
    value too many is the safe mistake), and so does one whose header names personal data
    (`PERSONAL_HEADER`) though no contract column takes it.

    Args:
        export_format: the file's format.
        kind: export kind.
        frame: the file's rows in its own columns (may be empty).
        header: the file's columns.
        section: the kind's exports.yaml section.
    """
    personal = set(pii_columns(kind))
    sample = probe_row(frame, header)
    text_columns = [name for name in header if sample.schema[name] == pl.String()]
    empty = sample.with_columns(pl.lit(None, pl.String()).alias(name) for name in text_columns)
    # The contract's own names count even when absent from the header: a JSON line that
    # could not be parsed may still name them.
    found = personal | {name for name in header if PERSONAL_HEADER.search(name)}
    for name in (name for name in text_columns if name not in found):
        for others in (sample, empty):
            probe = others.with_columns(pl.lit(_PROBE).alias(name))
            try:
                mapped = export_format.to_contract(kind, probe, section)
            except Exception:  # noqa: BLE001 - any failure: mask rather than guess
                found.add(name)
                break
            if any(
                mapped[column].cast(pl.String()).str.contains(_PROBE, literal=True).any()
                for column in personal & set(mapped.columns)
            ):
                found.add(name)
                break
    return found


def _masked_fields(fields: list[str], header: list[str], personal: set[str]) -> str:
    extra = max(0, len(fields) - len(header))
    masks: dict[int, str] = {}
    for position, name in enumerate(header):
        if name in personal:
            for shift in range(extra, -1, -1):
                masks[position + shift] = MASKED if extra else f"<{name} masked>"
    return ",".join(
        masks[i] if i in masks and value else mask_contact_details(value)
        for i, value in enumerate(fields)
    )


def _masked_line(raw: str, personal: set[str]) -> str:
    """A line that could not be split: personal JSON keys' values and contact details."""
    for name in personal:
        key = re.escape(name)
        raw = re.sub(rf'("{key}"\s*:\s*)(?:"(?:[^"\\]|\\.)*"|[^,}}\]\s]+)', rf'\1"{MASKED}"', raw)
    return mask_contact_details(raw)


def without_personal_data(
    broken: pl.DataFrame,
    export_format: ExportFormat,
    kind: str,
    frame: pl.DataFrame,
    header: list[str],
    section: Mapping[str, Any],
) -> pl.DataFrame:
    """Quarantine rows of broken lines with their personal data masked.

    Args:
        broken: rows of `ingest.source_text.BROKEN_SCHEMA` (plus the source tags) of
            files sharing `header`.
        export_format: the files' format.
        kind: export kind.
        frame: the files' other rows, in their own columns.
        header: the files' columns.
        section: the kind's exports.yaml section.

    Returns:
        `broken` without `fields`, its `raw_value` masked and cut to RAW_VALUE_CHARS.
    """
    if broken.is_empty():
        return broken.drop("fields")
    personal = personal_source_columns(export_format, kind, frame, header, section)
    raw = [
        (
            _masked_fields(fields, header, personal)
            if fields is not None
            else _masked_line(value, personal)
        )[:RAW_VALUE_CHARS]
        for value, fields in zip(broken["raw_value"], broken["fields"], strict=True)
    ]
    return broken.with_columns(pl.Series("raw_value", raw, pl.String())).drop("fields")
